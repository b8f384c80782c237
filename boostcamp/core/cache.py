"""Micro-caching of public pages for anonymous visitors.

The pages everybody opens (catalogue, archive, an event's page) are kept for
PUBLIC_PAGE_CACHE_SECONDS (0 turns this off) in Flask-Caching's store: in-process by
default, Redis when several instances serve the app (CACHE_TYPE=RedisCache). A visitor may
see a seat count a few seconds old; sign-up itself always counts seats under a lock.
Signed-in users, and pages whose rendering touched the session (a flash message, a CSRF
token), are never served from or put into the cache. Pages hold absolute links (calendar
subscriptions), built from the request's host when SERVER_NAME is not set: the key holds the
scheme and host, so one request with a forged `Host` never reaches other visitors' pages
(with SERVER_NAME set, other hosts are refused before this: core.web).
"""

import functools

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user

from boostcamp.extensions import cache


def cached_for_visitors(view):
    @functools.wraps(view)
    def wrapper(**kwargs):
        seconds = current_app.config["PUBLIC_PAGE_CACHE_SECONDS"]
        if not seconds or current_user.is_authenticated or session.get("_flashes"):
            return view(**kwargs)
        key = f"page:{request.scheme}://{request.host}:{get_locale()}:{request.full_path}"
        page = cache.get(key)
        if page is None:
            page = view(**kwargs)  # a 404 is raised, never kept
            if isinstance(page, str) and not session.modified:
                cache.set(key, page, timeout=seconds)
        return page

    return wrapper
