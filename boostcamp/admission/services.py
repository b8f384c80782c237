"""Admission by application: reviewing, scoring and deciding on the applications to an event.

An application is a registration with the status `applied`, made by the usual sign-up
(registrations.services.register) on an event whose admission is `application`; it holds
no seat. Reviewers score it on the event's criteria (1–5 each) with a note; staff and the
partners' managers decide: accept (a seat: `confirmed`), reject (`rejected`) or wait-list
(`waitlisted`, today's waiting list and its offers).

Seats: deciding takes the event's lock (registrations.services.lock_event) and counts the
free seats under it, like a sign-up: two staff members accepting at once never give more
seats than the capacity, unless one of them ticks "over capacity" (written to the history).
A bulk decision is all or nothing.

The functions flush; the caller commits. Decision mails go to the outbox in the same
transaction, or wait (ApplicationDecision.mailed_at None) until staff send them all.
"""

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from boostcamp.admission.models import (
    SCORE_MAX,
    SCORE_MIN,
    ApplicationDecision,
    Decision,
    Review,
    ReviewCriterion,
    ReviewScore,
    ReviewSettings,
)
from boostcamp.audit import services as audit
from boostcamp.checkin.attendance import attendance_query
from boostcamp.core import inputs
from boostcamp.db import utcnow
from boostcamp.errors import Conflict, NotFound, ValidationFailed
from boostcamp.events.models import Admission, Event, EventStatus
from boostcamp.events.queries import MAX_SEARCH_WORDS, matches
from boostcamp.extensions import db
from boostcamp.mail.services import queue_mail_later
from boostcamp.registrations import services as registrations
from boostcamp.registrations import signals as registration_signals
from boostcamp.registrations.models import (
    Person,
    Profile,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
)

CRITERIA_MAX = 10
CRITERION_MAX_LENGTH = 100  # ReviewCriterion.label
NOTE_MAX_LENGTH = 2000  # Review.note
MESSAGE_MAX_LENGTH = 2000  # ApplicationDecision.message
DEFAULT_CRITERIA = (_l("Project"), _l("Motivation"), _l("Availability"))
# Whom a decision may concern: an application not decided yet, or decided otherwise.
DECIDABLE = (RegistrationStatus.APPLIED, RegistrationStatus.WAITLISTED, RegistrationStatus.REJECTED)
# The statuses of an application event's list (everyone who applied, whatever came of it).
APPLICATION_STATUSES = (
    RegistrationStatus.APPLIED, RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED,
    RegistrationStatus.WAITLISTED, RegistrationStatus.REJECTED, RegistrationStatus.CANCELLED,
)  # fmt: skip
NEW_STATUS = {
    Decision.ACCEPT: RegistrationStatus.CONFIRMED,
    Decision.REJECT: RegistrationStatus.REJECTED,
    Decision.WAITLIST: RegistrationStatus.WAITLISTED,
}
SORTS = ("score", "date", "name", "city")


class CapacityFull(Conflict):
    """Accepting would give more seats than the event has."""

    code = "capacity"


# ---------------------------------------------------------------- settings and criteria


def settings_for(event: Event) -> ReviewSettings:
    """The event's review settings (defaults when none were saved; not added then)."""
    return db.session.get(ReviewSettings, event.id) or ReviewSettings(
        event_id=event.id, blind_review=False, hold_decisions=False
    )


def criteria(event: Event) -> list[ReviewCriterion]:
    return list(db.session.scalars(
        sa.select(ReviewCriterion)
        .where(ReviewCriterion.event_id == event.id)
        .order_by(ReviewCriterion.position, ReviewCriterion.id)
    ))  # fmt: skip


def save_settings(
    event: Event, *, labels: Sequence[str], blind_review: bool, hold_decisions: bool,
    actor: audit.Actor | None = None,
) -> None:
    """The criteria (one label each, in this order; a criterion kept by its label keeps its
    scores, one left out loses them), blind review and held decision mails. Raises
    ValidationFailed ("criteria")."""
    cleaned = list(dict.fromkeys(" ".join(label.split()) for label in labels if label.strip()))
    errors: dict[str, Any] = {}
    if not cleaned:
        errors["criteria"] = _l("Give at least one criterion, one per line.")
    elif len(cleaned) > CRITERIA_MAX:
        errors["criteria"] = _l("At most %(n)d criteria.", n=CRITERIA_MAX)
    elif any(len(label) > CRITERION_MAX_LENGTH for label in cleaned):
        errors["criteria"] = _l("At most %(n)d characters.", n=CRITERION_MAX_LENGTH)
    elif any(inputs.bad_text(label) for label in cleaned):
        errors["criteria"] = inputs.CONTROL_MESSAGE
    if errors:
        raise ValidationFailed(errors)
    existing = {c.label: c for c in criteria(event)}
    for label, criterion in existing.items():
        if label not in cleaned:
            db.session.delete(criterion)
    for position, label in enumerate(cleaned, 1):
        criterion = existing.get(label) or ReviewCriterion(event_id=event.id, label=label)
        criterion.position = position
        db.session.add(criterion)
    settings = db.session.get(ReviewSettings, event.id) or ReviewSettings(event_id=event.id)
    settings.blind_review, settings.hold_decisions = bool(blind_review), bool(hold_decisions)
    db.session.add(settings)
    audit.record("review_settings_changed", event=event, actor=audit.Actor.of(actor=actor), changes={
        "criteria": [sorted(existing), cleaned], "blind_review": [None, bool(blind_review)],
        "hold_decisions": [None, bool(hold_decisions)],
    })  # fmt: skip
    db.session.flush()


def ensure_criteria(event: Event) -> list[ReviewCriterion]:
    """The event's criteria; the default ones (project, motivation, availability, in the
    event's language) the first time, so that reviewers can score before staff have chosen."""
    found = criteria(event)
    if found:
        return found
    with force_locale(event.language):  # the event's, whoever opens it first
        labels = [str(label) for label in DEFAULT_CRITERIA]
    for position, label in enumerate(labels, 1):
        db.session.add(ReviewCriterion(event_id=event.id, label=label, position=position))
    db.session.flush()
    return criteria(event)


# ---------------------------------------------------------------- the list


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
        query = query.where(registrations.search_condition(words))
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
    found = registrations.status_counts(event)
    return {status: found[status] for status in APPLICATION_STATUSES}


def free_seats(event: Event) -> int | None:
    return registrations.free_seats(event, registrations.status_counts(event))


# ---------------------------------------------------------------- one application


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


def reviews_of(registration: Registration) -> list[Review]:
    """Every reviewer's scores and note on the application, the earliest first."""
    return list(db.session.scalars(
        sa.select(Review).where(Review.registration_id == registration.id).order_by(Review.id)
    ))  # fmt: skip


def save_review(
    registration: Registration, reviewer, *, values: Mapping[Any, Any], note: str | None
) -> Review:
    """The reviewer's scores (criterion id → 1…5, every criterion) and note on this
    application, replacing their earlier ones. Raises ValidationFailed ("score.<criterion
    id>", "note")."""
    found = criteria(registration.event)
    errors: dict[str, Any] = {}
    cleaned: dict[int, int] = {}
    given = {str(k): v for k, v in values.items()}
    for criterion in found:
        value = given.get(str(criterion.id))
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if isinstance(value, bool) or number is None or str(value).strip() != str(number):
            errors[f"score.{criterion.id}"] = _l("Give a score from %(low)d to %(high)d.",
                                                 low=SCORE_MIN, high=SCORE_MAX)  # fmt: skip
        elif not SCORE_MIN <= number <= SCORE_MAX:
            errors[f"score.{criterion.id}"] = _l("Give a score from %(low)d to %(high)d.",
                                                 low=SCORE_MIN, high=SCORE_MAX)  # fmt: skip
        else:
            cleaned[criterion.id] = number
    if set(given) - {str(c.id) for c in found}:
        errors["score"] = _l("A score does not belong to a criterion of this event.")
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _l("At most %(n)d characters.", n=NOTE_MAX_LENGTH)
    elif note and inputs.bad_text(note, multiline=True):
        errors["note"] = inputs.CONTROL_MESSAGE
    if not found:
        errors["score"] = _l("This event has no criteria to score yet.")
    if errors:
        raise ValidationFailed(errors)
    review = db.session.scalar(
        sa.select(Review).where(Review.registration_id == registration.id,
                                Review.reviewer_id == reviewer.id)
    ) or Review(registration_id=registration.id, reviewer_id=reviewer.id)  # fmt: skip
    review.note = note
    review.updated_at = utcnow()
    review.scores = [ReviewScore(criterion_id=cid, value=v) for cid, v in cleaned.items()]
    db.session.add(review)
    db.session.flush()
    return review


# ---------------------------------------------------------------- deciding


def decide(
    registration: Registration,
    decision: Decision | str,
    *,
    message: str | None = None,
    over_capacity: bool = False,
    user=None,
    api_token=None,
    now: datetime | None = None,
) -> Registration:
    """One decision; see decide_many."""
    decide_many(registration.event, [registration.id], decision, message=message,
                over_capacity=over_capacity, user=user, api_token=api_token, now=now)  # fmt: skip
    return registration


def decide_many(
    event: Event,
    registration_ids: Iterable[Any],
    decision: Decision | str,
    *,
    message: str | None = None,
    over_capacity: bool = False,
    user=None,
    api_token=None,
    now: datetime | None = None,
) -> list[Registration]:
    """Accept, reject or wait-list these applications of the event, all or none. Accepting
    gives seats while the event has them, beyond only with `over_capacity` (noted in the
    history). Raises ValidationFailed (decision, message, applications), NotFound (an id
    that is no application of this event), Conflict (withdrawn, already admitted, the
    event cancelled or over) and CapacityFull. A decision equal to the present status
    changes nothing."""
    now = now or utcnow()
    errors: dict[str, Any] = {}
    try:
        decision = Decision(decision)
    except ValueError:
        errors["decision"] = _l("Choose accept, reject or wait-list.")
    message = (message or "").strip() or None
    if message and len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = _l("At most %(n)d characters.", n=MESSAGE_MAX_LENGTH)
    elif message and inputs.bad_text(message, multiline=True):
        errors["message"] = inputs.CONTROL_MESSAGE
    ids = set()
    for value in registration_ids:
        try:
            ids.add(int(value))
        except (TypeError, ValueError):
            raise NotFound(_l("No such application.")) from None
    if not ids:
        errors["applications"] = _l("Choose at least one application.")
    if errors:
        raise ValidationFailed(errors)

    registrations.lock_event(event)
    if event.admission != Admission.APPLICATION:
        raise NotFound(_l("No such application."))
    if event.status != EventStatus.PUBLISHED or event.ends_at <= now:
        raise Conflict(_l("This event is cancelled or over: there is nothing to decide."))
    chosen = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.id.in_(ids))
        .options(joinedload(Registration.person))
        .order_by(Registration.id)
        .execution_options(populate_existing=True)
    ).all()  # fmt: skip
    if len(chosen) != len(ids) or any(r.status not in APPLICATION_STATUSES for r in chosen):
        raise NotFound(_l("No such application."))
    target = NEW_STATUS[decision]
    for registration in chosen:
        if registration.status == RegistrationStatus.CANCELLED:
            raise Conflict(_l("%(name)s has withdrawn: there is nothing to decide.",
                              name=registration.full_name), field="applications")  # fmt: skip
        if registration.status != target and registration.status not in DECIDABLE:
            raise Conflict(_l("%(name)s is admitted already: cancel the registration instead.",
                              name=registration.full_name), field="applications")  # fmt: skip
    changing = [r for r in chosen if r.status != target]
    free = free_seats(event)
    beyond = decision == Decision.ACCEPT and free is not None and len(changing) > free
    if beyond and not over_capacity:
        raise CapacityFull(_l(
            "%(free)d seats are free for %(n)d people: nothing was decided. Tick “over "
            "capacity” to accept them anyway.", free=free, n=len(changing)), field="capacity")
    held = settings_for(event).hold_decisions
    for registration in changing:
        registration.status = target
        registration.offered_at = registration.offer_expires_at = None
        record = ApplicationDecision(
            registration_id=registration.id, decision=decision, decided_at=now,
            message=message if decision == Decision.REJECT else None,
            over_capacity=bool(beyond), decided_by_id=getattr(user, "id", None),
        )  # fmt: skip
        db.session.add(record)
        if not held:
            _mail_decision(registration, record)
            record.mailed_at = now
    db.session.flush()
    if changing:
        audit.record("applications_decided", event=event, actor=audit.Actor.of(user, api_token),
                     changes={"decision": [None, decision.value], "applications": [
                         None, [r.id for r in changing]], "over_capacity": [None, bool(beyond)],
                         "held": [None, held]})  # fmt: skip
    return list(chosen)


def top_applications(event: Event, n: int) -> list[int]:
    """The ids of the n best-scored applications not decided yet (unscored last, then the
    earliest)."""
    score = average_score()
    return list(db.session.scalars(
        sa.select(Registration.id)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.APPLIED)
        .order_by(sa.case((score.is_(None), 1), else_=0), score.desc(),
                  Registration.created_at, Registration.id)
        .limit(n)
    ))  # fmt: skip


def accept_top(event: Event, n: Any, *, over_capacity: bool = False, user=None,
               now: datetime | None = None) -> list[Registration]:  # fmt: skip
    """Accept the n best-scored applications not decided yet, all or none (decide_many)."""
    try:
        n = int(n)
    except (TypeError, ValueError):
        n = 0
    if not 1 <= n <= inputs.INTEGER_MAX:
        raise ValidationFailed({"n": _l("Give a number of people, at least 1.")})
    ids = top_applications(event, n)
    if not ids:
        raise ValidationFailed({"n": _l("No application waits for a decision.")})
    return decide_many(event, ids, Decision.ACCEPT, over_capacity=over_capacity, user=user,
                       now=now)  # fmt: skip


def held_decisions(event: Event) -> int:
    """How many people have a decision not mailed yet."""
    return db.session.scalar(
        sa.select(sa.func.count(sa.distinct(ApplicationDecision.registration_id)))
        .join(Registration, Registration.id == ApplicationDecision.registration_id)
        .where(Registration.event_id == event.id, ApplicationDecision.mailed_at.is_(None))
    )  # fmt: skip


def send_held_decisions(event: Event, *, now: datetime | None = None,
                        actor: audit.Actor | None = None) -> int:  # fmt: skip
    """Mail every decision held back, the latest one per person; returns how many mails."""
    now = now or utcnow()
    registrations.lock_event(event)
    held = db.session.scalars(
        sa.select(ApplicationDecision)
        .join(Registration, Registration.id == ApplicationDecision.registration_id)
        .where(Registration.event_id == event.id, ApplicationDecision.mailed_at.is_(None))
        .order_by(ApplicationDecision.registration_id, ApplicationDecision.decided_at,
                  ApplicationDecision.id)
    ).all()  # fmt: skip
    latest = {record.registration_id: record for record in held}
    people = {r.id: r for r in db.session.scalars(
        sa.select(Registration).where(Registration.id.in_(latest))
        .options(joinedload(Registration.person))
    )}  # fmt: skip
    sent = 0
    for registration_id, record in latest.items():
        registration = people[registration_id]
        if registration.status == NEW_STATUS[record.decision]:  # not withdrawn since
            _mail_decision(registration, record)
            sent += 1
    for record in held:
        record.mailed_at = now
    if held:
        audit.record("decisions_sent", event=event, changes={"mails": [None, sent]},
                     actor=audit.Actor.of(actor=actor))
    db.session.flush()
    return sent


def pending_decision(registration: Registration) -> bool:
    """Whether the person's decision waits to be mailed: their page still says "applied"."""
    return bool(db.session.scalar(
        sa.select(sa.exists().where(ApplicationDecision.registration_id == registration.id,
                                    ApplicationDecision.mailed_at.is_(None)))
    ))  # fmt: skip


def _mail_decision(registration: Registration, record: ApplicationDecision) -> None:
    title = registration.event.title
    if record.decision == Decision.ACCEPT:
        registrations.mail_confirmation(registration)
    elif record.decision == Decision.REJECT:
        _mail(registration, "application_rejected",
              _l("Your application for %(title)s", title=title), message=record.message)
    else:
        _mail(registration, "registration_waitlisted",
              _l("You are on the waiting list for %(title)s", title=title),
              position=registrations.waiting_position(registration))


def _mail(registration: Registration, kind: str, subject: Any, **context: Any) -> None:
    """A mail to the person about their application, in their language, written by the
    registrations' composer (their link and the event in its context)."""
    person = registration.person
    queue_mail_later(
        kind, composer="registration",
        params={"calendar": None, "ticket": False, "context": context},
        to=person.email, to_name=person.full_name, subject=subject, language=person.language,
        event=registration.event, person=person, registration=registration,
    )  # fmt: skip


# ---------------------------------------------------------------- the applicant's own page


def update_answers(registration: Registration, answers: Mapping[int, Any],
                   now: datetime | None = None) -> None:  # fmt: skip
    """The applicant changes their answers until applications close, while not decided.
    Raises Conflict after that, ValidationFailed ("answers.<question id>")."""
    from boostcamp.events.services import RegistrationState, registration_state

    event, person = registration.event, registration.person
    if registration.status != RegistrationStatus.APPLIED or registration_state(
        event, now or utcnow()
    ) != RegistrationState.OPEN:
        raise Conflict(_l("Applications are closed: your answers can no longer be changed."))
    questions = registrations.event_questions(event)
    cleaned = registrations._clean(registrations.SignUp(
        email=person.email, consent=True, first_name=person.first_name,
        last_name=person.last_name, profile=registration.profile, answers=answers,
    ), questions)  # fmt: skip
    registration.answers.clear()
    db.session.flush()
    registration.answers.extend(
        RegistrationAnswer(question_id=qid, value=value) for qid, value in cleaned.items()
    )
    registration.updated_at = utcnow()
    db.session.flush()


def may_edit(registration: Registration, now: datetime | None = None) -> bool:
    from boostcamp.events.services import RegistrationState, registration_state

    state = registration_state(registration.event, now or utcnow())
    return registration.status == RegistrationStatus.APPLIED and state == RegistrationState.OPEN


@registration_signals.self_service_page.connect  # the person's page asks
def self_service(registration: Registration, now: datetime | None = None) -> dict[str, bool]:
    """What the person's own page shows of their application: whether the decision is
    still held (the page says "applied") and whether they may change their answers."""
    if registration.event.admission != Admission.APPLICATION:
        return {"application_pending": False, "may_edit_answers": False}
    return {"application_pending": pending_decision(registration),
            "may_edit_answers": may_edit(registration, now)}  # fmt: skip
