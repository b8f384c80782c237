"""Public pages of an organisation (a partner platform's events)."""

from flask import Blueprint, abort, make_response, render_template, request

from boostcamp.core.text import plain_text
from boostcamp.db import paginate
from boostcamp.errors import NotFound
from boostcamp.events import queries
from boostcamp.organisations import logos, services

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/<slug>")
def show_organisation(slug: str):
    return _organisation_page(slug, past=False)


@bp.get("/<slug>/past")
def past_events(slug: str):
    return _organisation_page(slug, past=True)


def _organisation_page(slug: str, past: bool):
    try:
        organisation = services.get_by_slug(slug)
    except NotFound:
        abort(404)
    page = paginate(
        queries.public_events(organisation=organisation, past=past),
        page=request.args.get("page"),
        per_page=queries.PER_PAGE,
    )
    website = organisation.website or ""
    return render_template(
        "organisations/show.html",
        organisation=organisation,
        page=page,
        past=past,
        seats_left=queries.seats_left_by_event(page.items),
        meta_description=plain_text(organisation.description),
        # Typed in by staff: only a web address becomes a link (never javascript: …).
        website=website if website.startswith(("https://", "http://")) else None,
    )


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
