"""Privacy (GDPR): the erasure requests a person confirms from their mailbox."""

import enum
import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.db import UTCDateTime, str_enum, utcnow
from boostcamp.extensions import db
from boostcamp.registrations.models import Person, Registration


def token_hash(token: str) -> str:
    """Only the hash is stored: a copy of the database does not hold working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class ErasureRequest(db.Model):
    """"Erase my data", asked from the person's data page; done when the mailed link is
    followed (once, before expires_at)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()


class ConsentKind(enum.StrEnum):
    REGISTRATION = "registration"  # the details used to organise the event
    FOLLOW_UP = "follow_up"  # contacted later about their project (surveys)


class ConsentChannel(enum.StrEnum):
    FORM = "form"  # the person, on the public sign-up form
    API = "api"  # a partner platform's system, with its API token
    STAFF = "staff"  # a staff member (the centre's or a partner's) on the staff pages
    DOOR = "door"  # registered at the door (walk-in)
    IMPORT = "import"  # recorded before consent records existed, or brought in from a file


class Consent(db.Model):
    """One consent, as given: what, when, under which version of the privacy notice, by
    which channel and who asserted it (None: the person themselves). Withdrawing stamps
    withdrawn_at; the row stays as evidence, without identity once the person is erased."""

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[ConsentKind] = mapped_column(str_enum(ConsentKind))
    # PRIVACY_NOTICE_VERSION when it was given; None: not recorded (before 0019).
    notice_version: Mapped[str | None] = mapped_column(sa.String(40))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[ConsentChannel] = mapped_column(str_enum(ConsentChannel))
    # The API token (and its organisation) or the staff or door user who registered them.
    asserted_by: Mapped[str | None] = mapped_column(sa.String(300))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration | None] = relationship()
