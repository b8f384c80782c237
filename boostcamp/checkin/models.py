"""Check-in at the door, as pretix does it: append-only rows, each with the nonce the device
made when it scanned, so a retried upload (bad Wi-Fi, offline queue) changes nothing."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import UTCDateTime, str_enum, utcnow
from boostcamp.core.extensions import db

if TYPE_CHECKING:
    from boostcamp.events.models import EventSession
    from boostcamp.registrations.models import Registration


class CheckInKind(enum.StrEnum):
    ENTRY = "entry"  # the person came in
    UNDO = "undo"  # staff took back an entry (`undoes_id`)


class CheckInMethod(enum.StrEnum):
    SCAN = "scan"  # the device's camera read the QR ticket
    TYPED = "typed"  # a hardware scanner, or the code typed by hand
    SEARCH = "search"  # found by name, e-mail or organisation
    WALK_IN = "walk_in"  # registered and checked in at the door in one step
    API = "api"  # a partner's system


class CheckIn(db.Model):
    """One scan. Never updated nor deleted: an undo is a row of its own.

    A person attended a session when an ENTRY row with `counted` is there and no UNDO row
    points at it (see checkin.attendance). A second real scan of the same person is
    kept with `counted = False`: a duplicate, shown to staff, not a second attendance.
    `session_id` is None for an event without an agenda (the event as a whole)."""

    __table_args__ = (
        sa.Index("ix_check_in_registration_id_session_id", "registration_id", "session_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nonce: Mapped[str] = mapped_column(sa.String(64), unique=True)  # made by the device
    kind: Mapped[CheckInKind] = mapped_column(str_enum(CheckInKind), default=CheckInKind.ENTRY)
    counted: Mapped[bool] = mapped_column(default=True)  # False: a duplicate scan
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE")
    )
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_session.id", ondelete="CASCADE"), index=True
    )
    undoes_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("check_in.id", ondelete="CASCADE"), unique=True
    )
    method: Mapped[CheckInMethod] = mapped_column(str_enum(CheckInMethod))
    scanned_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the device's clock
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the server's
    device: Mapped[str | None] = mapped_column(sa.String(100))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    api_token_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("api_token.id", ondelete="SET NULL")
    )

    registration: Mapped["Registration"] = relationship()
    session: Mapped["EventSession | None"] = relationship()
