"""The lists behind the impact figures: the start-ups, certifications and people a number
counts, one page at a time, with what each page shows beside them."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.core.labels import Labelled
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact.attribution import (
    credited_certifications,
    credited_startups,
    utc_date,
)
from boostcamp.outcomes.impact.scope import (
    Dimension,
    Scope,
    as_fte,
    certification_credits,
    event_ids_where,
    jobs_at,
    participations,
    startup_credits,
    year_of,
)
from boostcamp.outcomes.records.models import Certification, Startup, StartupMember
from boostcamp.registrations.models import Person, Profile, Registration, RegistrationStatus


class PeopleList(Labelled):
    PARTICIPANTS = "participants", _l("Participants")
    JOB_SEEKERS = "job_seekers", _l("Job seekers reached")
    REGISTERED = "registered", _l("People registered")


def _by_dimension(ids: sa.Select, event_id, outcome_day, dimension: Dimension | None, value):
    if dimension is None or value in (None, ""):
        return ids
    if dimension == Dimension.YEAR:
        year = year_of(outcome_day)
        return ids.where(year == _int(value))
    return ids.where(event_id.in_(event_ids_where(dimension, value)))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def _counted(model, day, credits_of, column: str, scope: Scope, dimension, value,
             credited: bool) -> sa.ColumnElement[bool]:
    """Which start-ups or certifications a list shows: those credited to the scope's events
    (narrowed by `dimension` and `value`), or, not credited over everything, those whose
    `day` falls in the period."""
    if not credited and scope.everything:
        return day.between(scope.start, scope.end)
    credits = credits_of(scope)
    ids = sa.select(credits.c[column]).join(model, model.id == credits.c[column])
    return model.id.in_(_by_dimension(ids, credits.c.event_id, day, dimension, value))


def startups_query(scope: Scope, dimension=None, value=None, credited: bool = True) -> sa.Select:
    where = _counted(Startup, Startup.founded_on, startup_credits, "startup_id", scope,
                     dimension, value, credited)  # fmt: skip
    return (
        sa.select(Startup)
        .where(where)
        .options(selectinload(Startup.members).joinedload(StartupMember.person))
        .order_by(Startup.founded_on, Startup.name, Startup.id)
    )


def certifications_query(
    scope: Scope, dimension=None, value=None, credited: bool = True
) -> sa.Select:
    where = _counted(Certification, Certification.obtained_on, certification_credits,
                     "certification_id", scope, dimension, value, credited)  # fmt: skip
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
    return {startup_id: (headcount, as_fte(fte)) for startup_id, headcount, fte in rows}
