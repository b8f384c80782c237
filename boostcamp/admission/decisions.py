"""Deciding on applications: accept (a seat), reject or wait-list, one or many at once, and the
decision mails, sent at once or held until staff send them all.

Seats: deciding takes the event's lock (registrations.seats.lock_event) and counts the
free seats under it, like a sign-up: two staff members accepting at once never give more
seats than the capacity, unless one of them ticks "over capacity" (written to the history).
A bulk decision is all or nothing.

The functions flush; the caller commits. Decision mails go to the outbox in the same
transaction, or wait (ApplicationDecision.mailed_at None) until staff send them all.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from boostcamp.admission.applications import APPLICATION_STATUSES, average_score, free_seats
from boostcamp.admission.models import ApplicationDecision, Decision
from boostcamp.admission.review_settings import settings_for
from boostcamp.audit import services as audit
from boostcamp.core import inputs
from boostcamp.core.texts import Localized
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, NotFound, ValidationFailed
from boostcamp.events.models import Admission, Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.mail.services import queue_mail_later
from boostcamp.registrations import mails, seats, waiting_list
from boostcamp.registrations.models import Registration, RegistrationStatus


MESSAGE_MAX_LENGTH = 2000  # ApplicationDecision.message
# Whom a decision may concern: an application not decided yet, or decided otherwise.
DECIDABLE = (RegistrationStatus.APPLIED, RegistrationStatus.WAITLISTED, RegistrationStatus.REJECTED)
NEW_STATUS = {
    Decision.ACCEPT: RegistrationStatus.CONFIRMED,
    Decision.REJECT: RegistrationStatus.REJECTED,
    Decision.WAITLIST: RegistrationStatus.WAITLISTED,
}


class CapacityFull(Conflict):
    """Accepting would give more seats than the event has."""

    code = "capacity"


def decide(registration: Registration, decision: Decision | str, **options: Any) -> Registration:
    """One decision; `options` are decide_many's keywords, passed on as they are."""
    decide_many(registration.event, [registration.id], decision, **options)
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
    message, problem = inputs.free_text(message, MESSAGE_MAX_LENGTH)
    if problem:
        errors["message"] = problem
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

    seats.lock_event(event)
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
    seats.lock_event(event)
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
    title = Localized(registration.event, "title")  # in the recipient's language
    if record.decision == Decision.ACCEPT:
        mails.mail_confirmation(registration)
    elif record.decision == Decision.REJECT:
        _mail(registration, "application_rejected",
              _l("Your application for %(title)s", title=title), message=record.message)
    else:
        _mail(registration, "registration_waitlisted",
              _l("You are on the waiting list for %(title)s", title=title),
              position=waiting_list.waiting_position(registration))


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
