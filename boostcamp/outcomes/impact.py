"""The impact report: what the dashboard, its drill-down lists, the funder exports and the
API show. Every figure is computed from attendance by the attribution rule, over the events
the viewer may see (a partner: its own), in a fixed number of queries."""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.events.models import Event, EventAudience, EventOrganiser, EventSession
from boostcamp.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.outcomes.attribution import (
    Rule,
    attendances,
    credited_certifications,
    credited_startups,
    current_rule,
    hours_between,
    utc_date,
)
from boostcamp.outcomes.models import (
    Certification,
    ImpactMetric,
    ImpactTarget,
    JobsSnapshot,
    Startup,
    StartupMember,
)
from boostcamp.registrations.models import Person, Profile, Registration, RegistrationStatus
from boostcamp.checkin.services import attendance_query

# An event without an agenda counts its duration as attendance, up to a working day.
MAX_HOURS_WITHOUT_AGENDA = 8


@dataclass(frozen=True)
class Scope:
    """What a report covers: a period, the events its viewer may see, the rule in force.
    `everything` is True for the centre: it also sees what no event is credited with."""

    start: date
    end: date
    events_where: sa.ColumnElement[bool]
    everything: bool
    rule: Rule = field(default_factory=Rule)

    @classmethod
    def for_actor(cls, actor, start: date, end: date) -> "Scope":
        from boostcamp.auth.permissions import Action, can, events_filter

        return cls(start, end, events_filter(actor, Action.VIEW_IMPACT),
                   can(actor, Action.MANAGE_ALL), current_rule())  # fmt: skip

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


class Dimension(enum.StrEnum):
    KIND = "kind"  # the programme
    PARTNER = "partner"  # an organiser of the event (host or co-organiser)
    CITY = "city"
    AUDIENCE = "audience"
    YEAR = "year"  # of the outcome: founding, certification, the event attended


def _event_ids_where(dimension: Dimension, value: str) -> sa.Select:
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
    raise ValueError(dimension)


def _event_key(dimension: Dimension, event_id) -> tuple[sa.ColumnElement, Callable]:
    """(key column, add-joins) that group rows by an event-side dimension."""
    if dimension == Dimension.KIND:
        return Event.kind, lambda q: q.join(Event, Event.id == event_id)
    if dimension == Dimension.CITY:
        return Event.city, lambda q: q.join(Event, Event.id == event_id)
    if dimension == Dimension.PARTNER:
        return Organisation.slug, lambda q: q.join(
            EventOrganiser, EventOrganiser.event_id == event_id
        ).join(Organisation, Organisation.id == EventOrganiser.organisation_id)
    if dimension == Dimension.AUDIENCE:
        return EventAudience.audience, lambda q: q.join(
            EventAudience, EventAudience.event_id == event_id
        )
    raise ValueError(dimension)


def _year(day) -> sa.ColumnElement:
    return sa.cast(sa.extract("year", day), sa.Integer)


# ---------------------------------------------------------------- the pieces, as subqueries


def startup_credits(scope: Scope) -> sa.Subquery:
    """(startup_id, event_id) for the start-ups founded in the period."""
    return (
        credited_startups(scope.rule, scope.events_where)
        .where(Startup.founded_on.between(scope.start, scope.end))
        .subquery()
    )


def certification_credits(scope: Scope) -> sa.Subquery:
    return (
        credited_certifications(scope.rule, scope.events_where)
        .where(Certification.obtained_on.between(scope.start, scope.end))
        .subquery()
    )


def participations(scope: Scope) -> sa.Subquery:
    """(person_id, event_id, profile): who came (at least once) to the period's events."""
    came = attendances().subquery()
    return (
        sa.select(came.c.person_id, came.c.event_id, Registration.profile)
        .join(Event, Event.id == came.c.event_id)
        .join(Registration, sa.and_(Registration.event_id == came.c.event_id,
                                    Registration.person_id == came.c.person_id))  # fmt: skip
        .where(scope.events_in_period())
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


def _sum_jobs(startup_ids: sa.Subquery, day: date, key=None) -> sa.Select:
    jobs = jobs_at(day)
    columns = [sa.func.coalesce(sa.func.sum(jobs.c.headcount), 0),
               sa.func.coalesce(sa.func.sum(jobs.c.fte), 0)]  # fmt: skip
    query = sa.select(*([key] if key is not None else []), *columns).select_from(startup_ids)
    query = query.join(jobs, jobs.c.startup_id == startup_ids.c.startup_id)
    return query.group_by(key) if key is not None else query


def _fte(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- the figures


@dataclass
class Figures:
    startups: int
    jobs: int
    jobs_fte: Decimal
    certifications: int
    participants: int
    registered: int
    job_seekers: int
    attendance_hours: int
    startups_recorded: int | None = None  # the centre only: every start-up, credited or not
    certifications_recorded: int | None = None

    def metric(self, metric: ImpactMetric) -> Decimal | int:
        return getattr(self, metric.value)


def figures(scope: Scope) -> Figures:
    count = lambda query: db.session.scalar(query) or 0  # noqa: E731
    credits = startup_credits(scope)
    credited_ids = sa.select(credits.c.startup_id).distinct().subquery()
    jobs, fte = db.session.execute(_sum_jobs(credited_ids, scope.end)).one()
    certifications = certification_credits(scope)
    came = participations(scope)
    registered = (
        sa.select(sa.func.count(sa.distinct(Registration.person_id)))
        .join(Event, Event.id == Registration.event_id)
        .where(scope.events_in_period(), Registration.status == RegistrationStatus.CONFIRMED)
    )
    result = Figures(
        startups=count(sa.select(sa.func.count()).select_from(credited_ids)),
        jobs=int(jobs),
        jobs_fte=_fte(fte),
        certifications=count(
            sa.select(sa.func.count(sa.distinct(certifications.c.certification_id)))
        ),
        participants=count(sa.select(sa.func.count(sa.distinct(came.c.person_id)))),
        registered=count(registered),
        job_seekers=count(
            sa.select(sa.func.count(sa.distinct(came.c.person_id)))
            .where(came.c.profile == Profile.JOB_SEEKER)
        ),
        attendance_hours=attendance_hours(scope),
    )
    if scope.everything:
        result.startups_recorded = count(
            sa.select(sa.func.count(Startup.id))
            .where(Startup.founded_on.between(scope.start, scope.end))
        )
        result.certifications_recorded = count(
            sa.select(sa.func.count(Certification.id))
            .where(Certification.obtained_on.between(scope.start, scope.end))
        )
    return result


def attendance_hours(scope: Scope) -> int:
    """Hours spent in the period's sessions by the people who came, each session once."""
    came = attendance_query().distinct().subquery()
    event_hours = hours_between(Event.starts_at, Event.ends_at)
    hours = sa.case(
        (came.c.session_id.is_not(None),
         hours_between(EventSession.starts_at, EventSession.ends_at)),
        (event_hours > MAX_HOURS_WITHOUT_AGENDA, MAX_HOURS_WITHOUT_AGENDA),
        else_=event_hours,
    )
    total = db.session.scalar(
        sa.select(sa.func.sum(hours))
        .select_from(came)
        .join(Registration, Registration.id == came.c.registration_id)
        .join(Event, Event.id == Registration.event_id)
        .outerjoin(EventSession, EventSession.id == came.c.session_id)
        .where(scope.events_in_period())
    )
    return round(total or 0)


@dataclass
class Line:
    key: str
    startups: int = 0
    jobs: int = 0
    jobs_fte: Decimal = Decimal("0.00")
    certifications: int = 0
    participants: int = 0


def breakdown(scope: Scope, dimension: Dimension) -> list[Line]:
    """One line per programme, partner, city, audience or year. An outcome credited to
    events of two programmes counts on both lines: the lines may add up to more than the
    total, which counts it once."""
    lines: dict[str, Line] = {}

    def line(key) -> Line:
        key = str(key.value if hasattr(key, "value") else key)
        return lines.setdefault(key, Line(key))

    credits, certs = startup_credits(scope), certification_credits(scope)
    came = participations(scope)
    if dimension == Dimension.YEAR:
        founded = (
            sa.select(Startup.id.label("startup_id"), _year(Startup.founded_on).label("key"))
            .where(Startup.id.in_(sa.select(credits.c.startup_id)))
            .subquery()
        )
        startups = sa.select(founded.c.key, sa.func.count()).group_by(founded.c.key)
        jobs = _sum_jobs(founded, scope.end, founded.c.key)
        certifications = (
            sa.select(_year(Certification.obtained_on), sa.func.count())
            .where(Certification.id.in_(sa.select(certs.c.certification_id)))
            .group_by(_year(Certification.obtained_on))
        )
        year = _year(utc_date(Event.starts_at))
        people = (
            sa.select(year, sa.func.count(sa.distinct(came.c.person_id)))
            .join(Event, Event.id == came.c.event_id)
            .group_by(year)
        )
    else:
        key, joins = _event_key(dimension, credits.c.event_id)
        startups = joins(
            sa.select(key, sa.func.count(sa.distinct(credits.c.startup_id))).select_from(credits)
        ).group_by(key)
        per_key = joins(
            sa.select(key.label("key"), credits.c.startup_id).select_from(credits)
        ).distinct().subquery()
        jobs = _sum_jobs(per_key, scope.end, per_key.c.key)
        key, joins = _event_key(dimension, certs.c.event_id)
        certifications = joins(
            sa.select(key, sa.func.count(sa.distinct(certs.c.certification_id))).select_from(certs)
        ).group_by(key)
        key, joins = _event_key(dimension, came.c.event_id)
        people = joins(
            sa.select(key, sa.func.count(sa.distinct(came.c.person_id))).select_from(came)
        ).group_by(key)
    for key, n in db.session.execute(startups):
        line(key).startups = n
    for key, n, fte in db.session.execute(jobs):
        line(key).jobs, line(key).jobs_fte = int(n), _fte(fte)
    for key, n in db.session.execute(certifications):
        line(key).certifications = n
    for key, n in db.session.execute(people):
        line(key).participants = n
    if dimension == Dimension.YEAR:
        return sorted(lines.values(), key=lambda l: l.key)
    return sorted(
        lines.values(), key=lambda l: (-l.startups, -l.certifications, -l.participants, l.key)
    )


def partner_names(slugs) -> dict[str, str]:
    slugs = list(slugs)
    if not slugs:
        return {}
    return dict(db.session.execute(
        sa.select(Organisation.slug, Organisation.name).where(Organisation.slug.in_(slugs))
    ).all())


# ---------------------------------------------------------------- targets


@dataclass
class Progress:
    target: ImpactTarget
    reached: Decimal | int

    @property
    def percent(self) -> int:
        if not self.target.value:
            return 100
        return round(Decimal(self.reached) * 100 / self.target.value)


def targets_progress(scope: Scope) -> list[Progress]:
    """Every target, reached so far within its own period (up to today)."""
    targets = db.session.scalars(
        sa.select(ImpactTarget).order_by(ImpactTarget.period_from, ImpactTarget.label)
    ).all()
    cache: dict[tuple[date, date], Figures] = {}
    progress = []
    for target in targets:
        period = (target.period_from, target.period_to)
        if period not in cache:
            cache[period] = figures(scope.with_period(*period))
        progress.append(Progress(target, cache[period].metric(target.metric)))
    return progress


# ---------------------------------------------------------------- the lists behind the numbers


class PeopleList(enum.StrEnum):
    PARTICIPANTS = "participants"
    JOB_SEEKERS = "job_seekers"
    REGISTERED = "registered"


def _by_dimension(ids: sa.Select, event_id, outcome_day, dimension: Dimension | None, value):
    if dimension is None or value in (None, ""):
        return ids
    if dimension == Dimension.YEAR:
        year = _year(outcome_day)
        return ids.where(year == _int(value))
    return ids.where(event_id.in_(_event_ids_where(dimension, value)))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def startups_query(scope: Scope, dimension=None, value=None, credited: bool = True) -> sa.Select:
    if credited or not scope.everything:
        credits = startup_credits(scope)
        ids = sa.select(credits.c.startup_id).join(Startup, Startup.id == credits.c.startup_id)
        ids = _by_dimension(ids, credits.c.event_id, Startup.founded_on, dimension, value)
        where = Startup.id.in_(ids)
    else:
        where = Startup.founded_on.between(scope.start, scope.end)
    return (
        sa.select(Startup)
        .where(where)
        .options(selectinload(Startup.members).joinedload(StartupMember.person))
        .order_by(Startup.founded_on, Startup.name, Startup.id)
    )


def certifications_query(
    scope: Scope, dimension=None, value=None, credited: bool = True
) -> sa.Select:
    if credited or not scope.everything:
        credits = certification_credits(scope)
        ids = sa.select(credits.c.certification_id).join(
            Certification, Certification.id == credits.c.certification_id
        )
        ids = _by_dimension(ids, credits.c.event_id, Certification.obtained_on, dimension, value)
        where = Certification.id.in_(ids)
    else:
        where = Certification.obtained_on.between(scope.start, scope.end)
    return (
        sa.select(Certification)
        .where(where)
        .options(joinedload(Certification.person), joinedload(Certification.exam_event))
        .order_by(Certification.obtained_on, Certification.id)
    )


def people_query(scope: Scope, which: PeopleList, dimension=None, value=None) -> sa.Select:
    if which == PeopleList.REGISTERED:
        ids = (
            sa.select(Registration.person_id)
            .join(Event, Event.id == Registration.event_id)
            .where(scope.events_in_period(), Registration.status == RegistrationStatus.CONFIRMED)
        )
        ids = _by_dimension(ids, Registration.event_id, utc_date(Event.starts_at), dimension, value)
    else:
        came = participations(scope)
        ids = sa.select(came.c.person_id).join(Event, Event.id == came.c.event_id)
        if which == PeopleList.JOB_SEEKERS:
            ids = ids.where(came.c.profile == Profile.JOB_SEEKER)
        ids = _by_dimension(ids, came.c.event_id, utc_date(Event.starts_at), dimension, value)
    return sa.select(Person).where(Person.id.in_(ids)).order_by(
        Person.last_name, Person.first_name, Person.id
    )


def credited_events(scope: Scope, startup_ids=(), certification_ids=()) -> dict:
    """{("startup"|"certification", id): [Event, …]} for one page of a list: one query each."""
    found: dict[tuple[str, int], list[Event]] = {}
    for kind, credits, column, ids in (
        ("startup", credited_startups(scope.rule, scope.events_where).subquery(), "startup_id",
         startup_ids),
        ("certification", credited_certifications(scope.rule, scope.events_where).subquery(),
         "certification_id", certification_ids),
    ):  # fmt: skip
        if not ids:
            continue
        rows = db.session.execute(
            sa.select(credits.c[column], Event)
            .join(Event, Event.id == credits.c.event_id)
            .where(credits.c[column].in_(list(ids)))
            .order_by(Event.starts_at)
        ).all()
        for outcome_id, event in rows:
            found.setdefault((kind, outcome_id), []).append(event)
    return found


def jobs_of(startup_ids, day: date) -> dict[int, tuple[int, Decimal]]:
    """(headcount, fte) at `day` for one page of start-ups."""
    ids = list(startup_ids)
    if not ids:
        return {}
    jobs = jobs_at(day)
    rows = db.session.execute(sa.select(jobs).where(jobs.c.startup_id.in_(ids)))
    return {startup_id: (headcount, _fte(fte)) for startup_id, headcount, fte in rows}
