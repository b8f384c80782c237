"""Seats: who holds one, and the event's lock under which they change hands.

A confirmed registration or an open offer holds a seat (HOLDING). Every change to who holds a
seat happens under the event's lock (`lock_event`): lock, count, write, in one transaction, so
two people can never take the last seat together.
"""

from collections import Counter

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.core.db import lock_row
from boostcamp.events.models import Event
from boostcamp.events.availability import RegistrationState
from boostcamp.core.extensions import db
from boostcamp.registrations.models import HOLDING, Registration


CLOSED_MESSAGES = {
    RegistrationState.NOT_YET_OPEN: _l("Registration for this event is not open yet."),
    RegistrationState.CLOSED: _l("Registration for this event is closed."),
    RegistrationState.CANCELLED: _l("This event has been cancelled."),
}


_STATUS_COUNTS = (
    sa.select(Registration.status, sa.func.count())
    .where(Registration.event_id == sa.bindparam("event_id"))
    .group_by(Registration.status)
)


def status_counts(event: Event) -> Counter:
    """Registrations per status, in one query."""
    return Counter(dict(db.session.execute(_STATUS_COUNTS, {"event_id": event.id}).all()))


def free_seats(event: Event, counts: Counter) -> int | None:
    """Seats nobody holds; None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - sum(counts[s] for s in HOLDING), 0)


def lock_event(event: Event) -> None:
    """Hold the event's row until the transaction ends: whoever changes its seats waits here.

    PostgreSQL: SELECT … FOR UPDATE, which also reloads the event (capacity may have
    changed). SQLite has one writer at a time, and the app begins its transactions with a
    plain deferred BEGIN; a transaction that has only read cannot always become the writer
    (under WAL, once someone else has written since its first read, SQLite refuses at once
    with "database is locked", without waiting). So the lock is a harmless write, taken
    with the busy timeout; if the caller had read (a view loads the event first), that
    read-only transaction is rolled back and the lock becomes the first statement of a new
    one, so everything read afterwards is current. The refusal can only happen to a
    transaction that has not written yet, so nothing the caller did is lost.
    """
    lock_row(Event, event.id)
