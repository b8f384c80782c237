"""The participant's mails: queued in the outbox in the caller's transaction (a rolled-back change
mails nobody), written by the worker when it sends them (`_compose`), with the calendar
invitation and the QR ticket attached.
"""

from typing import Any

from flask import url_for
from flask_babel import lazy_gettext as _l

from boostcamp.core.texts import Localized
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.services import Attachment, Composed, composer, queue_mail_later
from boostcamp.registrations.models import Registration
from boostcamp.registrations import signals
from boostcamp.registrations.tickets import manage_url, ticket_png


def mail_confirmation(registration: Registration) -> None:
    """The confirmation with the ticket: the calendar invitation and the QR code attached."""
    mail_participant(registration, "registration_confirmed",
          _l("Your seat at %(title)s is confirmed", title=Localized(registration.event, "title")),
          calendar="REQUEST", ticket=True)  # fmt: skip


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
    **context: Any,
) -> OutboxMessage:
    """Queue a mail to the registered person; the worker writes it (_compose) when it
    sends. `calendar`: attach the event as an invitation (REQUEST) or its removal (CANCEL);
    `ticket`: attach the QR ticket. `context` goes to the templates: JSON values only."""
    person, event = registration.person, registration.event
    return queue_mail_later(
        kind,
        composer="registration",
        params={"calendar": calendar, "ticket": ticket, "context": context},
        to=person.email,
        to_name=person.full_name,
        subject=subject,
        language=person.language,
        event=event,
        person=person,
        registration=registration,
    )


@composer("registration")
def _compose(message: OutboxMessage, params: dict[str, Any]) -> Composed:
    registration = message.registration
    if registration is None:
        raise LookupError("the registration this mail is about no longer exists")
    event = registration.event
    attachments = _calendar(registration, params["calendar"]) if params.get("calendar") else []
    if params.get("ticket"):
        attachments.append(ticket_attachment(registration))
    context = {
        "person": registration.person,
        "event": event,
        "registration": registration,
        "manage_url": manage_url(registration),
        "event_url": url_for("events.show_event", slug=event.slug, _external=True),
        # The HTML shows the attached QR code inline (the worker gives it this Content-ID).
        "ticket_cid": ticket_cid(registration) if params.get("ticket") else None,
        **params.get("context", {}),
    }
    return Composed(context, attachments)


def ticket_cid(registration: Registration) -> str:
    """The QR ticket's file name, also its Content-ID (the worker gives it that one)."""
    return f"ticket-{registration.ticket_code}.png"


def ticket_attachment(registration: Registration) -> Attachment:
    return Attachment(ticket_cid(registration), "image/png", ticket_png(registration.ticket_code))


def seat_attachments(registration: Registration) -> list[Attachment]:
    """What a confirmation carries for one seat: the event's calendar invitation and the QR
    ticket, the same as its own mail's (a programme's one mail carries them for each event)."""
    return [*_calendar(registration, "REQUEST"), ticket_attachment(registration)]
