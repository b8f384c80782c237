"""The participant's mails: queued in the outbox in the caller's transaction (a rolled-back change
mails nobody), written by the worker when it sends them (`_compose`), with the calendar
invitation and the QR ticket attached.
"""

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from boostcamp.core.texts import Localized
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.services import (
    Attachment,
    Composed,
    composer,
    insert_mail_later,
    queue_mail_later,
)
from boostcamp.registrations.models import Registration
from boostcamp.registrations import signals
from boostcamp.registrations.tickets import manage_url, ticket_png


def mail_confirmation(registration: Registration, *, at_once: bool = False) -> None:
    """The confirmation with the ticket: the calendar invitation and the QR code attached."""
    mail_participant(registration, "registration_confirmed",
          _l("Your seat at %(title)s is confirmed", title=Localized(registration.event, "title")),
          calendar="REQUEST", ticket=True, at_once=at_once)  # fmt: skip


def _calendar(registration: Registration, method: str) -> list[Attachment]:
    """The event as one invitation (the whole programme), written by the calendar domain."""
    answers = signals.calendar_invitation.send(registration, method=method)
    return [Attachment(*answer) for _, answer in answers if answer]


def mail_participant(
    registration: Registration,
    kind: str,
    subject: Any,
    calendar: str | None = None,
    ticket: bool = False,
    at_once: bool = False,
    **context: Any,
) -> OutboxMessage | None:
    """Queue a mail to the registered person; the worker writes it (_compose) when it
    sends. `calendar`: attach the event as an invitation (REQUEST) or its removal (CANCEL);
    `ticket`: attach the QR ticket. `context` goes to the templates: JSON values only.
    `at_once`: the registration is written already; the message row is inserted now (one
    statement, no object for the next flush: mail.services.insert_mail_later) and None
    is returned."""
    person = registration.person
    mail = dict(
        composer="registration",
        params={"calendar": calendar, "ticket": ticket, "context": context},
        to=person.email,
        to_name=person.full_name,
        subject=subject,
        language=person.language,
    )
    if at_once:
        return insert_mail_later(kind, **mail, event_id=registration.event_id,
                                 person_id=person.id, registration_id=registration.id)  # fmt: skip
    return queue_mail_later(kind, **mail, event=registration.event, person=person,
                            registration=registration)  # fmt: skip


@composer("registration")
def _compose(message: OutboxMessage, params: dict[str, Any]) -> Composed:
    registration = message.registration
    if registration is None:
        raise LookupError("the registration this mail is about no longer exists")
    event = registration.event
    attachments = _calendar(registration, params["calendar"]) if params.get("calendar") else []
    if params.get("ticket"):
        attachments.append(Attachment(f"ticket-{registration.ticket_code}.png", "image/png",
                                      ticket_png(registration.ticket_code)))  # fmt: skip
    context = {
        "person": registration.person,
        "event": event,
        "registration": registration,
        "manage_url": manage_url(registration),
        "event_url": url_for("events.show_event", slug=event.slug, _external=True),
        # The HTML shows the attached QR code inline (the worker gives it this Content-ID).
        "ticket_cid": f"ticket-{registration.ticket_code}.png" if params.get("ticket") else None,
        **params.get("context", {}),
    }
    return Composed(context, attachments)
