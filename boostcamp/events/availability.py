"""Whether people may register for an event now, and how many of its seats are held."""

import enum
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.events.models import Admission, Event, EventStatus
from boostcamp.core.extensions import db


# Seats held by someone: a confirmed registration, or an offer still open. Registrations are
# kept by the registrations domain, above this one: named by table, not imported
# (registrations.models.HOLDING says the same with its enum, and a test keeps them equal).
HOLDING = ("confirmed", "offered")
REGISTRATION_TABLE = sa.table("registration", sa.column("event_id"), sa.column("status"))


def seats_taken(event_ids: Iterable[int]) -> dict[int, int]:
    """Seats held per event, in one query for a whole page of events."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(REGISTRATION_TABLE.c.event_id, sa.func.count())
        .where(REGISTRATION_TABLE.c.event_id.in_(ids), REGISTRATION_TABLE.c.status.in_(HOLDING))
        .group_by(REGISTRATION_TABLE.c.event_id)
    )
    taken = dict.fromkeys(ids, 0)
    taken.update({event_id: count for event_id, count in rows})
    return taken


def seats_left(event: Event, taken: int) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - taken, 0)


class RegistrationState(enum.StrEnum):
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def registration_state(event: Event, now: datetime | None = None) -> RegistrationState:
    """Whether people may register now: a published event, within its registration window
    (by default until it starts). A full event stays open for its waiting list."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    closes_at = event.registration_closes_at
    if event.admission == Admission.APPLICATION and event.applications_close_at:
        closes_at = event.applications_close_at
    # Without a closing time, registration closes when the event starts (the staff form says
    # so): an event under way offers no seats; people who come anyway are walk-ins at the door.
    if event.ends_at < now or (closes_at or event.starts_at) <= now:
        return RegistrationState.CLOSED
    if event.status != EventStatus.PUBLISHED or (
        event.registration_opens_at and now < event.registration_opens_at
    ):
        return RegistrationState.NOT_YET_OPEN
    return RegistrationState.OPEN
