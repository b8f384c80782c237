"""Calendars over HTTP: an event's .ics, the public feeds, and the secret feeds of staff
members (their events) and of participants (their registrations)."""

import hashlib
from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from boostcamp.auth.permissions import Action, require
from boostcamp.errors import NotFound
from boostcamp.events import queries
from boostcamp.events.forms import AUDIENCE_LABELS, KIND_LABELS
from boostcamp.extensions import db
from boostcamp.ical import builder, links, services
from boostcamp.ical.forms import CalendarFeedForm
from boostcamp.organisations import services as org_services

bp = Blueprint("ical", __name__)
MAX_AGE = 300  # seconds; calendar apps refresh hourly anyway (REFRESH-INTERVAL)
MY_EVENTS = _l("My events")
UNKNOWN_KIND = _l("Unknown kind of event.")
UNKNOWN_AUDIENCE = _l("Unknown audience.")


@bp.get("/events/<slug>.ics")
def download_event(slug: str):
    try:
        event = services.event_for_download(slug)
    except NotFound:
        abort(404)
    body = builder.publish([event], services.site())
    return _calendar(body, event.updated_at, public=True, filename=f"{event.slug}.ics")


@bp.get("/calendar.ics")
def calendar_feed():
    # Unknown parameters are ignored (apps add their own); a kind or audience the catalogue
    # does not know is refused, as a subscription would silently widen to every event.
    filters = queries.Filters.from_args(request.args)
    for name, message in (("kind", UNKNOWN_KIND), ("audience", UNKNOWN_AUDIENCE)):
        if request.args.get(name) and not getattr(filters, name):
            return Response(f"{message}\n", 400, mimetype="text/plain")
    events = services.public_feed(filters)
    name = services.feed_name(filters.city, *_labels(filters))
    body = builder.publish(events, services.site(), builder.Feed(name))
    return _calendar(body, services.last_modified(), public=True)


@bp.get("/organisations/<slug>/calendar.ics")
def organisation_feed(slug: str):
    try:
        organisation = org_services.get_by_slug(slug)
    except NotFound:
        abort(404)
    events = services.public_feed(organisation=organisation)
    feed = builder.Feed(services.feed_name(organisation.name))
    body = builder.publish(events, services.site(), feed)
    return _calendar(body, services.last_modified(), public=True)


@bp.get("/staff/calendar/<token>.ics")
def staff_feed(token: str):
    try:
        feed = services.find_staff_feed(token)
    except NotFound:
        abort(404)
    events = services.staff_feed(feed.user)
    body = builder.publish(events, services.site(), builder.Feed(services.feed_name(MY_EVENTS)))
    return _calendar(body, services.last_modified(), public=False)


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    """A person's registrations, from the address on their self-service page."""
    feed = services.find_personal_feed(token)
    if feed is None:
        abort(404)
    person = feed.person
    events, marks = services.personal_feed(person)
    name = services.personal_feed_name(person)
    body = builder.publish(events, services.site(), builder.Feed(name), marks)
    return _calendar(body, services.personal_last_modified(person), public=False)


@bp.get("/staff/calendar")
@login_required
def staff_calendar():
    require(Action.ACCESS_STAFF_AREA)
    feed = services.active_feed(current_user)
    url = services.feed_url(feed) if feed is not None else None
    return render_template(
        "ical/staff_calendar.html", url=url, webcal_url=links.webcal(url) if url else None
    )


@bp.post("/staff/calendar/new")
@login_required
def create_staff_feed():
    require(Action.ACCESS_STAFF_AREA)
    if CalendarFeedForm().validate_on_submit():
        _feed, replaced = services.create_feed(current_user)
        db.session.commit()
        if replaced:
            flash(_("New address created: the previous one no longer works."), "success")
        else:
            flash(_("Your calendar address is ready."), "success")
    return redirect(url_for("ical.staff_calendar"))


@bp.post("/staff/calendar/revoke")
@login_required
def revoke_staff_feed():
    require(Action.ACCESS_STAFF_AREA)
    if CalendarFeedForm().validate_on_submit():
        services.revoke_feeds(current_user)
        db.session.commit()
        flash(
            _("The address no longer works; calendars subscribed to it stop updating."), "success"
        )
    return redirect(url_for("ical.staff_calendar"))


def _labels(filters: queries.Filters) -> list:
    """The kind and audience filtered on, as (lazy) names for the feed's name."""
    return [
        labels[value]
        for labels, value in ((KIND_LABELS, filters.kind), (AUDIENCE_LABELS, filters.audience))
        if value
    ]


def _calendar(
    body: bytes, last_modified: datetime, *, public: bool, filename: str | None = None
) -> Response:
    """text/calendar with validators, so that apps polling an unchanged feed get a 304."""
    response = Response(body, mimetype="text/calendar")
    response.set_etag(hashlib.sha256(body).hexdigest()[:40])
    response.last_modified = last_modified
    response.cache_control.max_age = MAX_AGE
    if public:
        response.cache_control.public = True
    else:
        response.cache_control.private = True  # the address is a secret: no shared caches
        response.headers["X-Robots-Tag"] = "noindex"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response.make_conditional(request)
