import enum
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, relationship

from boostcamp.core.texts import TranslatedTexts
from boostcamp.core.zones import DEFAULT_ZONE, zone_of
from boostcamp.core.labels import Labelled
from boostcamp.core.db import TimestampMixin, UTCDateTime, str_enum
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation


class EventKind(Labelled):
    BOOSTCAMP = "boostcamp", _l("Boostcamp")
    TRAINING = "training", _l("Training")
    CERTIFICATION_EXAM = "certification_exam", _l("Certification exam")
    WORKSHOP = "workshop", _l("Workshop")
    SPECIAL_PROJECT = "special_project", _l("Special project")


class EventStatus(Labelled):
    DRAFT = "draft", _l("Draft")
    PUBLISHED = "published", _l("Published")
    CANCELLED = "cancelled", _l("Cancelled")


class Audience(Labelled):
    ENTREPRENEURS = "entrepreneurs", _l("Entrepreneurs")
    JOB_SEEKERS = "job_seekers", _l("Job seekers")
    STUDENTS = "students", _l("Students")
    EMPLOYEES = "employees", _l("Employees")
    EVERYONE = "everyone", _l("Everyone")


class Admission(Labelled):
    OPEN = "open", _l("Open: first come, first served")
    # the organisers choose in boostcamp.admission
    APPLICATION = "application", _l("By application: people apply, the organisers choose")


class OrganiserRole(enum.StrEnum):
    HOST = "host"
    CO_ORGANISER = "co-organiser"


class Organised:
    """What organisations organise (an event, a programme): its `organisers` rows, one of
    them the host."""

    organisers: list  # the model's relationship to its OrganiserColumns rows

    @property
    def host(self) -> Organisation | None:
        return next((o.organisation for o in self.organisers if o.role == OrganiserRole.HOST), None)

    @property
    def co_organisers(self) -> list[Organisation]:
        return [o.organisation for o in self.organisers if o.role == OrganiserRole.CO_ORGANISER]


class OrganiserColumns:
    """One organisation's part in what it organises: host or co-organiser. An organisation
    that organises something may not be deleted (RESTRICT)."""

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[OrganiserRole] = mapped_column(str_enum(OrganiserRole))

    @declared_attr
    def organisation(cls) -> Mapped[Organisation]:
        return relationship()


class Event(Organised, TranslatedTexts, TimestampMixin, db.Model):
    # Title, summary and description in the event's `language`; in other languages in
    # `translations` (core.texts).
    TRANSLATED_FIELDS = ("title", "summary", "description")
    # What the catalogue's text search reads, in every language.
    SEARCHED_FIELDS = ("title", "summary", "city", "venue")

    __table_args__ = (
        sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        sa.Index("ix_event_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus), default=EventStatus.DRAFT)
    summary: Mapped[str | None] = mapped_column(sa.String(500))
    description: Mapped[str | None] = mapped_column(sa.Text)  # Markdown, rendered sanitised
    city: Mapped[str] = mapped_column(sa.String(120))
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64), default=DEFAULT_ZONE)
    capacity: Mapped[int | None]  # None: no limit
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(sa.String(5), default="fr")
    # Reminder mail N days before the start (None: no reminder); sent once.
    reminder_days_before: Mapped[int | None] = mapped_column(default=2)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Calendar clients replace their copy only when SEQUENCE grows: raised on every change
    # of time, place or status (events.editing).
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Titles, summaries (every language), city and venue, lower case without accents, kept
    # up to date on every flush (keep_search_text): the catalogue's search reads one column.
    search_text: Mapped[str | None] = mapped_column(sa.Text)
    admission: Mapped[Admission] = mapped_column(
        str_enum(Admission), default=Admission.OPEN, server_default="open"
    )
    # Application events: no application after this (None: until registration closes).
    applications_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The partner platform that proposed it (a partner's member or API token created it),
    # for the staff's review; None for the centre's own events.
    proposed_by_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    proposed_by: Mapped[Organisation | None] = relationship(
        foreign_keys=[proposed_by_organisation_id]
    )

    sessions: Mapped[list["EventSession"]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(EventSession.starts_at, EventSession.id)",
    )
    organisers: Mapped[list["EventOrganiser"]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventOrganiser.id"
    )
    audience_rows: Mapped[list["EventAudience"]] = relationship(
        cascade="all, delete-orphan", order_by="EventAudience.audience"
    )
    audiences: AssociationProxy[list[Audience]] = association_proxy(
        "audience_rows", "audience", creator=lambda a: EventAudience(audience=Audience(a))
    )

    @property
    def zone(self) -> ZoneInfo:
        """Where the event's clocks are: its times are shown and typed in this zone."""
        return zone_of(self)

    @property
    def is_public(self) -> bool:
        return self.status != EventStatus.DRAFT

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


@sa.event.listens_for(Session, "before_flush")
def keep_search_text(session: Session, _context, _instances) -> None:
    """Events written through the ORM get their search_text. Rows inserted otherwise (bulk)
    have none: the search still finds them by their main-language texts
    (events.queries)."""
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Event):
            text = obj.folded_texts(Event.SEARCHED_FIELDS)
            if text != obj.search_text:
                obj.search_text = text


class EventSession(TranslatedTexts, db.Model):
    """One slot of an event's agenda: a day or half-day of a multi-day Boostcamp. Its title
    is written in the event's language, and in others in `translations` (core.texts), as
    the event's texts are."""

    TRANSLATED_FIELDS = ("title",)

    __table_args__ = (sa.CheckConstraint("ends_at >= starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str | None] = mapped_column(sa.String(300))  # when it differs from the event's

    event: Mapped[Event] = relationship(back_populates="sessions")

    @property
    def language(self) -> str:
        """The agenda is written in its event's language."""
        return self.event.language if self.event is not None else "fr"


class EventOrganiser(OrganiserColumns, db.Model):
    __table_args__ = (sa.UniqueConstraint("event_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)

    event: Mapped[Event] = relationship(back_populates="organisers")


class EventAudience(db.Model):
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), primary_key=True
    )
    audience: Mapped[Audience] = mapped_column(str_enum(Audience), primary_key=True, index=True)
