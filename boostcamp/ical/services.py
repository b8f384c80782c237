"""What goes into each calendar, and the secret feed addresses (a staff member's events, a
person's registrations).

A feed keeps an event until 30 days after it ended, so that subscribed calendars do not lose
last week's Boostcamp, and a cancelled event for 30 days after its cancellation (marked
STATUS:CANCELLED), so that every client hears of it; drafts never appear. The window moves
once a day (at midnight UTC), so a feed's bytes change only when an event changes or a day
passes, which is what Last-Modified says.
"""

import hashlib
import hmac
import secrets
from base64 import urlsafe_b64encode
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import defer, selectinload

from boostcamp.auth.models import User, hash_token
from boostcamp.core.policy import events_filter
from boostcamp.core.cache import read_at_most_once_a_second
from boostcamp.core.db import lock_row, utcnow
from boostcamp.core.errors import NotFound
from boostcamp.events import queries
from boostcamp.events.models import Event, EventKind, EventOrganiser, EventStatus
from boostcamp.core.extensions import db
from boostcamp.ical import builder
from boostcamp.ical.builder import Mark, Site
from boostcamp.ical.models import CalendarFeed
from boostcamp.organisations.models import Organisation
from boostcamp.registrations import signals as registration_signals
from boostcamp.registrations.models import Person, Registration, RegistrationStatus

KEEP_FOR = timedelta(days=30)
MY_REGISTRATIONS = _l("My registrations — Boostcamp")
# Before the title of an event one has no seat at yet, in a personal feed: the status's
# label, but "Application" reads better there than "Applied".
WAITING = (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED, RegistrationStatus.APPLIED)
APPLICATION = _l("Application")
# What a calendar shows, in one query per relation: selectinload cuts its IN lists into
# batches of 500 by default, a feed asks for up to 10,000 ids at once (SQLite accepts 32,766
# parameters, PostgreSQL 65,535). The long Markdown description stays on the page.
IN_BATCH = 10_000
FEED_LOAD = (
    selectinload(Event.sessions, chunksize=IN_BATCH),
    selectinload(Event.organisers, chunksize=IN_BATCH).joinedload(EventOrganiser.organisation),
    defer(Event.description, raiseload=True),
)


def site() -> Site:
    """This server, as the builder sees it. UIDs must never change: set ICAL_UID_DOMAIN
    once in production (it defaults to SERVER_NAME)."""
    config = current_app.config
    sender = config.get("MAIL_DEFAULT_SENDER") or "noreply@localhost"
    if isinstance(sender, tuple):
        sender = sender[1]
    # One url_for for a feed's thousands of events: slugs need no quoting ([a-z0-9-]).
    pages = url_for("events.show_event", slug="-", _external=True).removesuffix("-")
    labels = {}
    for language in config["LANGUAGES"]:
        with force_locale(language):
            labels.update({(language, kind.value): str(kind.label) for kind in EventKind})
    return Site(
        uid_domain=config.get("ICAL_UID_DOMAIN") or config.get("SERVER_NAME") or "boostcamp.local",
        organizer_email=config.get("ICAL_ORGANIZER_EMAIL") or sender.rpartition("<")[2].rstrip(">"),
        event_url=lambda slug: pages + slug,
        kind_labels=labels,
        default_timezone=config["BABEL_DEFAULT_TIMEZONE"],
    )


def feed_name(*parts: str) -> str:
    """A feed's name in calendar apps, in the site's language: apps fetch feeds without
    saying which language they speak."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return " · ".join(["Boostcamp", *(str(p) for p in parts if p)])


# ---------------------------------------------------------------- what a calendar shows


def event_for_download(slug: str) -> Event:
    """A published or cancelled event, with its agenda; drafts are not found."""
    event = queries.get_by_slug(slug)
    if event.status == EventStatus.DRAFT:
        raise NotFound(_l("No such event."))
    return event


def public_feed(
    filters: queries.Filters | None = None,
    organisation: Organisation | None = None,
    now: datetime | None = None,
) -> list[Event]:
    """The catalogue's events (all, or an organisation's), as a feed keeps them."""
    since = _window_start(now)
    filters = filters or queries.Filters()
    # The catalogue's own conditions, with the loading a feed needs.
    catalogue = queries.public_events(filters, organisation=organisation, now=since)
    return _feed(catalogue.whereclause, _kept(since))


def staff_feed(user: User, now: datetime | None = None) -> list[Event]:
    """The events the user may work on, drafts left out."""
    since = _window_start(now)
    return _feed(
        events_filter(user), Event.status != EventStatus.DRAFT, Event.ends_at >= since, _kept(since)
    )


def _feed(*conditions: sa.ColumnElement[bool]) -> list[Event]:
    query = sa.select(Event).where(*conditions).options(*FEED_LOAD)
    return list(db.session.scalars(query.order_by(Event.starts_at, Event.id)))


def last_modified(now: datetime | None = None) -> datetime:
    """When a feed last changed, at the latest: the last change of any event (one that left
    the feed changed it too), or the window's daily move (which may have let an event go).
    Coarse but never too early, so If-Modified-Since never hides a change; If-None-Match
    (the ETag is a hash of the body) is exact."""
    latest = db.session.scalar(sa.select(sa.func.max(Event.updated_at)))
    day = _window_start(now) + KEEP_FOR
    return max(latest, day) if latest else day


@read_at_most_once_a_second
def feed_version() -> tuple[str, datetime]:
    """What every public feed's bytes depend on, in one statement: the last change of any
    event or organisation and the window's day. A calendar is rebuilt only when this
    changes (see views._cached_calendar); also returns last_modified()."""
    latest_event, latest_org = db.session.execute(
        sa.select(
            sa.func.max(Event.updated_at),
            sa.select(sa.func.max(Organisation.updated_at)).scalar_subquery(),
        )
    ).one()
    day = _window_start(None) + KEEP_FOR
    modified = max(latest_event, day) if latest_event else day
    return f"{_stamp(latest_event)}:{_stamp(latest_org)}:{day.date()}", modified


@read_at_most_once_a_second
def event_version(slug: str) -> tuple[str, datetime] | None:
    """An event's .ics version (its last change, its organisers' last change), from one
    statement that loads nothing else; None for drafts and unknown slugs."""
    latest_org = (
        sa.select(sa.func.max(Organisation.updated_at))
        .join(EventOrganiser, EventOrganiser.organisation_id == Organisation.id)
        .where(EventOrganiser.event_id == Event.id)
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(Event.id, Event.status, Event.updated_at, latest_org).where(Event.slug == slug)
    ).one_or_none()
    if row is None or row.status == EventStatus.DRAFT:
        return None
    return f"{row.id}:{_stamp(row.updated_at)}:{_stamp(row[3])}", row.updated_at


def _stamp(moment: datetime | None) -> str:
    return moment.isoformat() if moment else "-"


def _window_start(now: datetime | None) -> datetime:
    today = datetime.combine(
        (now or utcnow()).astimezone(timezone.utc).date(), time(), timezone.utc
    )
    return today - KEEP_FOR


def _kept(since: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(Event.status != EventStatus.CANCELLED, Event.cancelled_at >= since)


# ---------------------------------------------------------------- secret feed addresses
# A staff member's feed (CalendarFeed.user) and a person's (CalendarFeed.person) work alike:
# at most one active address per owner, which its owner may replace or stop at any time.

FeedOwner = User | Person


def feed_token(feed: CalendarFeed) -> str:
    """The secret in the feed's address. Derived from the app's secret key, so the owner's
    page can show it again while the database keeps only its hash; changing SECRET_KEY
    therefore changes every feed address."""
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    digest = hmac.new(key, f"calendar-feed:{feed.id}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:24]).decode()


def feed_url(feed: CalendarFeed) -> str:
    endpoint = "ical.staff_feed" if feed.user_id is not None else "ical.personal_feed"
    return url_for(endpoint, token=feed_token(feed), _external=True)


def _owned_by(owner: FeedOwner) -> sa.ColumnElement[bool]:
    column = CalendarFeed.user_id if isinstance(owner, User) else CalendarFeed.person_id
    return sa.and_(column == owner.id, CalendarFeed.revoked_at.is_(None))


def active_feed(owner: FeedOwner) -> CalendarFeed | None:
    return db.session.scalar(
        sa.select(CalendarFeed).where(_owned_by(owner)).order_by(CalendarFeed.id.desc()).limit(1)
    )


def create_feed(owner: FeedOwner) -> tuple[CalendarFeed, bool]:
    """A new secret address for the owner, and whether it replaced one (which stops
    working). Under the owner's lock: two clicks at once replace one after the other, and
    the owner keeps one working address."""
    lock_row(User if isinstance(owner, User) else Person, owner.id)  # owner may be current_user
    return _replace_feeds(owner)


def _replace_feeds(owner: FeedOwner) -> tuple[CalendarFeed, bool]:
    replaced = revoke_feeds(owner) > 0
    # The token needs the row's id: a random placeholder keeps the unique hash column happy.
    feed = CalendarFeed(token_hash=hash_token(secrets.token_urlsafe(32)))
    if isinstance(owner, User):
        feed.user = owner
    else:
        feed.person = owner
    db.session.add(feed)
    db.session.flush()
    feed.token_hash = hash_token(feed_token(feed))
    db.session.flush()
    return feed, replaced


def revoke_feeds(owner: FeedOwner) -> int:
    """Stop the owner's feed addresses at once; returns how many were active."""
    feeds = db.session.scalars(sa.select(CalendarFeed).where(_owned_by(owner))).all()
    for feed in feeds:
        feed.revoked_at = utcnow()
    db.session.flush()
    return len(feeds)


def _find_feed(token: str, owner_column: sa.ColumnElement) -> CalendarFeed | None:
    return db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token_hash == hash_token(token),
            CalendarFeed.revoked_at.is_(None),
            owner_column.is_not(None),
        )
    )


def find_staff_feed(token: str) -> CalendarFeed:
    """The active feed with this token, whose owner may still sign in."""
    feed = _find_feed(token, CalendarFeed.user_id)
    if feed is None or not feed.user.is_active:
        raise NotFound(_l("No such calendar."))
    return feed


# ---------------------------------------------------------------- a person's own feed


def personal_feed_for(person: Person, create: bool = True) -> CalendarFeed | None:
    """The person's active feed; a new one if they have none and `create` (so that a second
    click on "create", even at the same instant, gives the same address)."""
    feed = active_feed(person)
    if feed is None and create:
        lock_row(Person, person.id)  # a click at the same instant waits, then finds this one
        feed = active_feed(person) or _replace_feeds(person)[0]
    return feed


def find_personal_feed(token: str) -> CalendarFeed | None:
    """The active personal feed with this token; None for a revoked or unknown one."""
    return _find_feed(token, CalendarFeed.person_id)


def personal_feed(
    person: Person, now: datetime | None = None
) -> tuple[list[Event], dict[int, Mark]]:
    """The events of the person's registrations, as their feed shows them, with how each is
    marked. A confirmed seat is the event itself; a place on the waiting list or a seat
    offered is TENTATIVE and labelled (it is no seat yet, but the day is worth keeping
    free); a cancelled registration stays 30 days as CANCELLED, like a cancelled event, so
    that subscribed calendars drop it. Drafts never appear."""
    since = _window_start(now)
    rows = db.session.execute(
        sa.select(Event, Registration.status)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.person_id == person.id,
            sa.or_(
                Registration.status != RegistrationStatus.CANCELLED,
                Registration.cancelled_at >= since,
            ),
            Event.status != EventStatus.DRAFT,
            Event.ends_at >= since,
            _kept(since),
        )
        .options(*FEED_LOAD)
        .order_by(Event.starts_at, Event.id)
    ).all()
    with force_locale(person.language):
        labels = {s: str(APPLICATION if s == RegistrationStatus.APPLIED else s.label)
                  for s in WAITING}  # fmt: skip
    marks = {}
    for event, status in rows:
        if status in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED):
            marks[event.id] = Mark("CANCELLED")
        elif status in labels:
            marks[event.id] = Mark("TENTATIVE", labels[status])
    return [event for event, _status in rows], marks


def personal_feed_name(person: Person) -> str:
    """In the person's language: the feed is theirs alone."""
    with force_locale(person.language):
        return str(MY_REGISTRATIONS)


def personal_last_modified(person: Person, now: datetime | None = None) -> datetime:
    """last_modified(), later when one of the person's registrations changed since."""
    latest = db.session.scalar(
        sa.select(sa.func.max(Registration.updated_at)).where(
            Registration.person_id == person.id
        )
    )
    events = last_modified(now)
    return max(latest, events) if latest else events


@registration_signals.self_service_page.connect
def _self_service_feed(registration: Registration, *, now) -> dict:
    """The person's calendar address on their self-service page, if they made one."""
    feed = personal_feed_for(registration.person, create=False)
    return {"feed_url": feed_url(feed) if feed else None}


@registration_signals.calendar_invitation.connect
def invitation_attachment(registration: Registration, *, method: str) -> tuple[str, str, bytes]:
    """A registration mail's calendar: one attachment with the whole programme, in the
    person's language, so that one file is opened, not one per session."""
    event, person = registration.event, registration.person
    message = builder.invitation(
        event, builder.Attendee(person.full_name, person.email), site(),
        builder.Method(method), stamp=utcnow(), language=person.language,
    )  # fmt: skip
    return f"{event.slug}.ics", f"text/calendar; method={method}; charset=utf-8", message
