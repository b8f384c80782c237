"""The impact figures: what the dashboard, the funder exports and the API show (the lists
behind them are in impact.lists, the targets in impact.targets). Every figure is computed
from attendance by the attribution rule, over the events the viewer may see (a partner: its
own), in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timezone
from decimal import Decimal

import sqlalchemy as sa

from boostcamp.checkin.attendance import attendance_query
from boostcamp.checkin.models import CheckIn
from boostcamp.events.models import Admission, Event, EventAudience, EventOrganiser, EventSession
from boostcamp.core.extensions import cache, db
from boostcamp.organisations.models import Organisation
from boostcamp.outcomes.impact import version as impact_version
from boostcamp.outcomes.impact.attribution import hours_between
from boostcamp.outcomes.impact.models import ImpactMetric
from boostcamp.outcomes.impact.scope import (
    PROGRAMME,
    PROGRAMME_EVENT,
    Dimension,
    Scope,
    as_fte,
    certification_credits,
    jobs_at,
    startup_credits,
)
from boostcamp.outcomes.records.models import Certification, Startup
from boostcamp.registrations.models import Profile, Registration, RegistrationStatus

# An event without an agenda counts its duration as attendance, up to a working day.
MAX_HOURS_WITHOUT_AGENDA = 8


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
    people_by_event: dict[int, set[int]]  # who came to each event: person ids
    job_seekers: set[int]  # those of them who came as job seekers
    attendance_hours: int  # spent in the period's sessions by the people who came
    founded_year: dict[int, int]  # start-ups founded in the period
    obtained_year: dict[int, int]  # certifications obtained in the period
    jobs: dict[int, tuple[int, Decimal]]  # (headcount, fte) at the period's end
    events: dict[int, EventFacts]
    organiser_names: dict[str, str]


def read_facts(scope: Scope) -> Facts:
    founded = Startup.founded_on.between(scope.start, scope.end)
    obtained = Certification.obtained_on.between(scope.start, scope.end)
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
        sa.select(PROGRAMME_EVENT.c.event_id, PROGRAMME.c.title)
        .join(PROGRAMME, PROGRAMME.c.id == PROGRAMME_EVENT.c.programme_id)
        .join(Event, Event.id == PROGRAMME_EVENT.c.event_id)
        .where(scope.events_where)
    ):
        events[event_id].paths.append(title)
    people_by_event, job_seekers, hours = _attendance(scope)
    return Facts(
        startup_credits=[tuple(r) for r in db.session.execute(sa.select(startup_credits(scope)))],
        certification_credits=[
            tuple(r) for r in db.session.execute(sa.select(certification_credits(scope)))
        ],
        people_by_event=people_by_event,
        job_seekers=job_seekers,
        attendance_hours=hours,
        founded_year={i: d.year for i, d in db.session.execute(
            sa.select(Startup.id, Startup.founded_on).where(founded))},
        obtained_year={i: d.year for i, d in db.session.execute(
            sa.select(Certification.id, Certification.obtained_on).where(obtained))},
        jobs={i: (h, as_fte(f)) for i, h, f in db.session.execute(
            sa.select(jobs).where(jobs.c.startup_id.in_(sa.select(Startup.id).where(founded))))},
        events=events,
        organiser_names=names,
    )  # fmt: skip


def _attendance(scope: Scope) -> tuple[dict[int, set[int]], set[int], int]:
    """Who came to each event, who of them as a job seeker, and the hours they spent in the
    period's sessions, in one pass over the period's attendance: one row per session (or
    agenda-less event) with its people's ids joined in a string, its hours computed once
    (not one row per attendance, up to 150,000; a person has one registration per event)."""
    came = (
        attendance_query()
        .join(Registration, Registration.id == CheckIn.registration_id)
        .join(Event, Event.id == Registration.event_id)
        .where(scope.events_in_period())  # first: the database reads only the period's
        .with_only_columns(Registration.event_id, CheckIn.session_id, Registration.person_id,
                           Registration.profile)
        .distinct()
        .subquery()
    )  # fmt: skip

    def ids(column):
        return sa.func.aggregate_strings(sa.cast(column, sa.String), ",")

    event_hours = hours_between(Event.starts_at, Event.ends_at)
    hours = sa.case(
        (came.c.session_id.is_not(None),
         hours_between(EventSession.starts_at, EventSession.ends_at)),
        (event_hours > MAX_HOURS_WITHOUT_AGENDA, MAX_HOURS_WITHOUT_AGENDA),
        else_=event_hours,
    )  # fmt: skip
    seeker = sa.case((came.c.profile == Profile.JOB_SEEKER, came.c.person_id))
    people: dict[int, set[int]] = defaultdict(set)
    seekers: set[int] = set()
    total = 0  # float on SQLite, Decimal on PostgreSQL: each adds up in its own
    for event_id, person_ids, seeker_ids, session_hours in db.session.execute(
        sa.select(came.c.event_id, ids(came.c.person_id), ids(seeker), sa.func.max(hours))
        .join(Event, Event.id == came.c.event_id)
        .outerjoin(EventSession, EventSession.id == came.c.session_id)
        .group_by(came.c.event_id, came.c.session_id)
    ):
        here = person_ids.split(",")
        people[event_id].update(map(int, here))
        total += len(here) * session_hours
        if seeker_ids:
            seekers.update(map(int, seeker_ids.split(",")))
    return dict(people), seekers, round(total)


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
    # People who applied to events with admission by application (boostcamp.admission),
    # whatever came of it; `registered` counts only those admitted.
    applied: int = 0
    startups_recorded: int | None = None  # the centre only: every start-up, credited or not
    certifications_recorded: int | None = None

    def metric(self, metric: ImpactMetric) -> Decimal | int:
        return getattr(self, metric.value)


def _jobs(facts: Facts, startup_ids) -> tuple[int, Decimal]:
    counts = [facts.jobs[s] for s in startup_ids if s in facts.jobs]
    return sum(h for h, _f in counts), as_fte(sum(f for _h, f in counts))


def figures(scope: Scope, facts: Facts | None = None) -> Figures:
    facts = facts or read_facts(scope)
    startups = {s for s, _e in facts.startup_credits}
    jobs, fte = _jobs(facts, startups)
    registered = (
        sa.select(sa.func.count(sa.distinct(Registration.person_id)))
        .join(Event, Event.id == Registration.event_id)
        .where(scope.events_in_period(), Registration.status == RegistrationStatus.CONFIRMED)
    )
    applied = (
        sa.select(sa.func.count(sa.distinct(Registration.person_id)))
        .join(Event, Event.id == Registration.event_id)
        .where(scope.events_in_period(), Event.admission == Admission.APPLICATION)
    )
    result = Figures(
        applied=db.session.scalar(applied) or 0,
        startups=len(startups),
        jobs=jobs,
        jobs_fte=fte,
        certifications=len({c for c, _e in facts.certification_credits}),
        participants=len(set().union(*facts.people_by_event.values())),
        registered=db.session.scalar(registered) or 0,
        job_seekers=len(facts.job_seekers),
        attendance_hours=facts.attendance_hours,
    )
    if scope.everything:
        result.startups_recorded = len(facts.founded_year)
        result.certifications_recorded = len(facts.obtained_year)
    return result


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
    for event_id, came in facts.people_by_event.items():
        for key in _event_keys(facts, dimension, event_id):
            people[key] |= came
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
    under the version of everything they count (impact.version): computed again only after
    a change, and the instant after it, on every worker."""

    def count() -> Summary:
        facts = read_facts(scope)
        return Summary(
            figures=figures(scope, facts),
            breakdowns={d: breakdown(scope, d, facts) for d in Dimension},
            organiser_names=facts.organiser_names,
        )

    return _kept("summary", scope, count)


def kept_figures(scope: Scope) -> Figures:
    """The scope's figures alone (the targets' periods), kept as summarise keeps its own."""
    return _kept("figures", scope, lambda: figures(scope))


IMPACT_KEEP_SECONDS = 3600


def _kept(kind: str, scope: Scope, count):
    version = impact_version.current(db.session)
    if version is None:  # this transaction changed what is counted, or no version yet
        return count()
    viewer = scope.events_where.compile(
        dialect=db.session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    key = (f"impact:{kind}:{version}:{scope.start}:{scope.end}:{scope.everything}:"
           f"{scope.rule}:{viewer}")  # fmt: skip
    found = cache.get(key)
    if found is None:
        found = count()
        cache.set(key, found, timeout=IMPACT_KEEP_SECONDS)
    return found


def partner_names(slugs) -> dict[str, str]:
    slugs = list(slugs)
    if not slugs:
        return {}
    return dict(db.session.execute(
        sa.select(Organisation.slug, Organisation.name).where(Organisation.slug.in_(slugs))
    ).all())
