"""The outcomes' records: what came out of the events. Start-ups (with their founders and
team, and their jobs over time) and certifications people obtained. Which event gets the
credit is not stored: the attribution rule (impact.attribution) works it out from attendance."""

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import TimestampMixin, str_enum
from boostcamp.core.extensions import db
from boostcamp.core.labels import Labelled
from boostcamp.outcomes.records.kbo import format_enterprise_number

if TYPE_CHECKING:
    from boostcamp.events.models import Event
    from boostcamp.registrations.models import Person


class StartupStatus(Labelled):
    ACTIVE = "active", _l("Active")
    CLOSED = "closed", _l("Closed")
    ACQUIRED = "acquired", _l("Acquired")


class StartupRole(Labelled):
    # the attribution rule credits events through founders only
    FOUNDER = "founder", _l("Founder")
    TEAM_MEMBER = "team_member", _l("Team member")


class Startup(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Belgian KBO/BCE number, 10 digits without dots ("0123456749"); see outcomes.records.kbo.
    enterprise_number: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    founded_on: Mapped[date] = mapped_column(index=True)
    legal_form: Mapped[str | None] = mapped_column(sa.String(40))  # SRL, SA, ASBL…
    sector: Mapped[str | None] = mapped_column(sa.String(120))
    city: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[StartupStatus] = mapped_column(
        str_enum(StartupStatus), default=StartupStatus.ACTIVE
    )
    status_since: Mapped[date | None]  # when it closed or was acquired
    # The centre's support (coaching, incubation): events attended meanwhile count too.
    supported_from: Mapped[date | None]
    supported_until: Mapped[date | None]  # None while still supported

    members: Mapped[list["StartupMember"]] = relationship(
        back_populates="startup", cascade="all, delete-orphan", order_by="StartupMember.id"
    )
    snapshots: Mapped[list["JobsSnapshot"]] = relationship(
        back_populates="startup", cascade="all, delete-orphan", order_by="JobsSnapshot.on"
    )

    @property
    def enterprise_number_display(self) -> str | None:
        """"0123.456.749", as the KBO/BCE writes it."""
        return format_enterprise_number(self.enterprise_number)

    @property
    def founders(self) -> list["StartupMember"]:
        return [m for m in self.members if m.role == StartupRole.FOUNDER]

    def __repr__(self) -> str:
        return f"<Startup {self.name}>"


class StartupMember(db.Model):
    """A person in a start-up: one of its founders or of its team."""

    __table_args__ = (sa.UniqueConstraint("startup_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startup.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        sa.ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[StartupRole] = mapped_column(str_enum(StartupRole))
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]

    startup: Mapped[Startup] = relationship(back_populates="members")
    person: Mapped["Person"] = relationship()


class JobsSnapshot(db.Model):
    """The start-up's jobs as counted on a day. Reports take each start-up's latest
    snapshot on or before the period's end."""

    __table_args__ = (
        sa.UniqueConstraint("startup_id", "on"),
        sa.CheckConstraint("headcount >= 0", name="headcount_not_negative"),
        sa.CheckConstraint("fte >= 0", name="fte_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startup.id", ondelete="CASCADE"))
    on: Mapped[date]
    headcount: Mapped[int]
    fte: Mapped[Decimal] = mapped_column(sa.Numeric(8, 2))  # full-time equivalents

    startup: Mapped[Startup] = relationship(back_populates="snapshots")


class Certification(TimestampMixin, db.Model):
    """A qualifying certification someone obtained (a Microsoft exam, for instance)."""

    __table_args__ = (
        sa.Index("ix_certification_person_id_obtained_on", "person_id", "obtained_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(200))
    code: Mapped[str | None] = mapped_column(sa.String(40))  # the exam's code, e.g. "70-480"
    issuer: Mapped[str] = mapped_column(sa.String(120))
    obtained_on: Mapped[date] = mapped_column(index=True)
    # The exam session at the centre where it was passed, if it was.
    exam_event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event.id", ondelete="SET NULL"), index=True
    )

    person: Mapped["Person"] = relationship()
    exam_event: Mapped["Event | None"] = relationship()
