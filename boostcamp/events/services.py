from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy.orm import selectinload

from boostcamp.db import utcnow
from boostcamp.errors import Conflict, DomainError, NotFound
from boostcamp.events.models import (
    Audience,
    Event,
    EventKind,
    EventOrganiser,
    EventSession,
    EventStatus,
    OrganiserRole,
)
from boostcamp.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.registrations.models import Registration, RegistrationStatus

# What a list of events shows, loaded with the events in a fixed number of queries.
LIST_LOAD = (
    selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
    selectinload(Event.audience_rows),
)


def get_by_slug(slug: str) -> Event:
    event = db.session.scalar(
        sa.select(Event)
        .where(Event.slug == slug)
        .options(*LIST_LOAD, selectinload(Event.sessions))
    )
    if event is None:
        raise NotFound(_l("No such event."))
    return event


def upcoming_public_events(now: datetime | None = None) -> sa.Select:
    """Published events that have not ended yet, soonest first."""
    now = now or utcnow()
    return (
        sa.select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at >= now)
        .order_by(Event.starts_at, Event.id)
        .options(*LIST_LOAD)
    )


def seats_taken(event_ids: Iterable[int]) -> dict[int, int]:
    """Confirmed and offered seats per event, in one query for a whole page of events."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Registration.event_id, sa.func.count())
        .where(
            Registration.event_id.in_(ids),
            Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED]),
        )
        .group_by(Registration.event_id)
    )
    taken = dict.fromkeys(ids, 0)
    taken.update({event_id: count for event_id, count in rows})
    return taken


def seats_left(event: Event, taken: int) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - taken, 0)


def unique_slug(title: str, starts_at: datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m}", max_length=100) or "event"
    slug, n = base, 2
    while db.session.scalar(sa.select(Event.id).where(Event.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_event(
    *,
    title: str,
    kind: EventKind,
    starts_at: datetime,
    ends_at: datetime,
    city: str,
    host: Organisation,
    co_organisers: Iterable[Organisation] = (),
    sessions: Iterable[tuple[str, datetime, datetime]] = (),
    audiences: Iterable[Audience] = (),
    slug: str | None = None,
    status: EventStatus = EventStatus.DRAFT,
    **fields,
) -> Event:
    """A new event with its organisers and agenda. Flushes; the caller commits."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_l("Give the event a title."), field="title")
    if ends_at < starts_at:
        raise DomainError(_l("The end must come after the start."), field="ends_at")
    if fields.get("capacity") is not None and fields["capacity"] < 0:
        raise DomainError(_l("The capacity cannot be negative."), field="capacity")
    if slug is None:
        slug = unique_slug(title, starts_at)
    elif db.session.scalar(sa.select(Event.id).where(Event.slug == slug)) is not None:
        raise Conflict(_l("The slug “%(slug)s” is already taken.", slug=slug), field="slug")

    event = Event(
        slug=slug,
        title=title,
        kind=EventKind(kind),
        status=status,
        starts_at=starts_at,
        ends_at=ends_at,
        city=city,
        **fields,
    )
    event.organisers.append(EventOrganiser(organisation=host, role=OrganiserRole.HOST))
    for org in co_organisers:
        if org.id != host.id:
            event.organisers.append(
                EventOrganiser(organisation=org, role=OrganiserRole.CO_ORGANISER)
            )
    for session_title, s_start, s_end in sessions:
        if s_end < s_start:
            raise DomainError(_l("A session must end after it starts."), field="sessions")
        if s_start < starts_at or s_end > ends_at:
            raise DomainError(_l("Every session must lie within the event."), field="sessions")
        event.sessions.append(EventSession(title=session_title, starts_at=s_start, ends_at=s_end))
    event.audiences.extend(sorted(set(audiences)))
    db.session.add(event)
    db.session.flush()
    return event
