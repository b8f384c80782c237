"""A programme's mails: one for one sign-up, as a shop sends one mail per order.

The confirmation (and the mail of someone promoted from the programme's waiting list)
carries every event's seat: its QR ticket, inline and attached, and its calendar
invitation, one .ics per event, the same file the event's own confirmation carries (same
UIDs), so that a later change of one event (a cancellation, a move), mailed for that event
alone, updates the entry this mail put in the calendar. The events' own confirmations are
not sent for a programme's sign-up (registrations.signup.register(mail=False)).
"""

from typing import Any

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.core.extensions import db
from boostcamp.core.texts import Localized
from boostcamp.events.models import Event
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.services import Composed, composer, queue_mail_later
from boostcamp.programmes.models import ProgrammeRegistration
from boostcamp.programmes.tokens import make_token
from boostcamp.registrations.mails import seat_attachments, ticket_cid
from boostcamp.registrations.models import Registration, RegistrationStatus
from boostcamp.registrations.tickets import data_url, manage_url


def mail_programme(
    entry: ProgrammeRegistration,
    kind: str,
    subject: Any,
    *,
    seats: list[Registration] | None = None,
    registered_by: str | None = None,
    notice: bool = False,
    **context: Any,
) -> OutboxMessage:
    """Queue a programme mail to the person; the worker writes it (_compose). `seats`: the
    registrations whose tickets and invitations it carries. `notice`: someone else signed
    them up (a partner, staff): the mail says so, `registered_by` naming them, with the link
    to their data, as an event's registration_notice does. `context`: JSON values only."""
    person = entry.person
    params: dict[str, Any] = {"programme_registration_id": entry.id, "context": context}
    if seats is not None:
        params["registration_ids"] = [r.id for r in seats]
        params["notice"] = notice
        params["registered_by"] = registered_by
    return queue_mail_later(
        kind, composer="programme", params=params,
        to=person.email, to_name=person.full_name, subject=subject,
        language=person.language, person=person,
    )  # fmt: skip


@composer("programme")
def _compose(message: OutboxMessage, params: dict[str, Any]) -> Composed:
    entry = db.session.get(ProgrammeRegistration, params["programme_registration_id"])
    if entry is None:
        raise LookupError("the programme registration this mail is about no longer exists")
    context = {
        "person": entry.person,
        "programme": entry.programme,
        "programme_url": url_for("programmes.show_programme", slug=entry.programme.slug,
                                 _external=True),
        "manage_url": self_service_url(entry),
        "seats": None,  # a mail queued before it carried the tickets: they come one by one
        **params.get("context", {}),
    }  # fmt: skip
    if "full_event_ids" in context:  # the events' titles in the reader's language
        context["full"] = [Localized(e, "title") for e in _events(context["full_event_ids"])]
    if "registration_ids" not in params:
        return Composed(context)
    registrations = _held(params["registration_ids"])
    context["seats"] = [_seat(r) for r in registrations]
    context["registered_by"] = params.get("registered_by")
    context["data_url"] = (
        data_url(registrations[0]) if params.get("notice") and registrations else None
    )
    return Composed(context, [a for r in registrations for a in seat_attachments(r)])


def _held(ids: list[int]) -> list[Registration]:
    """The seats still held when the mail is written, in the order of the events: one
    cancelled since has no ticket to show."""
    if not ids:
        return []
    return list(db.session.scalars(
        sa.select(Registration).join(Registration.event)
        .where(Registration.id.in_(ids), Registration.status == RegistrationStatus.CONFIRMED)
        .options(joinedload(Registration.event).selectinload(Event.sessions),
                 selectinload(Registration.person))
        .order_by(Event.starts_at, Event.id)
    ).unique())  # fmt: skip


def _events(ids: list[int]) -> list[Event]:
    return list(db.session.scalars(
        sa.select(Event).where(Event.id.in_(ids)).order_by(Event.starts_at, Event.id)))


def _seat(registration: Registration) -> dict[str, Any]:
    event = registration.event
    return {
        "event": event,
        "registration": registration,
        "event_url": url_for("events.show_event", slug=event.slug, _external=True),
        "manage_url": manage_url(registration),
        "ticket_cid": ticket_cid(registration),  # the worker gives the QR this Content-ID
    }


def self_service_url(entry: ProgrammeRegistration) -> str:
    return url_for("programmes.manage", slug=entry.programme.slug, token=make_token(entry.id),
                   _external=True)  # fmt: skip
