"""The follow-up surveys mailed to attendees, their answers and staff's review of them."""

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import UTCDateTime, str_enum, utcnow
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person


class SurveyReview(enum.StrEnum):
    PENDING = "pending"  # answered, waiting for staff
    ACCEPTED = "accepted"  # merged into the records
    # Accepted, but the answer names a start-up already recorded that the person is not in:
    # anyone may quote an enterprise number, so staff confirm the link on the start-up's page.
    LINK_PROPOSED = "link_proposed"
    REJECTED = "rejected"


class FollowupSurvey(db.Model):
    """One survey mailed to one attendee, N months after one event: sent once (the unique
    key), answered once (answered_at), then reviewed by staff before anything changes in
    the records."""

    __table_args__ = (
        sa.UniqueConstraint("person_id", "event_id", "months"),
        sa.Index("ix_followup_survey_review_answered_at", "review", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    months: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # {"company": bool, "startup_name", "enterprise_number", "founded_on" (ISO), "jobs": int,
    #  "certification_name", "certification_issuer", "certification_on" (ISO)}
    answers: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    review: Mapped[SurveyReview | None] = mapped_column(str_enum(SurveyReview))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    review_note: Mapped[str | None] = mapped_column(sa.String(500))

    person: Mapped[Person] = relationship()
    event: Mapped[Event] = relationship()
