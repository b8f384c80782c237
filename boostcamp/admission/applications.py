"""Admission by application: the reviewers' list of an event's applications, and one application.

An application is a registration with the status `applied`, made by the usual sign-up
(registrations.signup.register) on an event whose admission is `application`; it holds
no seat. Reviewers score it on the event's criteria (1–5 each) with a note (admission.reviews);
staff and the partners' managers decide: accept (a seat: `confirmed`), reject (`rejected`) or
wait-list (`waitlisted`, today's waiting list and its offers) (admission.decisions).

The functions flush; the caller commits.
"""

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from boostcamp.admission.models import Review, ReviewScore
from boostcamp.checkin.attendance import attendance_query
from boostcamp.core.errors import NotFound
from boostcamp.events.models import Admission, Event
from boostcamp.events.queries import MAX_SEARCH_WORDS, matches
from boostcamp.core.extensions import db
from boostcamp.registrations import seats, staff_list
from boostcamp.registrations.models import (
    Person,
    Profile,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
)


# The statuses of an application event's list (everyone who applied, whatever came of it).
APPLICATION_STATUSES = (
    RegistrationStatus.APPLIED, RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED,
    RegistrationStatus.WAITLISTED, RegistrationStatus.REJECTED, RegistrationStatus.CANCELLED,
)  # fmt: skip
SORTS = ("score", "date", "name", "city")


@dataclass
class Filters:
    status: RegistrationStatus | None = None
    search: str = ""  # name, e-mail, organisation, ticket (not under blind review)
    answers: str = ""  # words found in the answers to the event's questions
    profile: Profile | None = None
    has_project: bool | None = None  # an organisation or project given
    city: str = ""  # words found in the city the applicant gave, any case and accents
    sort: str = "score"  # SORTS
    blind: bool = False


def average_score() -> sa.ScalarSelect:
    """Per registration (correlated): the average of every score its reviewers gave."""
    return (
        sa.select(sa.func.avg(ReviewScore.value))
        .join(Review, Review.id == ReviewScore.review_id)
        .where(Review.registration_id == Registration.id)
        .scalar_subquery()
    )


def applications_query(event: Event, filters: Filters) -> sa.Select:
    """The event's applications for the reviewers' list, filtered and sorted; the person and
    the answers loaded with them."""
    score = average_score()
    query = (
        sa.select(Registration)
        .join(Registration.person)
        .where(Registration.event_id == event.id,
               Registration.status.in_(APPLICATION_STATUSES))
        .options(contains_eager(Registration.person), selectinload(Registration.answers))
    )  # fmt: skip
    if filters.status is not None:
        query = query.where(Registration.status == filters.status)
    if filters.profile is not None:
        query = query.where(Registration.profile == filters.profile)
    if filters.has_project is not None:
        has = Registration.organisation_name.is_not(None)
        query = query.where(has if filters.has_project else ~has)
    for word in filters.city.split()[:MAX_SEARCH_WORDS]:
        query = query.where(matches(Registration.city, word))
    if (words := filters.search.split()) and not filters.blind:
        query = query.where(staff_list.search_condition(words))
    for word in filters.answers.split():
        query = query.where(Registration.answers.any(
            sa.func.lower(sa.cast(RegistrationAnswer.value, sa.String)).contains(
                word.lower(), autoescape=True)))  # fmt: skip
    if filters.sort == "name" and not filters.blind:
        order = (Person.last_name, Person.first_name)
    elif filters.sort == "date":
        order = (Registration.created_at,)
    elif filters.sort == "city":
        order = (sa.case((Registration.city.is_(None), 1), else_=0),
                 sa.func.lower(Registration.city), Registration.created_at)  # fmt: skip
    else:
        order = (sa.case((score.is_(None), 1), else_=0), score.desc(), Registration.created_at)
    return query.order_by(*order, Registration.id)


@dataclass
class Scores:
    average: float | None  # of every score given
    spread: float | None  # highest reviewer's mean minus the lowest's
    reviewers: int
    mine: Review | None


def scores(registration_ids: Iterable[int], reviewer_id: int | None = None) -> dict[int, Scores]:
    """The score summary of each application, in two queries for a whole page."""
    ids = list(registration_ids)
    reviews = db.session.scalars(
        sa.select(Review).where(Review.registration_id.in_(ids)).order_by(Review.id)
    ).all() if ids else []  # fmt: skip
    by_registration: dict[int, list[Review]] = {i: [] for i in ids}
    for review in reviews:
        by_registration[review.registration_id].append(review)
    summary = {}
    for registration_id, found in by_registration.items():
        values = [s.value for review in found for s in review.scores]
        means = [review.mean for review in found if review.mean is not None]
        summary[registration_id] = Scores(
            average=statistics.fmean(values) if values else None,
            spread=(max(means) - min(means)) if len(means) > 1 else None,
            reviewers=len(means),
            mine=next((r for r in found if r.reviewer_id == reviewer_id), None),
        )
    return summary


def counts(event: Event) -> dict[RegistrationStatus, int]:
    found = seats.status_counts(event)
    return {status: found[status] for status in APPLICATION_STATUSES}


def free_seats(event: Event) -> int | None:
    return seats.free_seats(event, seats.status_counts(event))


def application(event: Event, registration_id: Any) -> Registration:
    """The event's application with this id, or NotFound (an id of another event's too)."""
    try:
        registration_id = int(registration_id)
    except (TypeError, ValueError):
        raise NotFound(_l("No such application.")) from None
    registration = db.session.scalar(
        sa.select(Registration)
        .where(Registration.id == registration_id, Registration.event_id == event.id,
               Registration.status.in_(APPLICATION_STATUSES))
        .options(joinedload(Registration.person), selectinload(Registration.answers))
    )  # fmt: skip
    if registration is None or event.admission != Admission.APPLICATION:
        raise NotFound(_l("No such application."))
    return registration


@dataclass
class PastEvent:
    event: Event
    status: RegistrationStatus
    attended: bool


def history(registration: Registration, visible: sa.ColumnElement[bool]) -> list[PastEvent]:
    """The person's registrations at events that started before this one, among the events
    `visible` lets through (permissions.events_filter), and whether they came."""
    attended = sa.select(attendance_query().subquery().c.registration_id)
    rows = db.session.execute(
        sa.select(Registration, Registration.id.in_(attended))
        .join(Registration.event)
        .where(Registration.person_id == registration.person_id,
               Registration.id != registration.id,
               Event.starts_at < registration.event.starts_at, visible)
        .options(contains_eager(Registration.event))
        .order_by(Event.starts_at.desc())
        .limit(50)
    ).all()  # fmt: skip
    return [PastEvent(r.event, r.status, bool(came)) for r, came in rows]
