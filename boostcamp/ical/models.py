from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.auth.models import User
from boostcamp.core.db import UTCDateTime, utcnow
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person


class CalendarFeed(db.Model):
    """A secret feed address: a staff member's events, or a person's registrations.

    The token in the address is derived from the app's secret key and the row's id (see
    ical.services), so the page can show it again; only its hash is stored, for the lookup.
    """

    __table_args__ = (
        sa.CheckConstraint("(user_id IS NULL) <> (person_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
    person: Mapped[Person | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None
