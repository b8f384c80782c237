"""Admission by application: how an event reviews its applications, the reviewers' scores
and the organisers' decisions. The applications themselves are registrations with the
status `applied` (boostcamp.registrations)."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import TimestampMixin, UTCDateTime, str_enum, utcnow
from boostcamp.core.extensions import db
from boostcamp.core.labels import Labelled

SCORE_MIN, SCORE_MAX = 1, 5


class Decision(Labelled):
    ACCEPT = "accept", _l("Accept (a seat)")
    REJECT = "reject", _l("Reject")
    WAITLIST = "waitlist", _l("Waiting list")


class ReviewSettings(db.Model):
    """How an application event is reviewed; an event without a row has the defaults."""

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    # Reviewers (the jury role) see neither names nor e-mail addresses.
    blind_review: Mapped[bool] = mapped_column(default=False)
    # Decision mails wait until staff send them all at once.
    hold_decisions: Mapped[bool] = mapped_column(default=False)


class ReviewCriterion(db.Model):
    """What reviewers score each application on, 1 to 5 (project, motivation …)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(100))


class Review(TimestampMixin, db.Model):
    """One reviewer's scores and note on one application."""

    __table_args__ = (sa.UniqueConstraint("registration_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str | None] = mapped_column(sa.String(2000))

    scores: Mapped[list["ReviewScore"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    reviewer = relationship("User", lazy="joined")

    @property
    def mean(self) -> float | None:
        values = [s.value for s in self.scores]
        return sum(values) / len(values) if values else None


class ReviewScore(db.Model):
    __table_args__ = (
        sa.CheckConstraint(f"value BETWEEN {SCORE_MIN} AND {SCORE_MAX}", name="score_in_range"),
    )

    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("review_criterion.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[int]


class ApplicationDecision(db.Model):
    """A decision on an application, kept with who took it; its mail goes out at once, or
    when staff send the held decisions (mailed_at None until then)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[Decision] = mapped_column(str_enum(Decision))
    message: Mapped[str | None] = mapped_column(sa.String(2000))  # to the person, on rejection
    over_capacity: Mapped[bool] = mapped_column(default=False)
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
