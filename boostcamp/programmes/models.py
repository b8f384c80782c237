import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from boostcamp.core.db import TimestampMixin, UTCDateTime, str_enum
from boostcamp.core.extensions import db
from boostcamp.core.texts import TranslatedTexts
from boostcamp.events.models import Event, EventStatus, Organised, OrganiserColumns
from boostcamp.registrations.models import Person


class ProgrammeRegistrationStatus(enum.StrEnum):
    CONFIRMED = "confirmed"  # registered for every event of the programme
    WAITLISTED = "waitlisted"  # an event was full: registered for none, waiting for all
    CANCELLED = "cancelled"


class Programme(Organised, TranslatedTexts, TimestampMixin, db.Model):
    """A path of events that people sign up for once: "Boostcamp printemps 2027"."""

    # Title, summary and description in the programme's `language`; the other languages'
    # in `translations` (core.texts), as for events.
    TRANSLATED_FIELDS = ("title", "summary", "description")
    SEARCHED_FIELDS = ("title", "summary")

    __table_args__ = (
        sa.CheckConstraint("required_events IS NULL OR required_events >= 1",
                           name="required_events_positive"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str | None] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)  # Markdown, rendered sanitised
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.DRAFT)
    language: Mapped[str] = mapped_column(sa.String(5), default="fr", server_default="fr")
    # Every title and summary, folded (core.text.fold), kept by keep_search_text.
    search_text: Mapped[str | None] = mapped_column(sa.Text)
    # The certificate's rule: attended this many of its events (None: all of them), and,
    # with requires_exam, the exam passed as staff record it (ProgrammeRegistration).
    required_events: Mapped[int | None]
    requires_exam: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    organisers: Mapped[list["ProgrammeOrganiser"]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeOrganiser.id"
    )
    steps: Mapped[list["ProgrammeEvent"]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ProgrammeEvent.id"
    )

    @property
    def events(self) -> list[Event]:
        """Its events in the order they take place."""
        return sorted((s.event for s in self.steps), key=lambda e: (e.starts_at, e.id))

    @property
    def starts_at(self) -> datetime | None:
        return min((e.starts_at for e in self.events), default=None)

    @property
    def ends_at(self) -> datetime | None:
        return max((e.ends_at for e in self.events), default=None)

    @property
    def is_public(self) -> bool:
        return self.status != EventStatus.DRAFT

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class ProgrammeOrganiser(OrganiserColumns, db.Model):
    __table_args__ = (sa.UniqueConstraint("programme_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )

    programme: Mapped[Programme] = relationship(back_populates="organisers")


class ProgrammeEvent(db.Model):
    """One event of a programme."""

    __table_args__ = (sa.UniqueConstraint("programme_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programme.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="RESTRICT"), index=True
    )
    # False: people sign up for this event only through the programme (staff choose).
    alone_allowed: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    programme: Mapped[Programme] = relationship(back_populates="steps")
    event: Mapped[Event] = relationship()


class ProgrammeRegistration(TimestampMixin, db.Model):
    """Someone's sign-up for a whole programme. Confirmed: they hold a registration for
    each of its events (registrations.Registration); waiting: for none of them."""

    __table_args__ = (
        sa.UniqueConstraint("programme_id", "person_id"),
        sa.Index("ix_programme_registration_programme_id_status", "programme_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programme.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ProgrammeRegistrationStatus] = mapped_column(
        str_enum(ProgrammeRegistrationStatus)
    )
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The programme's exam as staff recorded it: True passed, False failed, None not yet.
    exam_passed: Mapped[bool | None]
    exam_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What they gave on the form beyond their name (profile, organisation, the events'
    # answers): a seat given later, from the waiting list, is registered with it.
    details: Mapped[dict | None] = mapped_column(sa.JSON)

    programme: Mapped[Programme] = relationship()
    person: Mapped[Person] = relationship()


@sa.event.listens_for(Session, "before_flush")
def keep_search_text(session: Session, _context, _instances) -> None:
    """Programmes written through the ORM get their search_text (every language's titles)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Programme):
            text = obj.folded_texts(Programme.SEARCHED_FIELDS)
            if text != obj.search_text:
                obj.search_text = text
