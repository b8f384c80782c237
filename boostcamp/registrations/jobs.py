"""The worker's periodic jobs for registrations (`flask mail work` runs them on every pass).

Each event is handled in a transaction of its own that starts with the event's lock, so
two workers, or a worker and a participant clicking "accept", never handle the same offer
twice, and one failing event does not hold back the others.
"""

from contextlib import contextmanager
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.registrations import notifications, waiting_list
from boostcamp.registrations.models import Registration, RegistrationStatus
from boostcamp.core.periodic import periodic


@periodic
def expire_waitlist_offers(now: datetime) -> int:
    """Offers that ran out: cancelled, told by mail, their seat offered to the next person."""
    event_ids = db.session.scalars(
        sa.select(Registration.event_id)
        .where(Registration.status == RegistrationStatus.OFFERED,
               Registration.offer_expires_at <= now)
        .distinct()
    ).all()  # fmt: skip
    db.session.rollback()  # only read: each event's transaction starts with its lock
    expired = 0
    for event_id in event_ids:
        with _own_transaction(event_id):
            event = db.session.get(Event, event_id)
            if event is not None:
                expired += len(waiting_list.expire_offers(event, now))
    return expired


@periodic
def send_event_reminders(now: datetime) -> int:
    """The reminder N days before each event (Event.reminder_days_before), sent once."""
    upcoming = db.session.execute(
        sa.select(Event.id, Event.starts_at, Event.reminder_days_before).where(
            Event.status == EventStatus.PUBLISHED,
            Event.reminder_days_before.is_not(None),
            Event.reminder_sent_at.is_(None),
            Event.starts_at > now,
        )
    ).all()
    due = [id_ for id_, starts_at, days in upcoming if starts_at - timedelta(days=days) <= now]
    db.session.rollback()
    sent = 0
    for event_id in due:
        with _own_transaction(event_id):
            # Claimed by a write that only one worker can win (on SQLite, it also comes
            # first in the transaction). updated_at is kept: a reminder changes no event.
            claimed = db.session.execute(
                sa.update(Event)
                .where(Event.id == event_id, Event.reminder_sent_at.is_(None),
                       Event.status == EventStatus.PUBLISHED)
                .values(reminder_sent_at=now, updated_at=Event.updated_at)
            ).rowcount  # fmt: skip
            if claimed:
                sent += notifications.send_reminders(db.session.get(Event, event_id))
    return sent


@contextmanager
def _own_transaction(event_id: int):
    """Commit one event's work; on failure, log it, roll back and go on with the next."""
    try:
        yield
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("registration job failed for event %s", event_id)
