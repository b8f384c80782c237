"""Privacy (GDPR): the erasure requests a person confirms from their mailbox."""

import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import UTCDateTime, utcnow
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person


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
