"""Micro-caching of public pages for anonymous visitors.

The pages everybody opens (catalogue, archive, an event's page) are kept for
PUBLIC_PAGE_CACHE_SECONDS (0 turns this off) in Flask-Caching's store: in-process by
default, Redis when several instances serve the app (CACHE_TYPE=RedisCache). A copy is kept
under the version of what public pages show (the last change of any event, organisation or
registration, read from the database), so a change — a publication, an edit, a seat taken —
reaches the next visitor on every worker and instance within PUBLIC_VERSION_SECONDS.
Signed-in users, and pages whose rendering touched the session (a flash message, a CSRF
token), are never served from or put into the cache. Pages hold absolute links (calendar
subscriptions), built from the request's host when SERVER_NAME is not set: the key holds the
scheme and host, so one request with a forged `Host` never reaches other visitors' pages
(with SERVER_NAME set, other hosts are refused before this: core.web).
"""

import functools
import threading

import sqlalchemy as sa
from markupsafe import Markup
from cachetools import TTLCache
from flask import current_app, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user

from boostcamp.core.extensions import cache, db

# The tables whose rows public pages and calendars show, by name: core knows no domain.
PUBLIC_TABLES = ("event", "organisation", "registration", "programme")


def read_at_most_once_a_second(compute):
    """A version read from the database at most once per PUBLIC_VERSION_SECONDS by each app
    process and app (0: every time), so that a kept page or calendar costs no query."""

    @functools.wraps(compute)
    def wrapper(*args):
        seconds = current_app.config["PUBLIC_VERSION_SECONDS"]
        if not seconds:
            return compute(*args)
        memo, lock = current_app.extensions.setdefault(
            "public_versions", (TTLCache(maxsize=4096, ttl=seconds), threading.Lock())
        )
        key = (compute.__qualname__, *args)
        with lock:
            found = memo.get(key)
        if found is None:
            found = compute(*args)
            with lock:
                memo[key] = found
        return found

    return wrapper


@read_at_most_once_a_second
def public_version() -> str:
    """The last change of every table public pages show, in one statement."""
    latest = [
        sa.select(sa.func.max(sa.column("updated_at"))).select_from(sa.table(name)).scalar_subquery()
        for name in PUBLIC_TABLES
    ]
    return "|".join(str(moment) for moment in db.session.execute(sa.select(*latest)).one())


def cached_for_visitors(view):
    @functools.wraps(view)
    def wrapper(**kwargs):
        seconds = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
        if not seconds or current_user.is_authenticated or session.get("_flashes"):
            return view(**kwargs)
        key = (f"page:{public_version()}:{request.scheme}://{request.host}:{get_locale()}:"
               f"{request.full_path}")  # fmt: skip
        page = cache.get(key)
        if page is None:
            page = view(**kwargs)  # a 404 is raised, never kept
            if isinstance(page, str) and not session.modified:
                cache.set(key, page, timeout=seconds)
        return page

    return wrapper


# A page's own blocks, rendered once per version and kept by each process: signed-in users
# (who never get the visitors' copy) and every page cache miss then render only the layout.
BLOCKS = ("title", "head", "content")
BLOCK_SEPARATOR = "<!--kept-block-->"  # escaped in any text and stripped from descriptions
BLOCKS_KEPT = 512


def render_with_kept_blocks(build):
    """Renders a page whose template extends `layout` (base.html by default) from blocks kept
    under the public version, the locale and the full URL for PUBLIC_PAGE_CACHE_SECONDS.
    `build()` loads and authorises, and returns (template, context, keep): a page that may not
    be shared (a draft) says keep=False. Its blocks must not depend on who is signed in."""
    seconds = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
    key = (public_version(), request.scheme, request.host, str(get_locale()), request.full_path)
    kept, lock = current_app.extensions.setdefault(
        "kept_blocks", (TTLCache(maxsize=BLOCKS_KEPT, ttl=seconds or 1), threading.Lock())
    )
    with lock:
        blocks = kept.get(key) if seconds else None
    if blocks is None:
        template, context, keep = build()
        page = render_template(template, layout="_blocks.html", **context)
        blocks = dict(zip(BLOCKS, (Markup(part) for part in page.split(BLOCK_SEPARATOR))))
        if keep and seconds:
            with lock:
                kept[key] = blocks
    return render_template("_kept_blocks.html", blocks=blocks)
