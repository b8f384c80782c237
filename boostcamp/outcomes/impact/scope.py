"""What an impact report covers (its Scope: period, visible events, rule), the dimensions
it breaks down by, and the SQL pieces every figure and list is built from."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.checkin.attendance import attendance_query
from boostcamp.core.labels import Labelled
from boostcamp.events.models import Event, EventAudience, EventOrganiser
from boostcamp.organisations.models import Organisation
from boostcamp.outcomes.impact.attribution import (
    Rule,
    credited_certifications,
    credited_startups,
)
from boostcamp.outcomes.records.models import Certification, JobsSnapshot, Startup
from boostcamp.registrations.models import Registration


@dataclass(frozen=True)
class Scope:
    """What a report covers: a period, the events its viewer may see, the rule in force.
    `everything` is True for the centre: it also sees what no event is credited with.
    A viewer's own scope comes from the permission policy (policy.impact_scope)."""

    start: date
    end: date
    events_where: sa.ColumnElement[bool]
    everything: bool
    rule: Rule = field(default_factory=Rule)

    def with_period(self, start: date, end: date) -> "Scope":
        return Scope(start, end, self.events_where, self.everything, self.rule)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=timezone.utc)

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=timezone.utc)

    def events_in_period(self) -> sa.ColumnElement[bool]:
        return sa.and_(
            self.events_where, Event.starts_at >= self.starts_at, Event.starts_at < self.ends_before
        )


# ---------------------------------------------------------------- breakdowns


class Dimension(Labelled):
    KIND = "kind", _l("Programme")  # the kind of event
    PARTNER = "partner", _l("Organiser")  # an organiser of the event (host or co-organiser)
    CITY = "city", _l("City")
    AUDIENCE = "audience", _l("Audience")
    YEAR = "year", _l("Year")  # of the outcome: founding, certification, the event attended
    PATH = "path", _l("Path of events")  # a programme (boostcamp.programmes), by its title


# Programmes sit above this domain (they read attendance): named by table, not imported.
PROGRAMME = sa.table("programme", sa.column("id"), sa.column("title"), sa.column("updated_at"))
PROGRAMME_EVENT = sa.table("programme_event", sa.column("id"), sa.column("programme_id"),
                           sa.column("event_id"))  # fmt: skip


def event_ids_where(dimension: Dimension, value: str) -> sa.Select:
    """The events that fall under one line of a breakdown."""
    if dimension == Dimension.KIND:
        return sa.select(Event.id).where(Event.kind == value)
    if dimension == Dimension.CITY:
        return sa.select(Event.id).where(Event.city == value)
    if dimension == Dimension.PARTNER:
        return (
            sa.select(EventOrganiser.event_id).join(Organisation).where(Organisation.slug == value)
        )
    if dimension == Dimension.AUDIENCE:
        return sa.select(EventAudience.event_id).where(EventAudience.audience == value)
    if dimension == Dimension.PATH:
        return sa.select(PROGRAMME_EVENT.c.event_id).join(
            PROGRAMME, PROGRAMME.c.id == PROGRAMME_EVENT.c.programme_id
        ).where(PROGRAMME.c.title == value)
    raise ValueError(dimension)


def year_of(day) -> sa.ColumnElement:
    return sa.cast(sa.extract("year", day), sa.Integer)


# ---------------------------------------------------------------- the pieces, as subqueries


def startup_credits(scope: Scope) -> sa.Subquery:
    """(startup_id, event_id) for the start-ups founded in the period."""
    founded = Startup.founded_on.between(scope.start, scope.end)
    return credited_startups(scope.rule, scope.events_where, founded).subquery()


def certification_credits(scope: Scope) -> sa.Subquery:
    obtained = Certification.obtained_on.between(scope.start, scope.end)
    return credited_certifications(scope.rule, scope.events_where, obtained).subquery()


def participations(scope: Scope) -> sa.Subquery:
    """(person_id, event_id, profile): who came (at least once) to the period's events. A
    person has one registration per event: each registration with an attendance, once."""
    came = attendance_query().subquery()
    return (
        sa.select(Registration.person_id, Registration.event_id, Registration.profile)
        .join(Event, Event.id == Registration.event_id)
        .where(scope.events_in_period(), Registration.id.in_(sa.select(came.c.registration_id)))
        .subquery()
    )


def jobs_at(day: date) -> sa.Subquery:
    """(startup_id, headcount, fte): each start-up's latest snapshot on or before `day`."""
    latest = (
        sa.select(JobsSnapshot.startup_id, sa.func.max(JobsSnapshot.on).label("on"))
        .where(JobsSnapshot.on <= day)
        .group_by(JobsSnapshot.startup_id)
        .subquery()
    )
    return (
        sa.select(JobsSnapshot.startup_id, JobsSnapshot.headcount, JobsSnapshot.fte)
        .join(latest, sa.and_(latest.c.startup_id == JobsSnapshot.startup_id,
                              latest.c.on == JobsSnapshot.on))  # fmt: skip
        .subquery()
    )


def as_fte(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))
