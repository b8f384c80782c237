"""One sign-up for all the events of a programme, leaving it, and its mails.

One sign-up for a programme is all or nothing: under the lock of every event of it (taken in
the order of their ids, so that two sign-ups never wait for each other), each event must
have a seat for the person; then they are registered for each through the same service as
the public form (registrations.signup.register), in the same transaction. If one event is
full, they are registered for none and join the programme's waiting list instead.
"""

import dataclasses
import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from boostcamp.audit import services as audit
from boostcamp.core.texts import Localized
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict
from boostcamp.events.models import Admission, Event, EventStatus
from boostcamp.events.availability import HOLDING, RegistrationState, registration_state
from boostcamp.core.extensions import db
from boostcamp.programmes.catalogue import PAGE_LOAD
from boostcamp.programmes.models import Programme, ProgrammeRegistration
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status
from boostcamp.programmes import questions as programme_questions
from boostcamp.registrations import seats, signup, waiting_list
from boostcamp.registrations.models import (
    EventQuestion,
    Person,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from boostcamp.registrations.signup import RegistrationClosed, SignUp
from boostcamp.registrations.waiting_list import CancelReason
from boostcamp.programmes.mails import mail_programme


CLOSED_MESSAGES = {
    "draft": _l("This programme is not open for registration."),
    "cancelled": _l("This programme has been cancelled."),
    "started": _l("This programme has started: registration for it is closed."),
    "empty": _l("This programme has no events yet."),
    "applications": _l("An event of this programme now takes applications: the programme "
                       "takes no sign-up. Apply on the event's own page."),
}


def signup_state(programme: Programme, now: datetime | None = None) -> str | None:
    """None when people may sign up now, else the reason (a key of CLOSED_MESSAGES)."""
    now = now or utcnow()
    if programme.status == EventStatus.CANCELLED:
        return "cancelled"
    if programme.status != EventStatus.PUBLISHED:
        return "draft"
    events = programme.events
    if not events:
        return "empty"
    if events[0].starts_at <= now:
        return "started"
    if any(e.admission == Admission.APPLICATION for e in events):
        return "applications"  # changed on the event after it joined the programme
    return None


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    ALREADY_REGISTERED = "already_registered"


@dataclass(frozen=True)
class ProgrammeSignUpResult:
    outcome: Outcome
    programme_registration: ProgrammeRegistration
    registrations: list[Registration]
    full: list[Event]  # the events that had no seat (waiting list)


def sign_up(programme: Programme, sign_up: SignUp, *, now: datetime | None = None,
            waitlist: bool = True, questions: list[EventQuestion] | None = None,
            answers_required: bool = True, promoted: bool = False,
            actor: audit.Actor | None = None) -> ProgrammeSignUpResult:  # fmt: skip
    """Register someone for every event of the programme, or (one event full) for none of
    them: they join the programme's waiting list. Raises ValidationFailed (the fields of
    SignUp, "answers.<question id>" for the events' questions) and RegistrationClosed.
    `questions`: the events' (questions.questions_of), if the caller has loaded them.
    `promoted`: seats freed for someone on the programme's waiting list (waiting.py).
    `actor`: who does it, for the audit of a seat given from an event's waiting list (the
    person through the form, the staff, an API token, the programme's waiting list).

    Call it before writing anything else in the transaction (seats.lock_event)."""
    now = now or utcnow()
    questions = programme_questions.questions_of(programme) if questions is None else questions
    answers = signup.clean(sign_up, questions, answers_required=answers_required)
    closed = signup_state(programme, now)
    if closed:
        raise RegistrationClosed(CLOSED_MESSAGES[closed])
    events = sorted(programme.events, key=lambda e: e.id)
    for event in events:  # always in this order: two sign-ups never wait for each other
        seats.lock_event(event)
    for event in events:
        state = registration_state(event, now)
        if state != RegistrationState.OPEN:
            raise RegistrationClosed(_l("Registration for “%(title)s” is not open.",
                                        title=Localized(event, "title")))  # fmt: skip
    person = signup.find_or_create_person(
        sign_up.email, first_name=sign_up.first_name, last_name=sign_up.last_name,
        phone=sign_up.phone, language=sign_up.language,
    )  # fmt: skip
    existing = {
        r.event_id: r
        for r in db.session.scalars(
            sa.select(Registration).where(
                Registration.person_id == person.id,
                Registration.event_id.in_([e.id for e in events]),
            )
        )
    }
    entry = db.session.scalar(
        sa.select(ProgrammeRegistration).where(
            ProgrammeRegistration.programme_id == programme.id,
            ProgrammeRegistration.person_id == person.id,
        )
    )
    if entry is not None and entry.status == Status.CONFIRMED:
        held = [existing[e.id] for e in events if e.id in existing]
        return ProgrammeSignUpResult(Outcome.ALREADY_REGISTERED, entry, held, [])
    full = [e for e in events if not _holds(existing.get(e.id)) and not _has_seat(e, now)]
    if entry is None:
        entry = ProgrammeRegistration(programme=programme, person=person, status=Status.WAITLISTED)
        db.session.add(entry)
    entry.cancelled_at = None
    entry.details = {"profile": str(sign_up.profile),
                     "organisation_name": sign_up.organisation_name,
                     "consent_followup": bool(sign_up.consent_followup),
                     "source": sign_up.source.value,
                     # who asserted the consent (a partner's token): the seats given later
                     # from the waiting list record it as given then
                     "asserted_by": sign_up.asserted_by, "registered_by": sign_up.registered_by,
                     "answers": programme_questions.stored(answers)}  # fmt: skip
    if full and not waitlist:
        titles = ", ".join(str(Localized(e, "title")) for e in full)  # the reader's language
        raise Conflict(_l("Still full: %(titles)s.", titles=titles))
    if full:
        if entry.status != Status.WAITLISTED or entry.id is None:
            entry.created_at = now  # the end of the queue
        entry.status = Status.WAITLISTED
        db.session.flush()
        mail_programme(entry, "programme_waitlisted",
              _l("You are on the waiting list for %(title)s", title=Localized(programme, "title")),
              full_event_ids=[e.id for e in sorted(full, key=lambda e: e.starts_at)])  # fmt: skip
        db.session.flush()
        return ProgrammeSignUpResult(Outcome.WAITLISTED, entry, [], full)
    entry.status = Status.CONFIRMED
    taken = [_take_seat(event, existing.get(event.id),
                        _for_event(sign_up, questions, answers, event.id), now, actor)
             for event in sorted(events, key=lambda e: (e.starts_at, e.id))]  # fmt: skip
    db.session.flush()
    # One mail with every event's ticket and invitation, none of the events' own.
    seats_mail = dict(seats=taken, notice=sign_up.source != RegistrationSource.FORM,
                      registered_by=sign_up.registered_by)  # fmt: skip
    if promoted:
        mail_programme(entry, "programme_promoted", _l(
            "A seat at every event: you are registered for %(title)s",
            title=Localized(programme, "title")), **seats_mail)  # fmt: skip
    else:
        mail_programme(entry, "programme_confirmed",
                       _l("Registered: %(title)s", title=Localized(programme, "title")),
                       **seats_mail)  # fmt: skip
    db.session.flush()
    return ProgrammeSignUpResult(Outcome.CONFIRMED, entry, taken, [])


def _holds(registration: Registration | None) -> bool:
    return registration is not None and registration.status in HOLDING


def _has_seat(event: Event, now: datetime) -> bool:
    """Under the event's lock: a seat is free for a newcomer (people waiting for the event
    are offered the free seats first, as the public form does)."""
    counts = seats.status_counts(event)
    free = seats.free_seats(event, counts)
    if free and counts[RegistrationStatus.WAITLISTED] and waiting_list.offer_next_seats(event, now):
        free = seats.free_seats(event, seats.status_counts(event))
    return free is None or free > 0


def _for_event(sign_up: SignUp, questions: list[EventQuestion], answers: dict[int, Any],
               event_id: int) -> tuple[SignUp, list[EventQuestion]]:  # fmt: skip
    asked, given = programme_questions.for_event(questions, answers, event_id)
    return dataclasses.replace(sign_up, answers=given), asked


def _take_seat(event: Event, registration: Registration | None,
               details: tuple[SignUp, list[EventQuestion]],
               now: datetime, actor: audit.Actor | None) -> Registration:  # fmt: skip
    sign_up, questions = details
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        return registration
    if registration is not None and registration.status == RegistrationStatus.OFFERED:
        waiting_list.accept_offer(registration, now=now, mail=False)
        return registration
    if registration is not None and registration.status == RegistrationStatus.WAITLISTED:
        # the seat was checked under the lock
        waiting_list.confirm_from_waiting_list(registration, now=now, actor=actor, mail=False)
        return registration
    result = signup.register(event, sign_up, now=now, questions=questions, alone=False,
                             mail=False)
    if result.outcome != signup.Outcome.CONFIRMED:  # cannot happen under the locks
        raise Conflict(_l("“%(title)s” is full.", title=Localized(event, "title")))
    return result.registration


def give_seats(entry: ProgrammeRegistration, *, now: datetime | None = None,
               actor: audit.Actor | None = None) -> None:  # fmt: skip
    """Staff give someone on the programme's waiting list a seat at each of its events, once
    each has one free (Conflict naming the events still full, and nothing changes). They
    consented when they signed up; the programme's one mail follows, with every ticket."""
    if entry.status != Status.WAITLISTED:
        raise Conflict(_l("Only someone on the programme's waiting list can be given seats."))
    sign_up(entry.programme, given_before(entry, RegistrationSource.STAFF), now=now,
            waitlist=False, answers_required=False, actor=actor)


def given_before(entry: ProgrammeRegistration, source: RegistrationSource | None = None) -> SignUp:
    """What the person gave when they joined the waiting list, to register them with it
    (a question added since is left unanswered). They consented then."""
    person, given = entry.person, entry.details or {}
    try:
        source = source or RegistrationSource(given.get("source"))
    except ValueError:
        source = RegistrationSource.FORM
    return SignUp(
        email=person.email, first_name=person.first_name, last_name=person.last_name,
        consent=True, language=person.language, source=source,
        profile=given.get("profile") or "other", organisation_name=given.get("organisation_name"),
        consent_followup=bool(given.get("consent_followup")),
        answers=programme_questions.loaded(given.get("answers")),
        asserted_by=given.get("asserted_by"), registered_by=given.get("registered_by"),
    )  # fmt: skip


def cancel(entry: ProgrammeRegistration, *, reason: CancelReason = CancelReason.SELF,
           now: datetime | None = None,
           actor: audit.Actor | None = None) -> list[Registration]:  # fmt: skip
    """Leave the programme (or its waiting list): the person's registrations for its events
    still to come are cancelled with it (and their seats offered to the next people
    waiting); those of events that have begun stay. Returns the registrations cancelled."""
    now = now or utcnow()
    if entry.status == Status.CANCELLED:
        return []
    events = sorted(entry.programme.events, key=lambda e: e.id)
    for event in events:  # all of them, in the sign-up's order: the waiting list moves next
        seats.lock_event(event)
    cancelled = []
    for registration in db.session.scalars(
        sa.select(Registration)
        .where(Registration.person_id == entry.person_id,
               Registration.event_id.in_([e.id for e in events if e.starts_at > now]),
               Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Registration.event_id)
        .options(joinedload(Registration.event), joinedload(Registration.person))
    ).all():  # fmt: skip
        waiting_list.cancel_registration(registration, reason=reason, now=now, actor=actor)
        cancelled.append(registration)
    entry.status = Status.CANCELLED
    entry.cancelled_at = now
    db.session.flush()
    from boostcamp.programmes import waiting  # it builds on this module

    waiting.promote(entry.programme, now)
    return cancelled


def may_cancel(entry: ProgrammeRegistration, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return entry.status != Status.CANCELLED and any(
        e.starts_at > now for e in entry.programme.events
    )


def entries_of(person: Person) -> list[ProgrammeRegistration]:
    """The person's programmes (not cancelled), with their events loaded."""
    return list(db.session.scalars(
        sa.select(ProgrammeRegistration)
        .where(ProgrammeRegistration.person_id == person.id,
               ProgrammeRegistration.status != Status.CANCELLED)
        .options(joinedload(ProgrammeRegistration.programme).options(*PAGE_LOAD))
        .order_by(ProgrammeRegistration.id)
    ).unique())  # fmt: skip
