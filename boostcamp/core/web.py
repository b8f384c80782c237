"""What every page shares: template filters, globals, security headers, and the checks on
what any request may carry (control characters in its address, JSON nesting)."""

import json
from contextlib import contextmanager
from typing import TypeVar

from flask import Flask, abort, current_app, redirect, request, session, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale

from boostcamp.core import i18n, inputs, text, texts
from boostcamp.core.errors import NotFound
from boostcamp.core.extensions import db

T = TypeVar("T")


class BoundedJSONProvider(DefaultJSONProvider):
    """Request bodies nested deeper than inputs.JSON_MAX_DEPTH are bad JSON (a 400), not a
    RecursionError deep in the parser."""

    def loads(self, s, **kwargs):
        try:
            data = super().loads(s, **kwargs)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply", "", 0) from None
        if not inputs.json_depth_ok(data):
            raise json.JSONDecodeError("nested too deeply", "", 0)
        return data


def private(response, status: int | None = None):
    """Pages behind a personal link: never cached or indexed."""
    response = current_app.make_response(response if status is None else (response, status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@contextmanager
def missing_is_404():
    """Around a look-up by what the address holds (a slug, an id, a token): a NotFound from
    it is the page's 404."""
    try:
        yield
    except NotFound:
        abort(404)


def owned_or_404(model: type[T], row_id, **owner) -> T:
    """The row `row_id` of `model` if it belongs where the address says (its columns have
    the values given, e.g. event_id=event.id), else 404 as if it did not exist."""
    row = db.session.get(model, row_id)
    if row is None or any(getattr(row, column) != value for column, value in owner.items()):
        abort(404)
    return row


def redirect_with_result(key: str, endpoint: str, slug: str, **result):
    """Post/Redirect/Get: the result of a form sent about `slug` is kept in the (signed)
    session cookie under `key` for the page `endpoint` shows, so a reload shows it again and
    sends nothing twice."""
    session[key] = {"slug": slug, **result}
    return redirect(url_for(endpoint, slug=slug))


def result_for(key: str, slug: str) -> dict | None:
    """The result redirect_with_result kept for `slug`, or None."""
    result = session.get(key)
    return result if result and result.get("slug") == slug else None


def known_host(server_name: str) -> bool:
    """Whether the request is for SERVER_NAME (its port may be left out when it has none)."""
    host, expected = request.host.lower(), server_name.lower()
    if ":" not in expected and not host.endswith("]"):
        host = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return host == expected


def register(app: Flask) -> None:
    app.json = BoundedJSONProvider(app)

    @app.before_request
    def refuse_unknown_hosts():
        # With SERVER_NAME set, links are built from it; a request for another host (a
        # forged Host header) is refused, so no page is made or cached for it. The health
        # check answers whatever address the load balancer uses.
        server_name = app.config.get("SERVER_NAME")
        if server_name and request.endpoint != "core.health" and not known_host(server_name):
            abort(400)

    @app.before_request
    def refuse_control_characters():
        # No address holds them (PostgreSQL would refuse a NUL in a query): not found.
        if inputs.bad_text(request.path):
            abort(404)
        if any(
            inputs.bad_text(key) or inputs.bad_text(value, multiline=True)
            for key, value in request.args.items(multi=True)
        ):
            abort(400)

    app.jinja_env.filters["local_datetime"] = i18n.local_datetime
    app.jinja_env.filters["local_date"] = i18n.local_date
    app.jinja_env.filters["local_time"] = i18n.local_time
    app.jinja_env.filters["local_hour"] = i18n.local_hour
    app.jinja_env.filters["event_time"] = i18n.event_time  # an event's times, in its zone
    app.jinja_env.globals["local_span"] = i18n.local_span
    app.jinja_env.filters["elide"] = i18n.elide
    app.jinja_env.globals["zone_label"] = i18n.zone_label
    app.jinja_env.filters["markdown"] = text.render_markdown
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["place"] = text.location  # venue, address, city on one line
    app.jinja_env.globals["LANGUAGES"] = app.config["LANGUAGES"]
    app.jinja_env.globals["LANGUAGE_LABELS"] = {
        "fr": "Français", "nl": "Nederlands", "en": "English"
    }
    app.jinja_env.globals["localized"] = texts.localized
    app.jinja_env.globals["language_name"] = texts.language_name
    app.jinja_env.filters["with_lang"] = texts.with_lang

    @app.after_request
    def security_headers(response):
        # Everything is served by the app itself (venues have closed networks), so 'self' is enough.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.path.startswith("/staff") or request.path.startswith("/auth"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
