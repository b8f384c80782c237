"""The optional second factor of an account: a TOTP secret and its recovery codes."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from boostcamp.core.db import UTCDateTime
from boostcamp.core.extensions import db


class TwoFactor(db.Model):
    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(sa.String(64))  # base32, as authenticator apps read it
    # None while being set up: the second factor counts only once a first code was right.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The 30-second step of the last code accepted: a code seen once is never taken again.
    last_step: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # SHA-256 of each unused recovery code (random, so a fast hash is enough).
    recovery_codes: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
