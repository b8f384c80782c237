"""The attribution rule: which events get the credit for a start-up or a certification.

- A person *attended* an event when they were checked in to at least the rule's share of
  its sessions (default 50 %; an event without an agenda counts as one session).
- A start-up is credited to every event one of its *founders* attended (team members do not
  count) on a day from N months before the start-up was founded up to the day it was
  founded (default 24 months, both ends included), or while the centre supported it
  (from `supported_from` to `supported_until`, open-ended while it still is).
- Its jobs follow it: a report takes each start-up's latest jobs snapshot on or before the
  period's end.
- A certification is credited to every training the person attended on a day from N months
  before obtaining it up to that day (default 12 months). Trainings are the events that
  teach: kinds training, boostcamp and workshop. Exam sessions and special projects are not.

An event's day is the day it starts. The three numbers are settings staff change on the
dashboard; the kinds are fixed here. Everything is one SQL query over the whole base
(no loop per person), so the dashboard stays fast on years of data.
"""

from dataclasses import asdict, dataclass
from datetime import UTC, date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from boostcamp.audit import services as audit
from boostcamp.checkin.attendance import attendance_query
from boostcamp.core.services import get_setting, set_setting
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event, EventKind, EventSession
from boostcamp.core.extensions import db
from boostcamp.outcomes.records.models import Certification, Startup, StartupMember, StartupRole
from boostcamp.registrations.models import Registration

TRAINING_KINDS = (EventKind.TRAINING, EventKind.BOOSTCAMP, EventKind.WORKSHOP)
SETTINGS = {
    "min_attendance_percent": "outcomes_min_attendance_percent",
    "startup_months": "outcomes_startup_months",
    "certification_months": "outcomes_certification_months",
}
LIMITS = {"min_attendance_percent": (1, 100), "startup_months": (0, 120),
          "certification_months": (0, 120)}  # fmt: skip


@dataclass(frozen=True)
class Rule:
    min_attendance_percent: int = 50
    startup_months: int = 24
    certification_months: int = 12


def current_rule() -> Rule:
    return Rule(**{field: int(get_setting(key)) for field, key in SETTINGS.items()})


def set_rule(*, actor: audit.Actor | None = None, **fields) -> Rule:
    """Change how events are credited: every funder's figure moves, so it is audited."""
    errors = {}
    for field, value in fields.items():
        low, high = LIMITS[field]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            errors[field] = _l("Give a whole number from %(low)d to %(high)d.", low=low, high=high)
    if errors:
        raise ValidationFailed(errors)
    before = asdict(current_rule())
    for field, value in fields.items():
        set_setting(SETTINGS[field], value)
    rule = current_rule()
    changes = audit.diff(before, asdict(rule))
    if changes:
        audit.record("attribution_rule_changed", actor=audit.Actor.of(actor=actor), changes=changes)
    return rule


# ---------------------------------------------------------------- SQL over dates, both engines


class utc_date(FunctionElement):
    """The UTC day of an instant, as a DATE."""

    type = sa.Date()
    inherit_cache = True


@compiles(utc_date)
def _utc_date_sqlite(element, compiler, **kw):  # SQLite keeps instants as naive UTC text
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_date, "postgresql")
def _utc_date_postgresql(element, compiler, **kw):
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


class hours_between(FunctionElement):
    type = sa.Float()
    inherit_cache = True


@compiles(hours_between)
def _hours_sqlite(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_postgresql(element, compiler, **kw):
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"


def day_key(day) -> sa.ColumnElement:
    """A day as year·1200 + month·100 + day: N months earlier is the key minus N·100, on
    both engines (a 31st with no such day N months earlier falls on the next month's 1st)."""
    return (
        sa.extract("year", day) * 1200 + sa.extract("month", day) * 100 + sa.extract("day", day)
    )


def event_day() -> sa.ColumnElement:
    return day_key(utc_date(Event.starts_at))


def within_months_before(day, months: int) -> sa.ColumnElement[bool]:
    """The event's day is `day` or up to `months` months before it."""
    key = day_key(day)
    return sa.and_(event_day() <= key, event_day() >= key - months * 100)


# ---------------------------------------------------------------- the rule, as queries


def attendances(
    min_percent: int | None = None, people: sa.Select | None = None, events: sa.Select | None = None
) -> sa.Select:
    """(person_id, event_id): who attended what. With `min_percent`, only those checked in
    to at least that share of the event's sessions; without, anyone who came once. `people`
    and `events` (selects of ids) narrow it down early: the database then reads only the
    registrations that matter."""
    came = attendance_query().subquery()
    query = (
        sa.select(Registration.person_id, Registration.event_id)
        .join(came, came.c.registration_id == Registration.id)
        .group_by(Registration.person_id, Registration.event_id)
    )
    if people is not None:
        query = query.where(Registration.person_id.in_(people))
    if events is not None:
        query = query.where(Registration.event_id.in_(events))
    if min_percent:
        sessions = (
            sa.select(EventSession.event_id, sa.func.count().label("n"))
            .group_by(EventSession.event_id)
            .subquery()
        )
        attended = sa.func.count(sa.distinct(sa.func.coalesce(came.c.session_id, 0)))
        query = (
            query.outerjoin(sessions, sessions.c.event_id == Registration.event_id)
            .group_by(sessions.c.n)
            .having(attended * 100 >= min_percent * sa.func.coalesce(sessions.c.n, 1))
        )
    return query


def credited_startups(
    rule: Rule,
    events_where: sa.ColumnElement[bool] = sa.true(),
    startups_where: sa.ColumnElement[bool] = sa.true(),
) -> sa.Select:
    """(startup_id, event_id) of every credit, among the events `events_where` allows and
    the start-ups `startups_where` allows."""
    founders = (
        sa.select(StartupMember.person_id)
        .join(Startup, Startup.id == StartupMember.startup_id)
        .where(StartupMember.role == StartupRole.FOUNDER, startups_where)
    )
    attended = attendances(rule.min_attendance_percent, people=founders).subquery()
    supported = sa.and_(
        Startup.supported_from.is_not(None),
        event_day() >= day_key(Startup.supported_from),
        sa.or_(Startup.supported_until.is_(None), event_day() <= day_key(Startup.supported_until)),
    )
    return (
        sa.select(Startup.id.label("startup_id"), Event.id.label("event_id"))
        .join(StartupMember, StartupMember.startup_id == Startup.id)
        .join(attended, attended.c.person_id == StartupMember.person_id)
        .join(Event, Event.id == attended.c.event_id)
        .where(
            StartupMember.role == StartupRole.FOUNDER,
            sa.or_(within_months_before(Startup.founded_on, rule.startup_months), supported),
            events_where,
            startups_where,
        )
        .distinct()
    )


def credited_certifications(
    rule: Rule,
    events_where: sa.ColumnElement[bool] = sa.true(),
    certifications_where: sa.ColumnElement[bool] = sa.true(),
) -> sa.Select:
    """(certification_id, event_id) of every credit, among the events `events_where` allows
    and the certifications `certifications_where` allows."""
    holders = sa.select(Certification.person_id).where(certifications_where)
    # Narrowed by the holders only: with the events too, SQLite reads every registration of
    # every training (4 s at 200,000 registrations); the outer query keeps the trainings.
    attended = attendances(rule.min_attendance_percent, people=holders).subquery()
    return (
        sa.select(Certification.id.label("certification_id"), Event.id.label("event_id"))
        .join(attended, attended.c.person_id == Certification.person_id)
        .join(Event, Event.id == attended.c.event_id)
        .where(
            Event.kind.in_(TRAINING_KINDS),
            within_months_before(Certification.obtained_on, rule.certification_months),
            events_where,
            certifications_where,
        )
        .distinct()
    )


# ---------------------------------------------------------------- one start-up, explained


@dataclass(frozen=True)
class Credit:
    event: Event
    founders: list[int]  # person ids of the founders whose attendance earns the credit
    before_founding: bool  # within the months before it was founded
    while_supported: bool  # while the centre supported it


def startup_credits(startup: Startup, rule: Rule) -> list[Credit]:
    """The events the start-up is credited to, newest first, each with why: which founders
    attended it, and whether before the founding or while the centre supported it."""
    rows = db.session.execute(
        credited_startups(rule, startups_where=Startup.id == startup.id)
        .with_only_columns(Event.id, StartupMember.person_id)
    ).all()
    events = {e.id: e for e in db.session.scalars(
        sa.select(Event).where(Event.id.in_({event_id for event_id, _ in rows}))
    )}  # fmt: skip
    founders: dict[int, list[int]] = {}
    for event_id, person_id in rows:
        founders.setdefault(event_id, []).append(person_id)
    credits = []
    for event_id, people in founders.items():
        event = events[event_id]
        day = event.starts_at.astimezone(UTC).date()
        earliest = _months_before(startup.founded_on, rule.startup_months)
        supported = bool(
            startup.supported_from and startup.supported_from <= day
            and (startup.supported_until is None or day <= startup.supported_until)
        )  # fmt: skip
        credits.append(Credit(event, sorted(set(people)), earliest <= day <= startup.founded_on,
                              supported))  # fmt: skip
    return sorted(credits, key=lambda c: c.event.starts_at, reverse=True)


def _months_before(day: date, months: int) -> date:
    """As day_key() counts: the same day N months earlier, or the next month's 1st."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    try:
        return date(year, month + 1, day.day)
    except ValueError:
        return date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)


def founders_attendance(startup: Startup, rule: Rule) -> list[tuple[int, Event, bool]]:
    """(person id, event, attended per the rule) for every event a founder came to."""
    founders = sa.select(StartupMember.person_id).where(
        StartupMember.startup_id == startup.id, StartupMember.role == StartupRole.FOUNDER
    )
    came = attendances(people=founders).subquery()
    enough = {tuple(r) for r in db.session.execute(
        attendances(rule.min_attendance_percent, people=founders)
    )}  # fmt: skip
    rows = db.session.execute(
        sa.select(came.c.person_id, Event)
        .join(Event, Event.id == came.c.event_id)
        .order_by(Event.starts_at.desc())
    ).all()
    return [(person_id, event, (person_id, event.id) in enough) for person_id, event in rows]
