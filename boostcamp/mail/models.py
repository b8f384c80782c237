from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import UTCDateTime, str_enum, utcnow
from boostcamp.core.labels import Labelled
from boostcamp.core.extensions import db

class OutboxStatus(Labelled):
    QUEUED = "queued", _l("Queued")  # waiting for a worker (again, after a temporary failure)
    SENDING = "sending", _l("Sending")  # claimed by a worker until claimed_until
    SENT = "sent", _l("Sent")
    FAILED = "failed", _l("Failed")  # permanent failure, or too many attempts: staff may resend
    # no MAIL_SERVER (the demo): written to the worker's console, not sent
    PRINTED = "printed", _l("Printed, not sent")


class OutboxMessage(db.Model):
    """A mail, written in the same transaction as the change that causes it and sent after
    the commit by a worker: a rolled-back change mails nobody, a committed one is never lost."""

    __table_args__ = (sa.Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[OutboxStatus] = mapped_column(str_enum(OutboxStatus), default=OutboxStatus.QUEUED)
    kind: Mapped[str] = mapped_column(sa.String(60))  # the template: registration_confirmed …
    language: Mapped[str] = mapped_column(sa.String(5), default="fr")
    to_address: Mapped[str] = mapped_column(sa.String(254), index=True)
    to_name: Mapped[str | None] = mapped_column(sa.String(200))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str | None] = mapped_column(sa.Text)  # None until the draft is written
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    message_id: Mapped[str] = mapped_column(sa.String(200), unique=True)  # the Message-ID header
    # What the worker writes the body from, for a mail queued with queue_mail_later:
    # {"composer": name, "params": {...}}; None once written.
    draft: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="SET NULL"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"), index=True)
    registration_id: Mapped[int | None] = mapped_column(sa.ForeignKey("registration.id", ondelete="SET NULL"))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attachments: Mapped[list["OutboxAttachment"]] = relationship(
        cascade="all, delete-orphan", order_by="OutboxAttachment.id"
    )
    # What the mail is about, for the staff outbox; the mail itself is self-contained. By
    # name: the outbox is the ground floor and imports no domain.
    event: Mapped["Event | None"] = relationship()  # noqa: F821
    person: Mapped["Person | None"] = relationship()  # noqa: F821
    registration: Mapped["Registration | None"] = relationship()  # noqa: F821


class OutboxAttachment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_message.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    content_type: Mapped[str] = mapped_column(sa.String(120))  # e.g. text/calendar; method=REQUEST
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
