"""Error pages: every failure a person can meet gets a page in their language, never a stack trace."""

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
import sqlalchemy as sa
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from boostcamp.core import json_errors
from boostcamp.core.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Access denied"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist or is no longer available.")),
    405: (_l("Not allowed"), _l("This action is not allowed here.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (
        _l("Too many attempts"),
        _l("You tried too often in a short time. Please wait a few minutes and try again."),
    ),
    503: (
        _l("Very busy right now"),
        _l("Too many people are writing at this moment. Nothing you entered was saved; please send it again in a few seconds."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An unexpected error occurred. Nothing you entered was saved; please try again."),
    ),
}


def _render(code: int, title=None, message=None):
    default_title, default_message = MESSAGES.get(code, MESSAGES[400])
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=title or default_title,
            message=message or default_message,
        ),
        code,
    )


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400,
            _l("This form has expired"),
            _l("The page was open too long or cookies are blocked. Go back, reload the page and send the form again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.blueprint == "api" or request.path.startswith("/api/"):
            return json_errors.http_error(error)  # the API answers in JSON, never HTML
        return _render(error.code or 500)

    @app.errorhandler(sa.exc.OperationalError)
    def database_busy(error: sa.exc.OperationalError):
        # SQLite's single writer waited busy_timeout in vain (a burst on the embedded
        # database): nothing was written, so say "try again", not "something went wrong".
        if "locked" not in str(error.orig):
            return unexpected_error(error)

        app.logger.warning("database busy on %s %s", request.method, request.path)
        db.session.rollback()
        if request.path.startswith("/api/"):
            response = json_errors.http_error(ServiceUnavailable())
        else:
            response = _render(503)
        response = app.make_response(response)
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        if request.path.startswith("/api/"):
            return json_errors.http_error(InternalServerError())
        return _render(500)
