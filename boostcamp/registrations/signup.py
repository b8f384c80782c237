"""Signing up: on the public form, through the API, at the door or by staff; and the link mailed
again to someone registered already.

The public form, the partner API, the staff pages and the door all go through these functions.
They flush; the caller commits. Mails go to the outbox in the same transaction.
"""

import enum
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager

from boostcamp.core import inputs
from boostcamp.core.texts import Localized
from boostcamp.core.db import insert_ignoring_conflicts, utcnow
from boostcamp.core.errors import Conflict, DomainError, ValidationFailed
from boostcamp.events.models import Admission, Event, EventStatus
from boostcamp.events.availability import RegistrationState, registration_state
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.registrations.models import (
    EventQuestion,
    Person,
    Profile,
    Registration,
    RegistrationAnswer,
    RegistrationSource,
    RegistrationStatus,
    normalise_email,
)
from boostcamp.registrations import consents, signals
from boostcamp.registrations.mails import mail_confirmation, mail_participant
from boostcamp.registrations.questions import clean_answer, event_questions
from boostcamp.registrations.seats import CLOSED_MESSAGES, free_seats, lock_event, status_counts
from boostcamp.registrations.tickets import data_url
from boostcamp.registrations.waiting_list import offer_next_seats


MAX_LENGTHS = {"first_name": 100, "last_name": 100, "phone": 40, "organisation_name": 200,
               "city": 100}
# An address that asks for its link again within this time gets no second mail: a visitor
# resending the form cannot flood someone's mailbox.
LINK_RESEND_INTERVAL = timedelta(minutes=10)
LOST_LINKS_MAX = 20  # the registrations of one address whose links are mailed again


class RegistrationClosed(DomainError):
    code = "registration_closed"
    status = 409


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    APPLIED = "applied"  # an application event: no seat until the organisers decide
    ALREADY_REGISTERED = "already_registered"  # nothing changed; the link was mailed again


@dataclass
class SignUp:
    """What someone gave to register: on the form, through the API or to staff."""

    email: str
    first_name: str
    last_name: str
    consent: bool
    profile: Profile | str = Profile.OTHER
    organisation_name: str | None = None
    phone: str | None = None
    consent_followup: bool = False
    city: str | None = None  # asked on applications (the jury's filter)
    answers: Mapping[int, Any] = field(default_factory=dict)  # question id → answer
    language: str = "fr"  # for the mails, when the person is new
    source: RegistrationSource = RegistrationSource.FORM
    # False when whoever registers them (a partner, staff, the door) has never had this
    # address at their events: an existing person's details are then not theirs to see, and
    # the registration keeps what they gave (Registration.given_*).
    known_to_caller: bool = True
    # Who registers them, when it is not the person: the consent record names them
    # (registrations.consents.actor_label), the notice mailed to the person too (actor_display).
    asserted_by: str | None = None
    registered_by: str | None = None


@dataclass(frozen=True)
class SignUpResult:
    outcome: Outcome
    registration: Registration
    position: int | None = None  # on the waiting list


def find_or_create_person(
    email: str, *, first_name: str, last_name: str, phone: str | None = None,
    language: str = "fr",
) -> Person:  # fmt: skip
    """The person with this e-mail (any case), or a new one with these details.

    An existing person is returned unchanged: whoever fills in a form with someone's
    address must not rename them, change their phone or the language of their mails."""
    return _find_or_create_person(email, first_name=first_name, last_name=last_name,
                                  phone=phone, language=language)[0]  # fmt: skip


def _find_or_create_person(
    email: str, *, first_name: str, last_name: str, phone: str | None, language: str
) -> tuple[Person, bool]:
    """(person, created). One INSERT … ON CONFLICT DO NOTHING: two first sign-ups with the
    same new address may race (for two different events their locks do not serialise
    them), and the loser reads the winner's row instead of failing."""
    email = normalise_email(email)
    person = db.session.scalar(_new_person_statement(db.session.get_bind().dialect.name), {
        "email": email,
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "phone": (phone or "").strip() or None,
        "language": language if language in current_app.config["LANGUAGES"] else "fr",
    })  # fmt: skip
    if person is not None:
        return person, True
    return db.session.scalar(_PERSON_BY_EMAIL, {"email": email}), False


# The sign-up's statements are built once per process: building one costs about as much
# as sending it (SQLAlchemy's coercions), and the sign-up sends nine (bench/signup.py).
@functools.cache
def _new_person_statement(dialect: str):
    names = ("email", "first_name", "last_name", "phone", "language")
    return (insert_ignoring_conflicts(Person, ["email"], dialect)
            .values({name: sa.bindparam(name) for name in names}).returning(Person))  # fmt: skip


_PERSON_BY_EMAIL = sa.select(Person).where(Person.email == sa.bindparam("email"))


def register(
    event: Event,
    sign_up: SignUp,
    *,
    now: datetime | None = None,
    questions: list[EventQuestion] | None = None,
    alone: bool = True,
    mail: bool = True,
) -> SignUpResult:
    """Sign someone up: a seat while any is left, else the waiting list; on an event with
    admission by application, an application (`applied`, no seat). The same person
    (same e-mail) twice gets no second registration: their manage link is mailed again.
    Someone who had cancelled may come back: their registration is used again, at the end
    of the queue. Raises ValidationFailed (fields of SignUp; "answers.<question id>") and
    RegistrationClosed. `questions`: the event's, if the caller has loaded them already.
    `alone`: False when a programme's sign-up registers them (sign_up_alone_refusal).
    `mail`: False when the caller mails the seat itself (a programme's one mail).

    Call it before writing anything else in the transaction (see lock_event)."""
    now = now or utcnow()
    questions = event_questions(event) if questions is None else questions
    answers = clean(sign_up, questions)
    lock_event(event)
    state = registration_state(event, now)
    if state != RegistrationState.OPEN:
        raise RegistrationClosed(CLOSED_MESSAGES[state])
    refusal = sign_up_alone_refusal(event, sign_up.source) if alone else None
    if refusal:
        raise RegistrationClosed(refusal)
    person, new_person = _find_or_create_person(
        sign_up.email,
        first_name=sign_up.first_name,
        last_name=sign_up.last_name,
        phone=sign_up.phone,
        language=sign_up.language,
    )
    # Someone who did not exist a moment ago has no registration (we hold the event's lock).
    registration = None if new_person else db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event.id, Registration.person_id == person.id
        )
    )  # fmt: skip
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return _already_registered(registration, now)

    counts = status_counts(event)
    free = free_seats(event, counts)
    applying = event.admission == Admission.APPLICATION
    waiting = counts[RegistrationStatus.WAITLISTED]
    if free and not applying and waiting and offer_next_seats(event, now):
        counts = status_counts(event)  # seats that waited for an offer went to the queue first
        free = free_seats(event, counts)
    status = RegistrationStatus.CONFIRMED if free is None or free > 0 else RegistrationStatus.WAITLISTED
    if applying:
        status = RegistrationStatus.APPLIED  # applications are not limited by the seats
    details = dict(
        status=status,
        profile=Profile(sign_up.profile),
        organisation_name=(sign_up.organisation_name or "").strip() or None,
        city=" ".join((sign_up.city or "").split()) or None,
        consent_at=now,
        consent_followup=bool(sign_up.consent_followup),
        source=sign_up.source,
        **_given_details(sign_up, new_person),
    )
    if registration is None:
        # The event's lock makes this the only sign-up of this person for this event; the
        # unique (event, person) constraint stands behind it.
        registration = Registration(event=event, person=person, **details)
        registration.answers = [
            RegistrationAnswer(question_id=qid, value=value) for qid, value in answers.items()
        ]
        db.session.add(registration)
    else:
        for name, value in details.items():
            setattr(registration, name, value)
        # The waiting list follows created_at: coming back puts you at the end of it.
        registration.created_at = utcnow()
        registration.cancelled_at = registration.cancel_reason = None
        registration.offered_at = registration.offer_expires_at = None
        registration.answers.clear()
        db.session.flush()
        registration.answers.extend(
            RegistrationAnswer(question_id=qid, value=value) for qid, value in answers.items()
        )
    _consent_given(registration, sign_up, sign_up.source, now, mail)
    if status == RegistrationStatus.CONFIRMED:
        if mail:
            mail_confirmation(registration)
        result = SignUpResult(Outcome.CONFIRMED, registration)
    elif status == RegistrationStatus.APPLIED:
        mail_participant(registration, "application_received",
              _l("Your application for %(title)s", title=Localized(event, "title")))  # fmt: skip
        result = SignUpResult(Outcome.APPLIED, registration)
    else:
        position = counts[RegistrationStatus.WAITLISTED] + 1
        mail_participant(registration, "registration_waitlisted",
              _l("You are on the waiting list for %(title)s", title=Localized(event, "title")),
              position=position)  # fmt: skip
        result = SignUpResult(Outcome.WAITLISTED, registration, position)
    db.session.flush()  # the registration, its answers and its mail in one go: the lock is held
    return result


def sign_up_alone_refusal(event: Event, source: RegistrationSource = RegistrationSource.FORM
                          ) -> str | None:  # fmt: skip
    """Why the public form or the API may not sign someone up for this event on its own
    (a programme keeps it for its own sign-up), or None. Staff and the door may."""
    if source not in (RegistrationSource.FORM, RegistrationSource.API):
        return None
    return next((str(r) for _, r in signals.sign_up_alone.send(event) if r), None)


def _consent_given(registration: Registration, sign_up: SignUp, source: RegistrationSource,
                   now: datetime, mail: bool = True) -> None:
    """The consent records of a new registration; registered by someone else (a partner,
    staff, the door), the person is told by mail who did, with their links."""
    consents.record_sign_up(registration, followup=bool(sign_up.consent_followup),
                            source=source, asserted_by=sign_up.asserted_by, now=now)
    if source != RegistrationSource.FORM and mail:
        db.session.flush()  # the registration's id, for the link to the data page
        mail_participant(registration, "registration_notice",
              _l("You have been registered for %(title)s",
                 title=Localized(registration.event, "title")),
              registered_by=sign_up.registered_by, data_url=data_url(registration))


def _given_details(sign_up: SignUp, new_person: bool) -> dict:
    if new_person or sign_up.known_to_caller:
        return dict(given_first_name=None, given_last_name=None, given_phone=None)
    return dict(
        given_first_name=sign_up.first_name.strip(),
        given_last_name=sign_up.last_name.strip(),
        given_phone=(sign_up.phone or "").strip() or None,
    )


def register_walk_in(event: Event, sign_up: SignUp, *, now: datetime | None = None) -> Registration:
    """Someone registers at the door: confirmed even when the event is full or registration
    has closed (they are here), source WALK_IN, with the usual confirmation mail (their
    link). Someone registered already keeps their registration, given a seat if they were
    waiting or offered one. Raises ValidationFailed, and Conflict unless the event is on."""
    now = now or utcnow()
    questions = event_questions(event)
    # The event's required questions are not asked at the door: the person is here, and a
    # walk-in kept offline on a device must not be refused when it reaches the server.
    answers = clean(sign_up, questions, answers_required=False)
    lock_event(event)
    if event.status != EventStatus.PUBLISHED:
        raise Conflict(CLOSED_MESSAGES[RegistrationState.CANCELLED])
    person, new_person = _find_or_create_person(
        sign_up.email, first_name=sign_up.first_name, last_name=sign_up.last_name,
        phone=sign_up.phone, language=sign_up.language,
    )  # fmt: skip
    registration = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event.id, Registration.person_id == person.id
        )
    )
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        return registration
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        registration.status = RegistrationStatus.CONFIRMED  # was waiting: they are here
        registration.offered_at = registration.offer_expires_at = None
        db.session.flush()
        mail_confirmation(registration)
        return registration
    details = dict(
        status=RegistrationStatus.CONFIRMED,
        profile=Profile(sign_up.profile),
        organisation_name=(sign_up.organisation_name or "").strip() or None,
        consent_at=now,
        consent_followup=bool(sign_up.consent_followup),
        source=RegistrationSource.WALK_IN,
        cancelled_at=None,
        cancel_reason=None,
        **_given_details(sign_up, new_person),
    )
    if registration is None:
        registration = Registration(event_id=event.id, person_id=person.id, answers=[], **details)
        db.session.add(registration)
    else:
        for name, value in details.items():
            setattr(registration, name, value)
        registration.answers.clear()
    db.session.flush()
    registration.answers.extend(
        RegistrationAnswer(question_id=qid, value=value) for qid, value in answers.items()
    )
    _consent_given(registration, sign_up, RegistrationSource.WALK_IN, now)
    db.session.flush()
    mail_confirmation(registration)
    return registration


def _already_registered(registration: Registration, now: datetime) -> SignUpResult:
    _mail_link_again(registration, now)
    return SignUpResult(Outcome.ALREADY_REGISTERED, registration)


def _mail_link_again(registration: Registration, now: datetime) -> None:
    """The self-service link by mail again, at most once per LINK_RESEND_INTERVAL."""
    recently_sent = db.session.scalar(
        sa.select(OutboxMessage.id).where(
            OutboxMessage.registration_id == registration.id,
            OutboxMessage.kind == "registration_link",
            OutboxMessage.created_at > now - LINK_RESEND_INTERVAL,
        ).limit(1)
    )
    if recently_sent is None:
        mail_participant(registration, "registration_link", _l(
            "Your registration for %(title)s", title=Localized(registration.event, "title")))


def send_links_again(email: str, now: datetime | None = None) -> int:
    """For a lost or broken link: mail again the links of this address's registrations to
    events not over yet. The caller answers the same whether or not the address is known;
    returns how many mails were considered (for tests and logs)."""
    now = now or utcnow()
    registrations = db.session.scalars(
        sa.select(Registration)
        .join(Person, Person.id == Registration.person_id)
        .join(Event, Event.id == Registration.event_id)
        .where(Person.email == normalise_email(email), Event.ends_at > now,
               Event.status != EventStatus.DRAFT)  # fmt: skip
        .options(contains_eager(Registration.event), contains_eager(Registration.person))
        .order_by(Event.starts_at)
        .limit(LOST_LINKS_MAX)
    ).all()
    for registration in registrations:
        _mail_link_again(registration, now)
    return len(registrations)


def clean(
    sign_up: SignUp, questions: list[EventQuestion], *, answers_required: bool = True
) -> dict[int, Any]:
    """Every rule on what was given, all errors at once; returns the answers to keep.
    `answers_required=False`: a required question may be left unanswered."""
    errors: dict[str, Any] = {}
    email = (sign_up.email or "").strip()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        errors["email"] = _l("Give a valid e-mail address.")
    if len(email) > 254:
        errors["email"] = _l("At most %(n)d characters.", n=254)
    for name, message in (("first_name", _l("Give your first name.")),
                          ("last_name", _l("Give your last name."))):  # fmt: skip
        if not (getattr(sign_up, name) or "").strip():
            errors[name] = message
    for name, limit in MAX_LENGTHS.items():
        if len((getattr(sign_up, name) or "").strip()) > limit:
            errors[name] = _l("At most %(n)d characters.", n=limit)
    if sign_up.city and inputs.bad_text(sign_up.city):
        errors["city"] = inputs.CONTROL_MESSAGE
    if not sign_up.consent:
        errors["consent"] = _l("Please accept the privacy notice to register.")
    if not inputs.is_choice(Profile, sign_up.profile):
        errors["profile"] = _l("Choose what describes you best.")

    answers: dict[int, Any] = {}
    known = {q.id for q in questions}
    if set(sign_up.answers) - known:
        errors["answers"] = _l("An answer does not belong to a question of this event.")
    for question in questions:
        value, message = clean_answer(question, sign_up.answers.get(question.id), answers_required)
        if message:
            errors[f"answers.{question.id}"] = message
        elif value is not None:
            answers[question.id] = value
    if errors:
        raise ValidationFailed(errors)
    return answers
