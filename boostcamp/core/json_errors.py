"""JSON errors, for the API and every JSON endpoint: one body, {"error": code, "message": …, "fields": {field: message}},
for every failure: domain errors, bad JSON, schema errors, HTTP errors — never HTML."""

from json import JSONDecodeError

from flask import current_app, jsonify
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from boostcamp.core.i18n import N_
# Forbidden: the API's views raise it as errors.Forbidden
from boostcamp.core.errors import DomainError, Forbidden, ValidationFailed  # noqa: F401
from boostcamp.core.extensions import db


# marshmallow's own messages, so that the translations pick them up
SCHEMA_MESSAGES = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Not a valid string."),
    N_("Not a valid integer."),
    N_("Not a valid boolean."),
    N_("Not a valid list."),
    N_("Not a valid date."),
    N_("Invalid type."),
    N_("Invalid input type."),
    N_("Unknown field."),
)
CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "too_many_requests",
    500: "server_error",
    503: "busy",
}


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None, headers=None
):
    body = {"error": code, "message": str(message), "fields": fields or {}}
    return jsonify(body), status, headers or {}


def domain_error(error: DomainError):
    """A service refused: nothing it flushed is kept."""
    db.session.rollback()
    status, code, message = error.status, error.code, error.message
    if isinstance(error, ValidationFailed):
        code, message = "validation_failed", _("Some fields are not valid.")
    fields = {k: v for k, v in error.errors.items() if k != "_"}
    return error_response(status, code, message, fields)


def conflict_meanwhile(error: Exception):
    """Two requests raced for the same slug (or the like): the loser is told, nothing is kept."""
    db.session.rollback()
    return error_response(409, "conflict", _("This conflicts with data saved meanwhile; try again."))


def http_error(error: HTTPException):
    """abort(…) in the API, webargs' parsing errors, and unknown routes under /api/."""
    status = error.code or 500
    if isinstance(getattr(error, "exc", None), (JSONDecodeError, UnicodeDecodeError)):
        return error_response(400, "bad_json", _("The body is not valid JSON."))
    data = getattr(error, "data", None) or {}
    headers = dict(error.get_headers())
    headers.pop("Content-Type", None)
    headers.update(data.get("headers") or {})
    if "messages" in data:  # webargs: {location: marshmallow messages}
        fields = {}
        for messages in data["messages"].values():
            fields.update(flatten(messages))
        return error_response(
            status, "validation_failed", _("Some fields are not valid."), fields, headers
        )
    message = data.get("message") or _http_message(status)
    return error_response(status, CODES.get(status, "error"), message, headers=headers)


def unexpected_error(error: Exception):
    current_app.logger.exception("unhandled error in the API")
    db.session.rollback()
    return http_error(InternalServerError())


def flatten(messages, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages as {"sessions.0.starts_at": "…"}, translated."""
    if isinstance(messages, dict):
        flat = {}
        for key, value in messages.items():
            name = "_" if key == "_schema" else str(key)
            flat.update(flatten(value, f"{prefix}.{name}" if prefix else name))
        return flat
    if isinstance(messages, (list, tuple)) and any(isinstance(m, dict) for m in messages):
        flat = {}
        for m in messages:
            flat.update(flatten(m, prefix))
        return flat
    items = messages if isinstance(messages, (list, tuple)) else [messages]
    return {prefix or "_": " ".join(_(str(m)) for m in items)}


def _http_message(status: int) -> str:
    messages = {
        400: _("The request could not be understood."),
        401: _("Give a valid API token: Authorization: Bearer <token>."),
        403: _("This token may not do that."),
        404: _("This address does not exist in the API."),
        405: _("This method is not allowed here."),
        413: _("What you sent is too large."),
        500: _("An unexpected error occurred. Nothing was saved; please try again."),
    }
    return messages.get(status, _("The request could not be understood."))
