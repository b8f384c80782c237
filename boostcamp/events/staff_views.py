"""The staff area: what the signed-in centre staff or partner member may manage."""

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from boostcamp.auth.permissions import Action, events_filter, require
from boostcamp.db import utcnow
from boostcamp.events import services
from boostcamp.events.models import Event
from boostcamp.extensions import db

bp = Blueprint("staff_events", __name__, url_prefix="/staff")


@bp.get("/")
@login_required
def dashboard():
    require(Action.ACCESS_STAFF_AREA)
    show = request.args.get("show", "upcoming")
    query = sa.select(Event).where(events_filter(current_user)).options(*services.LIST_LOAD)
    if show == "past":
        query = query.where(Event.ends_at < utcnow()).order_by(Event.starts_at.desc())
    else:
        show = "upcoming"
        query = query.where(Event.ends_at >= utcnow()).order_by(Event.starts_at)
    page = db.paginate(
        query.order_by(Event.id), page=request.args.get("page", 1, type=int),
        per_page=20, error_out=False,
    )
    taken = services.seats_taken(e.id for e in page.items)
    return render_template("staff/dashboard.html", page=page, taken=taken, show=show)
