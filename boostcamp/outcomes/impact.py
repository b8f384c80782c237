"""The impact report: what the dashboard, its drill-down lists, the funder exports and the
API show. Every figure is computed from attendance by the attribution rule, over the events
the viewer may see (a partner: its own), in a fixed number of queries."""

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.checkin.models import CheckIn
from boostcamp.events.models import Event, EventAudience, EventOrganiser, EventSession
from boostcamp.extensions import cache, db
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
    PATH = "path"  # a programme of events (boostcamp.programmes), by its title


# Programmes sit above this domain (they read attendance): named by table, not imported.
_PROGRAMME = sa.table("programme", sa.column("id"), sa.column("title"), sa.column("updated_at"))
_PROGRAMME_EVENT = sa.table("programme_event", sa.column("id"), sa.column("programme_id"),
                            sa.column("event_id"))  # fmt: skip


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
    if dimension == Dimension.PATH:
        return sa.select(_PROGRAMME_EVENT.c.event_id).join(
            _PROGRAMME, _PROGRAMME.c.id == _PROGRAMME_EVENT.c.programme_id
        ).where(_PROGRAMME.c.title == value)
    raise ValueError(dimension)


def _year(day) -> sa.ColumnElement:
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
    """(person_id, event_id, profile): who came (at least once) to the period's events."""
    came = attendances(events=sa.select(Event.id).where(scope.events_in_period())).subquery()
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


def _fte(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- what a report counts


@dataclass
class EventFacts:
    kind: str
    city: str
    year: int
    organisers: list[str] = field(default_factory=list)  # slugs
    audiences: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # titles of the programmes it is part of


@dataclass
class Facts:
    """What a report counts, read once per report in a handful of queries (the rule runs in
    SQL; the breakdowns only sort its answers): the credits, who came, and the events."""

    startup_credits: list[tuple[int, int]]  # (startup_id, event_id)
    certification_credits: list[tuple[int, int]]  # (certification_id, event_id)
    came: list[tuple[int, int, Profile]]  # (person_id, event_id, profile)
    founded_year: dict[int, int]  # start-ups founded in the period
    obtained_year: dict[int, int]  # certifications obtained in the period
    jobs: dict[int, tuple[int, Decimal]]  # (headcount, fte) at the period's end
    events: dict[int, EventFacts]
    organiser_names: dict[str, str]


def read_facts(scope: Scope) -> Facts:
    founded = Startup.founded_on.between(scope.start, scope.end)
    obtained = Certification.obtained_on.between(scope.start, scope.end)
    came = participations(scope)
    jobs = jobs_at(scope.end)
    events = {
        event_id: EventFacts(str(kind), city, starts_at.astimezone(timezone.utc).year)
        for event_id, kind, city, starts_at in db.session.execute(
            sa.select(Event.id, Event.kind, Event.city, Event.starts_at).where(scope.events_where)
        )
    }
    names = {}
    for event_id, slug, name in db.session.execute(
        sa.select(EventOrganiser.event_id, Organisation.slug, Organisation.name)
        .join(Organisation, Organisation.id == EventOrganiser.organisation_id)
        .join(Event, Event.id == EventOrganiser.event_id)
        .where(scope.events_where)
    ):
        events[event_id].organisers.append(slug)
        names[slug] = name
    for event_id, audience in db.session.execute(
        sa.select(EventAudience.event_id, EventAudience.audience)
        .join(Event, Event.id == EventAudience.event_id)
        .where(scope.events_where)
    ):
        events[event_id].audiences.append(str(audience))
    for event_id, title in db.session.execute(
        sa.select(_PROGRAMME_EVENT.c.event_id, _PROGRAMME.c.title)
        .join(_PROGRAMME, _PROGRAMME.c.id == _PROGRAMME_EVENT.c.programme_id)
        .join(Event, Event.id == _PROGRAMME_EVENT.c.event_id)
        .where(scope.events_where)
    ):
        events[event_id].paths.append(title)
    return Facts(
        startup_credits=[tuple(r) for r in db.session.execute(sa.select(startup_credits(scope)))],
        certification_credits=[
            tuple(r) for r in db.session.execute(sa.select(certification_credits(scope)))
        ],
        came=[tuple(r) for r in db.session.execute(sa.select(came))],
        founded_year={i: d.year for i, d in db.session.execute(
            sa.select(Startup.id, Startup.founded_on).where(founded))},
        obtained_year={i: d.year for i, d in db.session.execute(
            sa.select(Certification.id, Certification.obtained_on).where(obtained))},
        jobs={i: (h, _fte(f)) for i, h, f in db.session.execute(
            sa.select(jobs).where(jobs.c.startup_id.in_(sa.select(Startup.id).where(founded))))},
        events=events,
        organiser_names=names,
    )  # fmt: skip


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


def _jobs(facts: Facts, startup_ids) -> tuple[int, Decimal]:
    counts = [facts.jobs[s] for s in startup_ids if s in facts.jobs]
    return sum(h for h, _f in counts), _fte(sum(f for _h, f in counts))


def figures(scope: Scope, facts: Facts | None = None) -> Figures:
    facts = facts or read_facts(scope)
    startups = {s for s, _e in facts.startup_credits}
    jobs, fte = _jobs(facts, startups)
    registered = (
        sa.select(sa.func.count(sa.distinct(Registration.person_id)))
        .join(Event, Event.id == Registration.event_id)
        .where(scope.events_in_period(), Registration.status == RegistrationStatus.CONFIRMED)
    )
    result = Figures(
        startups=len(startups),
        jobs=jobs,
        jobs_fte=fte,
        certifications=len({c for c, _e in facts.certification_credits}),
        participants=len({p for p, _e, _profile in facts.came}),
        registered=db.session.scalar(registered) or 0,
        job_seekers=len({p for p, _e, profile in facts.came if profile == Profile.JOB_SEEKER}),
        attendance_hours=attendance_hours(scope),
    )
    if scope.everything:
        result.startups_recorded = len(facts.founded_year)
        result.certifications_recorded = len(facts.obtained_year)
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


def _event_keys(facts: Facts, dimension: Dimension, event_id: int) -> list[str]:
    event = facts.events.get(event_id)
    if event is None:
        return []
    if dimension == Dimension.KIND:
        return [event.kind]
    if dimension == Dimension.CITY:
        return [event.city]
    if dimension == Dimension.PARTNER:
        return event.organisers
    if dimension == Dimension.AUDIENCE:
        return event.audiences
    if dimension == Dimension.PATH:
        return event.paths
    return [str(event.year)]


def breakdown(scope: Scope, dimension: Dimension, facts: Facts | None = None) -> list[Line]:
    """One line per programme, partner, city, audience or year. An outcome credited to
    events of two programmes counts on both lines: the lines may add up to more than the
    total, which counts it once. Years are those of the outcome (founding, certification)
    and, for participants, of the event."""
    facts = facts or read_facts(scope)
    startups: dict[str, set] = defaultdict(set)
    certifications: dict[str, set] = defaultdict(set)
    people: dict[str, set] = defaultdict(set)
    by_year = dimension == Dimension.YEAR
    for startup_id, event_id in facts.startup_credits:
        keys = [str(facts.founded_year[startup_id])] if by_year else \
            _event_keys(facts, dimension, event_id)
        for key in keys:
            startups[key].add(startup_id)
    for certification_id, event_id in facts.certification_credits:
        keys = [str(facts.obtained_year[certification_id])] if by_year else \
            _event_keys(facts, dimension, event_id)
        for key in keys:
            certifications[key].add(certification_id)
    for person_id, event_id, _profile in facts.came:
        for key in _event_keys(facts, dimension, event_id):
            people[key].add(person_id)
    lines = []
    for key in set(startups) | set(certifications) | set(people):
        jobs, fte = _jobs(facts, startups[key])
        lines.append(Line(key, len(startups[key]), jobs, fte, len(certifications[key]),
                          len(people[key])))  # fmt: skip
    if by_year:
        return sorted(lines, key=lambda l: l.key)
    return sorted(lines, key=lambda l: (-l.startups, -l.certifications, -l.participants, l.key))


# ---------------------------------------------------------------- kept between changes


@dataclass
class Summary:
    """What the dashboard, the funder report and the API count for a scope."""

    figures: Figures
    breakdowns: dict[Dimension, list[Line]]
    organiser_names: dict[str, str]


def summarise(scope: Scope) -> Summary:
    """The scope's figures and breakdowns, kept in the cache (Redis when instances share it)
    under the version of everything they count: computed again only after a change, and
    the instant after it, on every worker (the version is read from the database)."""
    viewer = scope.events_where.compile(
        dialect=db.session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    key = (f"impact:{scope.start}:{scope.end}:{scope.everything}:{scope.rule}:{viewer}:"
           f"{data_version()}")  # fmt: skip
    found = cache.get(key)
    if found is None:
        facts = read_facts(scope)
        found = Summary(
            figures=figures(scope, facts),
            breakdowns={d: breakdown(scope, d, facts) for d in Dimension},
            organiser_names=facts.organiser_names,
        )
        cache.set(key, found, timeout=IMPACT_KEEP_SECONDS)
    return found


IMPACT_KEEP_SECONDS = 3600
# What the figures count, each table by the aggregates that change with any insert, update
# or delete the product makes (check-ins are never updated; jobs snapshots are, in place).
_VERSIONED = (
    (CheckIn, CheckIn.id),
    (Registration, Registration.updated_at),
    (Event, Event.updated_at),
    (EventSession, EventSession.id),
    (EventOrganiser, EventOrganiser.id),
    (EventAudience, EventAudience.event_id),
    (Organisation, Organisation.updated_at),
    (Startup, Startup.updated_at),
    (StartupMember, StartupMember.id),
    (Certification, Certification.updated_at),
    (_PROGRAMME, _PROGRAMME.c.updated_at),
    (_PROGRAMME_EVENT, _PROGRAMME_EVENT.c.id),
)


def data_version() -> str:
    """A fingerprint of everything impact figures count, in one statement."""
    parts = []
    for model, column in _VERSIONED:
        parts += [sa.select(sa.func.count()).select_from(model).scalar_subquery(),
                  sa.select(sa.func.max(column)).scalar_subquery()]  # fmt: skip
    parts += [
        sa.select(aggregate).scalar_subquery()
        for aggregate in (sa.func.count(JobsSnapshot.id), sa.func.max(JobsSnapshot.id),
                          sa.func.sum(JobsSnapshot.headcount), sa.func.sum(JobsSnapshot.fte))
    ]  # fmt: skip
    return "|".join(str(v) for v in db.session.execute(sa.select(*parts)).one())


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
    startup_ids, certification_ids = list(startup_ids), list(certification_ids)
    for kind, ids, credits, column in (
        ("startup", startup_ids, lambda: credited_startups(
            scope.rule, scope.events_where, Startup.id.in_(startup_ids)), "startup_id"),
        ("certification", certification_ids, lambda: credited_certifications(
            scope.rule, scope.events_where, Certification.id.in_(certification_ids)),
         "certification_id"),
    ):  # fmt: skip
        if not ids:
            continue
        credits = credits().subquery()
        rows = db.session.execute(
            sa.select(credits.c[column], Event)
            .join(Event, Event.id == credits.c.event_id)
            .order_by(Event.starts_at)
        ).all()
        for outcome_id, event in rows:
            found.setdefault((kind, outcome_id), []).append(event)
    return found


def people_seen(scope: Scope, person_ids) -> set[int]:
    """Of these people, those the viewer may name: everyone for the centre; for a partner,
    the people registered to its own events (a co-founder met only at another partner's
    event stays anonymous)."""
    ids = set(person_ids)
    if scope.everything or not ids:
        return ids
    return set(db.session.scalars(
        sa.select(Registration.person_id).distinct()
        .join(Event, Event.id == Registration.event_id)
        .where(scope.events_where, Registration.person_id.in_(ids))
    ))  # fmt: skip


def jobs_of(startup_ids, day: date) -> dict[int, tuple[int, Decimal]]:
    """(headcount, fte) at `day` for one page of start-ups."""
    ids = list(startup_ids)
    if not ids:
        return {}
    jobs = jobs_at(day)
    rows = db.session.execute(sa.select(jobs).where(jobs.c.startup_id.in_(ids)))
    return {startup_id: (headcount, _fte(fte)) for startup_id, headcount, fte in rows}
