"""The durable outbox: mails are rows written in the same transaction as the change that
causes them, and sent after the commit by `flask mail work` (see worker.py)."""

import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, NotFound
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST; charset=utf-8", "image/png"
    content: bytes


# What staff may send again: never a mail the server accepted (it would arrive twice).
RESENDABLE = {OutboxStatus.FAILED, OutboxStatus.PRINTED}
# The staff outbox's filter: "queued" covers the mails a worker is sending right now.
STATUS_GROUPS: dict[str, tuple[OutboxStatus, ...]] = {
    "queued": (OutboxStatus.QUEUED, OutboxStatus.SENDING),
    "sent": (OutboxStatus.SENT,),
    "failed": (OutboxStatus.FAILED,),
    "printed": (OutboxStatus.PRINTED,),
}
LINK_RE = re.compile(r"https?://[^\s<>\"']+")


def queue_mail(
    kind: str,
    *,
    to: str,
    subject: Any,
    context: dict[str, Any],
    language: str = "fr",
    to_name: str | None = None,
    event=None,
    person=None,
    registration=None,
    attachments: Sequence[Attachment] = (),
) -> OutboxMessage:
    """Render templates/mail/<kind>.txt and templates/mail/<kind>.html (and `subject`, a
    lazy or plain string) in `language`, and add the message to the outbox in the current
    transaction: flushes, never commits. Links in `context` must be absolute
    (`url_for(..., _external=True)`, built from SERVER_NAME and PREFERRED_URL_SCHEME)."""
    message = _new_message(kind, to, to_name, subject, language, event, person, registration)
    _keep(message, _render(kind, message.language, message.subject, Composed(context, attachments)))
    db.session.add(message)
    db.session.flush()
    return message


def queue_mail_later(
    kind: str,
    *,
    composer: str,
    params: dict[str, Any],
    to: str,
    subject: Any,
    language: str = "fr",
    to_name: str | None = None,
    event=None,
    person=None,
    registration=None,
) -> OutboxMessage:
    """Like queue_mail, but the body and attachments are written by the worker just before
    it sends (write_pending): the request only records what to send, in the same
    transaction, and stays short (adds, does not flush). `composer` names a function registered with @composer
    that turns the row and `params` (JSON) into the templates' context and attachments."""
    if composer not in COMPOSERS:
        raise LookupError(f"no mail composer named {composer!r}")
    message = _new_message(kind, to, to_name, subject, language, event, person, registration)
    message.draft = {"composer": composer, "params": params}
    db.session.add(message)  # written by the caller's next flush or commit
    return message


@dataclass(frozen=True)
class Composed:
    context: dict[str, Any]
    attachments: Sequence[Attachment] = ()


Composer = Callable[[OutboxMessage, dict[str, Any]], Composed]
COMPOSERS: dict[str, Composer] = {}


def composer(name: str) -> Callable[[Composer], Composer]:
    """Register a function that composes the mails queued with queue_mail_later(composer=name)."""

    def register(function: Composer) -> Composer:
        COMPOSERS[name] = function
        return function

    return register


# What every mail's templates see besides their own context, each registered by the domain
# that knows it (the centre's name: organisations), since the outbox imports no domain.
MAIL_GLOBALS: dict[str, Callable[[], Any]] = {"centre_name": lambda: "Boostcamp"}


def mail_global(name: str) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register a function whose value every mail's templates see as `name`."""

    def register(function: Callable[[], Any]) -> Callable[[], Any]:
        MAIL_GLOBALS[name] = function
        return function

    return register


@dataclass(frozen=True)
class Written:
    body_text: str
    body_html: str
    attachments: Sequence[Attachment]


def compose_pending(message: OutboxMessage) -> Written:
    """The body and attachments of a mail queued with queue_mail_later, written now from
    its draft; reads only. Raises what the composer or the templates raise."""
    composed = COMPOSERS[message.draft["composer"]](message, message.draft.get("params") or {})
    return _render(message.kind, message.language, message.subject, composed)


def write_pending(message: OutboxMessage) -> None:
    """compose_pending, kept on the row (in the current transaction)."""
    if message.draft is None:
        return
    _keep(message, compose_pending(message))
    message.draft = None
    db.session.flush()


def _new_message(kind, to, to_name, subject, language, event, person, registration):
    if language not in current_app.config["LANGUAGES"]:
        language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        subject_text = " ".join(str(subject).split())  # a newline would forge headers
    return OutboxMessage(
        kind=kind,
        language=language,
        to_address=to.strip(),
        to_name=" ".join(to_name.split()) if to_name else None,
        subject=subject_text[:300],
        # Not email.utils.make_msgid: it draws on the `random` module, whose state can be
        # reset or shared (tests seeding it gave two mails the same Message-ID).
        message_id=f"<{uuid.uuid4().hex}@{message_id_domain()}>",
        status=OutboxStatus.QUEUED,
        attempts=0,
        event=event,
        person=person,
        registration=registration,
    )


def _render(kind: str, language: str, subject: str, composed: Composed) -> Written:
    with force_locale(language):
        values = {
            "subject": subject,
            "language": language,
            **{name: value() for name, value in MAIL_GLOBALS.items()},
            "home_url": url_for("events.list_events", _external=True),
            **composed.context,
        }
        return Written(
            render_template(f"mail/{kind}.txt", **values),
            render_template(f"mail/{kind}.html", **values),
            list(composed.attachments),
        )


def _keep(message: OutboxMessage, written: Written) -> None:
    message.body_text, message.body_html = written.body_text, written.body_html
    message.attachments = [
        OutboxAttachment(filename=a.filename, content_type=a.content_type, content=a.content)
        for a in written.attachments
    ]


def message_id_domain() -> str:
    """The right-hand side of our Message-IDs: set once, it never depends on the machine."""
    config = current_app.config
    if config.get("MAIL_MESSAGE_ID_DOMAIN"):
        return config["MAIL_MESSAGE_ID_DOMAIN"]
    if config.get("SERVER_NAME"):
        return config["SERVER_NAME"].split(":")[0]
    sender = parseaddr(config.get("MAIL_DEFAULT_SENDER") or "")[1]
    return sender.rpartition("@")[2] or "boostcamp.local"


# Staff outbox


def outbox_query(status: str | None = None, search: str | None = None) -> sa.Select:
    """Newest first, with what each row shows (event, attachment names) loaded eagerly."""
    query = (
        sa.select(OutboxMessage)
        .options(
            joinedload(OutboxMessage.event),
            selectinload(OutboxMessage.attachments).load_only(
                OutboxAttachment.filename, OutboxAttachment.content_type
            ),
        )
        .order_by(OutboxMessage.id.desc())
    )
    if status in STATUS_GROUPS:
        query = query.where(OutboxMessage.status.in_(STATUS_GROUPS[status]))
    if search := (search or "").strip():
        query = query.where(
            sa.or_(
                OutboxMessage.to_address.icontains(search, autoescape=True),
                OutboxMessage.to_name.icontains(search, autoescape=True),
                OutboxMessage.subject.icontains(search, autoescape=True),
            )
        )
    return query


def status_counts() -> dict[str, int]:
    """How many mails in each group of the staff filter."""
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    by_status = {status: n for status, n in rows}
    return {
        group: sum(by_status.get(s, 0) for s in statuses)
        for group, statuses in STATUS_GROUPS.items()
    }


def get_message(message_id: int) -> OutboxMessage:
    message = db.session.scalar(
        sa.select(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .options(joinedload(OutboxMessage.event), selectinload(OutboxMessage.attachments))
    )
    if message is None:
        raise NotFound(_l("This mail is not in the outbox."))
    return message


def resend(message: OutboxMessage) -> None:
    """Queue a failed (or only printed) mail again, with a fresh count of attempts.
    It keeps its Message-ID: it was never delivered, so this is still the same mail."""
    if message.status not in RESENDABLE:
        raise Conflict(_l("Only a failed or printed mail can be sent again."))
    message.status = OutboxStatus.QUEUED
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claimed_until = None
    message.last_error = None
    message.sent_at = None
    db.session.flush()


def links_in(text: str) -> list[str]:
    """The links of a mail's text, so staff (and a newcomer trying the demo) can follow them."""
    return list(dict.fromkeys(m.rstrip(".,;:!?)»") for m in LINK_RE.findall(text)))
