"""What goes into each calendar, and the secret feed addresses.

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

from boostcamp.api.models import hash_token
from boostcamp.auth.models import User
from boostcamp.auth.permissions import events_filter
from boostcamp.db import utcnow
from boostcamp.errors import NotFound
from boostcamp.events import queries
from boostcamp.events import services as event_services
from boostcamp.events.forms import KIND_LABELS
from boostcamp.events.models import Event, EventOrganiser, EventStatus
from boostcamp.extensions import db
from boostcamp.ical.builder import Site
from boostcamp.ical.models import CalendarFeed
from boostcamp.organisations.models import Organisation

KEEP_FOR = timedelta(days=30)
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
            labels.update({(language, kind): str(label) for kind, label in KIND_LABELS.items()})
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
    event = event_services.get_by_slug(slug)
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


def _window_start(now: datetime | None) -> datetime:
    today = datetime.combine(
        (now or utcnow()).astimezone(timezone.utc).date(), time(), timezone.utc
    )
    return today - KEEP_FOR


def _kept(since: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(Event.status != EventStatus.CANCELLED, Event.cancelled_at >= since)


# ---------------------------------------------------------------- secret feed addresses


def feed_token(feed: CalendarFeed) -> str:
    """The secret in the feed's address. Derived from the app's secret key, so the staff page
    can show it again while the database keeps only its hash; changing SECRET_KEY therefore
    changes every feed address."""
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    digest = hmac.new(key, f"calendar-feed:{feed.id}".encode(), hashlib.sha256).digest()
    return urlsafe_b64encode(digest[:24]).decode()


def active_feed(user: User) -> CalendarFeed | None:
    return db.session.scalar(
        sa.select(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )


def create_staff_feed(user: User) -> tuple[CalendarFeed, bool]:
    """A new secret address for the user's events, and whether it replaced one (which stops
    working)."""
    replaced = revoke_staff_feeds(user) > 0
    # The token needs the row's id: a random placeholder keeps the unique hash column happy.
    feed = CalendarFeed(user=user, token_hash=hash_token(secrets.token_urlsafe(32)))
    db.session.add(feed)
    db.session.flush()
    feed.token_hash = hash_token(feed_token(feed))
    db.session.flush()
    return feed, replaced


def revoke_staff_feeds(user: User) -> int:
    """Stop the user's feed addresses; returns how many were active."""
    feeds = db.session.scalars(
        sa.select(CalendarFeed).where(
            CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)
        )
    ).all()
    for feed in feeds:
        feed.revoked_at = utcnow()
    db.session.flush()
    return len(feeds)


def find_staff_feed(token: str) -> CalendarFeed:
    """The active feed with this token, whose owner may still sign in."""
    feed = db.session.scalar(
        sa.select(CalendarFeed).where(
            CalendarFeed.token_hash == hash_token(token),
            CalendarFeed.revoked_at.is_(None),
            CalendarFeed.user_id.is_not(None),
        )
    )
    if feed is None or not feed.user.is_active:
        raise NotFound(_l("No such calendar."))
    return feed
