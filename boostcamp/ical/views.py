"""Calendars over HTTP: an event's .ics, the public feeds, and the secret feeds of staff
members (their events) and of participants (their registrations)."""

import hashlib
from collections.abc import Callable
from datetime import datetime

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)  # fmt: skip
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from boostcamp.core.extensions import cache
from boostcamp.core.policy import Action, require
from boostcamp.core.texts import reader_language
from boostcamp.core.web import missing_is_404
from boostcamp.events import queries
from boostcamp.events.models import Audience, EventKind
from boostcamp.ical import builder, links, services
from boostcamp.ical.forms import CalendarFeedForm
from boostcamp.organisations import services as org_services
from boostcamp.registrations.tokens import registration_from

bp = Blueprint("ical", __name__)
# Every page may offer "add to calendar": the links are template globals of the whole app.
bp.add_app_template_global(links.event_links, "event_calendar_links")
bp.add_app_template_global(links.feed_links, "feed_calendar_links")
bp.add_app_template_global(links.catalogue_feed_url, "calendar_feed_url")
MAX_AGE = 300  # seconds; calendar apps refresh hourly anyway (REFRESH-INTERVAL)
MY_EVENTS = _l("My events")
UNKNOWN_KIND = _l("Unknown kind of event.")
UNKNOWN_AUDIENCE = _l("Unknown audience.")


@bp.get("/events/<slug>.ics")
def download_event(slug: str):
    found = services.event_version(slug)
    if found is None:
        abort(404)
    version, modified = found

    language = reader_language()  # the page's language: the event's texts in it, if written

    def build() -> bytes:
        return builder.publish(
            [services.event_for_download(slug)], services.site(), language=language
        )

    body, etag = _cached_calendar(f"event:{slug}:{language}:{version}", build)
    return _calendar(body, etag, modified, public=True, filename=f"{slug}.ics")


@bp.get("/calendar.ics")
def calendar_feed():
    # Unknown parameters are ignored (apps add their own); a kind or audience the catalogue
    # does not know is refused, as a subscription would silently widen to every event.
    filters = queries.Filters.from_args(request.args)
    for name, message in (("kind", UNKNOWN_KIND), ("audience", UNKNOWN_AUDIENCE)):
        if request.args.get(name) and not getattr(filters, name):
            return Response(f"{message}\n", 400, mimetype="text/plain")
    version, modified = services.feed_version()
    language = _feed_language()

    def build() -> bytes:
        events = services.public_feed(filters)
        name = services.feed_name(filters.city, *_labels(filters))
        return builder.publish(events, services.site(), builder.Feed(name), language=language)

    # A text search or a month is no subscription anyone shares: built, never kept.
    key = (
        None if filters.q or filters.month
        else f"feed:{sorted(filters.args().items())}:{language}:{version}"
    )  # fmt: skip
    body, etag = _cached_calendar(key, build)
    return _calendar(body, etag, modified, public=True)


@bp.get("/organisations/<slug>/calendar.ics")
def organisation_feed(slug: str):
    with missing_is_404():
        organisation = org_services.get_by_slug(slug)
    version, modified = services.feed_version()
    language = _feed_language()

    def build() -> bytes:
        events = services.public_feed(organisation=organisation)
        feed = builder.Feed(services.feed_name(organisation.name))
        return builder.publish(events, services.site(), feed, language=language)

    body, etag = _cached_calendar(f"organisation:{organisation.id}:{language}:{version}", build)
    return _calendar(body, etag, modified, public=True)


@bp.get("/staff/calendar/<token>.ics")
def staff_feed(token: str):
    with missing_is_404():
        feed = services.find_staff_feed(token)
    events = services.staff_feed(feed.user)
    body = builder.publish(events, services.site(), builder.Feed(services.feed_name(MY_EVENTS)))
    return _calendar(body, _etag(body), services.last_modified(), public=False)


@bp.get("/calendar/<token>.ics")
def personal_feed(token: str):
    """A person's registrations, from the address on their self-service page."""
    feed = services.find_personal_feed(token)
    if feed is None:
        abort(404)
    person = feed.person
    events, marks = services.personal_feed(person)
    name = services.personal_feed_name(person)
    body = builder.publish(
        events, services.site(), builder.Feed(name), marks, language=person.language
    )
    return _calendar(body, _etag(body), services.personal_last_modified(person), public=False)


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
        flash(
            _("The address no longer works; calendars subscribed to it stop updating."), "success"
        )
    return redirect(url_for("ical.staff_calendar"))


# A participant's own feed, from their self-service page (registrations/manage.html).
@bp.post("/r/<token>/calendar/new")
def create_calendar_feed(token: str):
    """The person's own feed (all their registrations): the self-service link is the key,
    CSRFProtect has checked the form's token."""
    registration = registration_from(token) or abort(404)
    services.personal_feed_for(registration.person, create=True)
    flash(_("Your calendar address is ready."), "success")
    return redirect(url_for("registrations.manage", token=token, _anchor="my-calendar"))


@bp.post("/r/<token>/calendar/replace")
def replace_calendar_feed(token: str):
    registration = registration_from(token) or abort(404)
    services.create_feed(registration.person)
    flash(_("New calendar address created: the previous one no longer works."), "success")
    return redirect(url_for("registrations.manage", token=token, _anchor="my-calendar"))


def _labels(filters: queries.Filters) -> list:
    """The kind and audience filtered on, as (lazy) names for the feed's name."""
    return [
        enum(value).label
        for enum, value in ((EventKind, filters.kind), (Audience, filters.audience))
        if value
    ]


def _feed_language() -> str | None:
    """Calendar apps fetch feeds without saying which language they speak: the address may
    (?lang=nl, as the pages' links give it); else each event speaks its own language."""
    language = request.args.get("lang")
    return language if language in current_app.config["LANGUAGES"] else None


def _cached_calendar(key: str | None, build: Callable[[], bytes]) -> tuple[bytes, str]:
    """A public calendar and its ETag, kept in the cache under a key that names its version
    (services.feed_version / event_version): rebuilt only when one of its events or
    organisers changed, the same bytes otherwise, and a client holding them gets its 304
    without anything being built. Entries also expire after MAX_AGE, which bounds what app
    servers with skewed clocks could keep."""
    if key is None:
        body = build()
        return body, _etag(body)
    # The links inside name the host when SERVER_NAME does not.
    key = f"ics:{current_app.config['SERVER_NAME'] or request.host}:{key}"
    kept = cache.get(key)
    if kept is None:
        body = build()
        kept = (body, _etag(body))
        cache.set(key, kept, timeout=MAX_AGE)
    return kept


def _etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:40]


def _calendar(
    body: bytes, etag: str, last_modified: datetime, *, public: bool, filename: str | None = None
) -> Response:
    """text/calendar with validators, so that apps polling an unchanged feed get a 304."""
    response = Response(body, mimetype="text/calendar")
    response.set_etag(etag)
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
