"""Telling everyone registered: the event moved or was cancelled (the events' signals), the
reminder before it, and the organisers' own message.
"""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from boostcamp.audit import services as audit
from boostcamp.core.texts import Localized
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event, EventStatus
from boostcamp.events import signals as event_signals
from boostcamp.core.extensions import db
from boostcamp.registrations.mails import mail_participant
from boostcamp.registrations.models import Person, Registration, RegistrationStatus
from boostcamp.registrations.waiting_list import offer_next_seats


def registered(event: Event) -> list[Registration]:
    """Everyone who still counts on the event: confirmed, offered a seat, waiting or
    applying."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id,
                   Registration.status.not_in((RegistrationStatus.CANCELLED,
                                               RegistrationStatus.REJECTED)))
            .order_by(Registration.id)
            .options(joinedload(Registration.person))
        )
    )  # fmt: skip


def notify_event_changed(event: Event) -> None:
    """The organisers moved the event (time or place): everyone registered is told, and
    confirmed people get the updated invitation for their calendar."""
    _tell_everyone(event, "event_changed",
                   _l("Changed: %(title)s", title=Localized(event, "title")),
                   calendar="REQUEST")  # fmt: skip


@event_signals.event_cancelled.connect
def notify_event_cancelled(event: Event) -> None:
    """The organisers cancelled the event: everyone registered is told, and the event
    leaves the calendars of confirmed people."""
    _tell_everyone(event, "event_cancelled",
                   _l("Event cancelled: %(title)s", title=Localized(event, "title")),
                   calendar="CANCEL")  # fmt: skip


def _tell_everyone(event: Event, template: str, subject, calendar: str) -> None:
    """The mail to everyone registered; confirmed people's with the calendar `calendar` method
    (their invitation updated or taken back)."""
    for registration in registered(event):
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        mail_participant(registration, template, subject, calendar=calendar if confirmed else None)


@event_signals.event_updated.connect
def event_updated(event: Event, *, moved: bool, capacity_changed: bool) -> None:
    """When an event changed (events.editing.update_event): a new time or place is mailed to
    everyone registered; seats added are offered to the people waiting."""
    if moved and event.status == EventStatus.PUBLISHED:
        notify_event_changed(event)
    if capacity_changed:
        offer_next_seats(event)


def send_reminders(event: Event) -> int:
    """The reminder before the event, to each confirmed person; returns how many."""
    confirmed = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.CONFIRMED,
               Registration.person.has(Person.reminders_opt_out_at.is_(None)))
        .order_by(Registration.id)
        .options(joinedload(Registration.person))
    ).all()  # fmt: skip
    for registration in confirmed:
        mail_participant(registration, "registration_reminder",
              _l("Reminder: %(title)s", title=Localized(event, "title")))  # fmt: skip
    return len(confirmed)


MESSAGE_SUBJECT_MAX = 150
MESSAGE_TEXT_MAX = 10000


def message_registered(
    event: Event, *, subject: str, text: str, statuses: Iterable[RegistrationStatus | str],
    actor: audit.Actor | None = None,
) -> int:
    """The organisers write to everyone registered with one of these statuses: one mail
    each, with their own registration link, and a line in the event's history. Returns
    how many people it went to."""
    subject, text = " ".join((subject or "").split()), (text or "").strip()
    errors: dict[str, Any] = {}
    try:
        chosen = sorted({RegistrationStatus(s) for s in statuses} - {RegistrationStatus.CANCELLED})
    except ValueError:
        chosen = []
    if not chosen:
        errors["statuses"] = _l("Choose who receives the message.")
    if not subject:
        errors["subject"] = _l("Write a subject.")
    elif len(subject) > MESSAGE_SUBJECT_MAX:
        errors["subject"] = _l("At most %(n)d characters.", n=MESSAGE_SUBJECT_MAX)
    if not text:
        errors["text"] = _l("Write the message.")
    elif len(text) > MESSAGE_TEXT_MAX:
        errors["text"] = _l("At most %(n)d characters.", n=MESSAGE_TEXT_MAX)
    if errors:
        raise ValidationFailed(errors)
    recipients = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(chosen))
        .order_by(Registration.id)
        .options(joinedload(Registration.person))
    ).all()
    for registration in recipients:
        mail_participant(registration, "organiser_message", subject, text=text)
    audit.record("message_sent", event=event, actor=audit.Actor.of(actor=actor), changes={
        "subject": subject, "statuses": [s.value for s in chosen], "recipients": len(recipients),
    })  # fmt: skip
    return len(recipients)
