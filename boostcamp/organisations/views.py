"""The logos of organisations, served by their content's hash. An organisation's public page
lists its events, so it lives with them (events/organisation_views.py)."""

from flask import Blueprint, abort, make_response

from boostcamp.organisations import logos

logos_bp = Blueprint("logos", __name__, url_prefix="/logos")


@logos_bp.get("/<sha256>.<ext>")
def show_logo(sha256: str, ext: str):
    """A logo by its content's hash: it never changes, so browsers keep it for a year. The
    sandbox policy keeps the file inert even when opened on its own."""
    logo = logos.get(sha256) if len(sha256) == 64 else None
    if logo is None or ext != logo.media_type.removeprefix("image/"):
        abort(404)
    response = make_response(logo.data)
    response.headers["Content-Type"] = logo.media_type
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
