"""Public pages: the catalogue and an event's page."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from boostcamp.auth.permissions import Action, can
from boostcamp.errors import NotFound
from boostcamp.events import services
from boostcamp.events.models import EventStatus
from boostcamp.extensions import db

bp = Blueprint("events", __name__)


@bp.get("/")
def list_events():
    page = db.paginate(
        services.upcoming_public_events(), page=request.args.get("page", 1, type=int),
        per_page=12, error_out=False,
    )
    taken = services.seats_taken(e.id for e in page.items)
    return render_template("events/list.html", page=page, taken=taken)


@bp.get("/events/<slug>")
def show_event(slug: str):
    try:
        event = services.get_by_slug(slug)
    except NotFound:
        abort(404)
    # Drafts are not public: only the people who may work on them see them.
    if event.status == EventStatus.DRAFT and not can(current_user, Action.VIEW_EVENT, event):
        abort(404)
    taken = services.seats_taken([event.id])[event.id]
    return render_template(
        "events/show.html", event=event, seats_left=services.seats_left(event, taken)
    )
