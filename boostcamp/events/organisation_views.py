"""An organisation's public page: its upcoming and past events (a face of events, the floor
above organisations)."""

from flask import Blueprint, render_template, request

from boostcamp.core.db import paginate
from boostcamp.core.text import plain_text
from boostcamp.core.web import missing_is_404
from boostcamp.events import queries
from boostcamp.organisations import services

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/<slug>")
def show_organisation(slug: str):
    return _organisation_page(slug, past=False)


@bp.get("/<slug>/past")
def past_events(slug: str):
    return _organisation_page(slug, past=True)


def _organisation_page(slug: str, past: bool):
    with missing_is_404():
        organisation = services.get_by_slug(slug)
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
