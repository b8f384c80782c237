"""Registrations: signing up, seats and the waiting list, self-service, the participant's mails.

The public form, the partner API, the staff pages and the worker's jobs all go through these
functions. They flush; the caller commits (the jobs in jobs.py commit their own work). Mails
go to the outbox in the same transaction, so a rolled-back change mails nobody.

Seats: a confirmed registration or an open offer holds one (HOLDING). Every
change to who holds a seat happens under the event's lock (`lock_event`): lock, count,
write, in one transaction, so two people can never take the last seat together.

The waiting list is ordered by registration time (created_at, then id). When a seat frees
up, the first person waiting is offered it for WAITLIST_OFFER_HOURS, the offer ending at the
latest WAITLIST_OFFER_ENDS_BEFORE_START_HOURS before the event; when less than
WAITLIST_OFFER_MIN_HOURS would be left, nobody can be asked in time, so no offer is made and
the seat goes to whoever signs up first.
"""

import enum
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import segno
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from boostcamp.audit import services as audit
from boostcamp.core import inputs
from boostcamp.core.text import fold
from boostcamp.core.texts import Localized
from boostcamp.db import insert_ignoring_conflicts, lock_row, utcnow
from boostcamp.errors import Conflict, DomainError, ValidationFailed
from boostcamp.events.models import Admission, Event, EventStatus
from boostcamp.events.queries import matches
from boostcamp.events import signals as event_signals
from boostcamp.events.services import RegistrationState, registration_state
from boostcamp.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.services import Attachment, Composed, composer, queue_mail_later
from boostcamp.registrations.models import (
    HOLDING,
    EventQuestion,
    Person,
    Profile,
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationSource,
    RegistrationStatus,
    normalise_email,
)
from boostcamp.registrations import consents, signals
from boostcamp.registrations.tokens import make_token

MAX_LENGTHS = {"first_name": 100, "last_name": 100, "phone": 40, "organisation_name": 200,
               "city": 100}
ANSWER_MAX_LENGTHS = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 5000}
NOTE_MAX_LENGTH = 500  # Registration.note
# An address that asks for its link again within this time gets no second mail: a visitor
# resending the form cannot flood someone's mailbox.
LINK_RESEND_INTERVAL = timedelta(minutes=10)

CLOSED_MESSAGES = {
    RegistrationState.NOT_YET_OPEN: _l("Registration for this event is not open yet."),
    RegistrationState.CLOSED: _l("Registration for this event is closed."),
    RegistrationState.CANCELLED: _l("This event has been cancelled."),
}


class RegistrationClosed(DomainError):
    code = "registration_closed"


class OfferExpired(Conflict):
    code = "offer_expired"


class Outcome(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    APPLIED = "applied"  # an application event: no seat until the organisers decide
    ALREADY_REGISTERED = "already_registered"  # nothing changed; the link was mailed again


class CancelReason(enum.StrEnum):
    SELF = "self"  # the participant cancelled, or left the waiting list
    OFFER_DECLINED = "offer_declined"
    OFFER_EXPIRED = "offer_expired"
    STAFF = "staff"


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


# ---------------------------------------------------------------- queries


def event_questions(event: Event, *, for_reviewers: bool = True) -> list[EventQuestion]:
    """The event's questions in order; without those for reviewers only when `for_reviewers`
    is False (the registrations list, its exports, the API's documents)."""
    query = (
        sa.select(EventQuestion)
        .where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.position, EventQuestion.id)
    )
    if not for_reviewers:
        query = query.where(EventQuestion.for_reviewers.is_(False))
    return list(db.session.scalars(query))


def status_counts(event: Event) -> Counter:
    """Registrations per status, in one query."""
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    )
    return Counter(dict(rows.all()))


def free_seats(event: Event, counts: Counter) -> int | None:
    """Seats nobody holds; None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - sum(counts[s] for s in HOLDING), 0)


def waiting_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count()).where(
            Registration.event_id == registration.event_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            sa.or_(
                Registration.created_at < registration.created_at,
                sa.and_(
                    Registration.created_at == registration.created_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return ahead + 1


def offer_is_open(registration: Registration, now: datetime | None = None) -> bool:
    return (
        registration.status == RegistrationStatus.OFFERED
        and registration.offer_expires_at is not None
        and registration.offer_expires_at > (now or utcnow())
        and registration.event.status == EventStatus.PUBLISHED
    )


def may_cancel(registration: Registration, now: datetime | None = None) -> bool:
    """Participants may cancel (or leave the waiting list) until the event starts."""
    return (
        registration.status not in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED)
        and registration.event.status == EventStatus.PUBLISHED
        and registration.event.starts_at > (now or utcnow())
    )


def manage_url(registration: Registration) -> str:
    """The absolute self-service link that every mail carries."""
    return url_for("registrations.manage", token=make_token(registration.id), _external=True)


def offer_expiry(event: Event, now: datetime) -> datetime | None:
    """Until when a seat offered now is held; None when it is too late to offer one."""
    config = current_app.config
    latest = event.starts_at - timedelta(hours=config["WAITLIST_OFFER_ENDS_BEFORE_START_HOURS"])
    expires = min(now + timedelta(hours=config["WAITLIST_OFFER_HOURS"]), latest)
    if expires - now < timedelta(hours=config["WAITLIST_OFFER_MIN_HOURS"]):
        return None
    return expires


# ---------------------------------------------------------------- the event's lock


def lock_event(event: Event) -> None:
    """Hold the event's row until the transaction ends: whoever changes its seats waits here.

    PostgreSQL: SELECT … FOR UPDATE, which also reloads the event (capacity may have
    changed). SQLite has one writer at a time, and the app begins its transactions with a
    plain deferred BEGIN; a transaction that has only read cannot always become the writer
    (under WAL, once someone else has written since its first read, SQLite refuses at once
    with "database is locked", without waiting). So the lock is a harmless write, taken
    with the busy timeout; if the caller had read (a view loads the event first), that
    read-only transaction is rolled back and the lock becomes the first statement of a new
    one, so everything read afterwards is current. The refusal can only happen to a
    transaction that has not written yet, so nothing the caller did is lost.
    """
    lock_row(Event, event.id)




# ---------------------------------------------------------------- sign-up


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
    person = db.session.scalar(
        insert_ignoring_conflicts(Person, ["email"])
        .values(
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            phone=(phone or "").strip() or None,
            language=language if language in current_app.config["LANGUAGES"] else "fr",
        )
        .returning(Person)
    )
    if person is not None:
        return person, True
    return db.session.scalar(sa.select(Person).where(Person.email == email)), False


def register(
    event: Event,
    sign_up: SignUp,
    *,
    now: datetime | None = None,
    questions: list[EventQuestion] | None = None,
    alone: bool = True,
) -> SignUpResult:
    """Sign someone up: a seat while any is left, else the waiting list; on an event with
    admission by application, an application (`applied`, no seat). The same person
    (same e-mail) twice gets no second registration: their manage link is mailed again.
    Someone who had cancelled may come back: their registration is used again, at the end
    of the queue. Raises ValidationFailed (fields of SignUp; "answers.<question id>") and
    RegistrationClosed. `questions`: the event's, if the caller has loaded them already.
    `alone`: False when a programme's sign-up registers them (sign_up_alone_refusal).

    Call it before writing anything else in the transaction (see lock_event)."""
    now = now or utcnow()
    questions = event_questions(event) if questions is None else questions
    answers = _clean(sign_up, questions)
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
    _consent_given(registration, sign_up, sign_up.source, now)
    if status == RegistrationStatus.CONFIRMED:
        mail_confirmation(registration)
        result = SignUpResult(Outcome.CONFIRMED, registration)
    elif status == RegistrationStatus.APPLIED:
        _mail(registration, "application_received",
              _l("Your application for %(title)s", title=event.title))  # fmt: skip
        result = SignUpResult(Outcome.APPLIED, registration)
    else:
        position = counts[RegistrationStatus.WAITLISTED] + 1
        _mail(registration, "registration_waitlisted",
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
                   now: datetime) -> None:
    """The consent records of a new registration; registered by someone else (a partner,
    staff, the door), the person is told by mail who did, with their links."""
    consents.record_sign_up(registration, followup=bool(sign_up.consent_followup),
                            source=source, asserted_by=sign_up.asserted_by, now=now)
    if source != RegistrationSource.FORM:
        db.session.flush()  # the registration's id, for the link to the data page
        _mail(registration, "registration_notice",
              _l("You have been registered for %(title)s", title=registration.event.title),
              registered_by=sign_up.registered_by, data_url=data_url(registration))


def data_url(registration: Registration) -> str:
    """The person's "My data" page (boostcamp.privacy), reached with their registration's link."""
    return url_for("privacy.my_data", token=make_token(registration.id), _external=True)


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
    answers = _clean(sign_up, questions, answers_required=False)
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
        _mail(registration, "registration_link", _l(
            "Your registration for %(title)s", title=Localized(registration.event, "title")))


LOST_LINKS_MAX = 20  # the registrations of one address whose links are mailed again


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


def _clean(
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
    try:
        Profile(sign_up.profile)
    except ValueError:
        errors["profile"] = _l("Choose what describes you best.")

    answers: dict[int, Any] = {}
    known = {q.id for q in questions}
    if set(sign_up.answers) - known:
        errors["answers"] = _l("An answer does not belong to a question of this event.")
    for question in questions:
        value, message = _answer(question, sign_up.answers.get(question.id), answers_required)
        if message:
            errors[f"answers.{question.id}"] = message
        elif value is not None:
            answers[question.id] = value
    if errors:
        raise ValidationFailed(errors)
    return answers


def _answer(question: EventQuestion, value: Any, required: bool = True) -> tuple[Any, Any]:
    """(the answer as stored, or None when there is none; an error message or None)."""
    if isinstance(value, str):
        value = value.strip()
    if question.kind == QuestionKind.MULTIPLE_CHOICE and value is not None:
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list | tuple) or not all(v in question.choices for v in value):
            return None, _l("Choose among the answers offered.")
        value = [choice for choice in question.choices if choice in value]  # in their order
    if question.kind == QuestionKind.YES_NO and isinstance(value, str) and value:
        value = {"yes": True, "no": False, "true": True, "false": False}.get(value.lower(), value)
    if value in (None, "", []):
        return None, (_l("Please answer this question.") if question.required and required else None)
    if question.kind in ANSWER_MAX_LENGTHS:
        if not isinstance(value, str):
            return None, _l("Please answer this question.")
        limit = ANSWER_MAX_LENGTHS[question.kind]
        if len(value) > limit:
            return None, _l("At most %(n)d characters.", n=limit)
        if inputs.bad_text(value, multiline=question.kind == QuestionKind.LONG_TEXT):
            return None, inputs.CONTROL_MESSAGE
    elif question.kind == QuestionKind.SINGLE_CHOICE and value not in question.choices:
        return None, _l("Choose among the answers offered.")
    elif question.kind == QuestionKind.YES_NO and not isinstance(value, bool):
        return None, _l("Answer yes or no.")
    return value, None


# ---------------------------------------------------------------- staff's corrections


@dataclass
class PersonDetails:
    """A person's own details: the same in every registration of theirs."""

    first_name: str
    last_name: str
    phone: str | None = None


@dataclass
class RegistrationChanges:
    """What staff correct on a registration."""

    profile: Profile | str
    organisation_name: str | None = None
    note: str | None = None  # for the door: shown on the check-in card
    answers: Mapping[int, Any] = field(default_factory=dict)  # question id → answer
    person: PersonDetails | None = None  # None: the person's details stay as they are


def update_registration(
    registration: Registration,
    changes: RegistrationChanges,
    *,
    questions: list[EventQuestion] | None = None,
    actor: audit.Actor | None = None,
) -> list[str]:
    """Staff correct a registration; the sign-up's rules apply, except that a required
    question may stay unanswered (staff may not know). Returns what changed, by field name,
    and notes it in the event's history (names of fields, not their values). Raises
    ValidationFailed (fields of RegistrationChanges, "answers.<question id>")."""
    event, person = registration.event, registration.person
    questions = event_questions(event) if questions is None else questions
    details = changes.person or PersonDetails(person.first_name, person.last_name, person.phone)
    note = (changes.note or "").strip() or None
    errors: dict[str, Any] = {}
    try:
        answers = _clean(SignUp(
            email=person.email, consent=True, first_name=details.first_name,
            last_name=details.last_name, phone=details.phone, profile=changes.profile,
            organisation_name=changes.organisation_name, answers=changes.answers,
        ), questions, answers_required=False)  # fmt: skip
    except ValidationFailed as e:
        errors.update(e.errors)
    if note is not None and len(note) > NOTE_MAX_LENGTH:
        errors["note"] = _l("At most %(n)d characters.", n=NOTE_MAX_LENGTH)
    if errors:
        raise ValidationFailed(errors)

    wanted = {
        "profile": Profile(changes.profile),
        "organisation_name": (changes.organisation_name or "").strip() or None,
        "note": note,
    }
    changed = [name for name, value in wanted.items() if getattr(registration, name) != value]
    for name in changed:
        setattr(registration, name, wanted[name])
    if {a.question_id: a.value for a in registration.answers} != answers:
        changed.append("answers")
        registration.updated_at = utcnow()  # the door's devices fetch what changed since
        registration.answers.clear()
        db.session.flush()  # the old answers go before the new (one answer per question)
        registration.answers.extend(
            RegistrationAnswer(question_id=qid, value=value) for qid, value in answers.items()
        )
    if changes.person is not None:
        wanted_person = {
            "first_name": details.first_name.strip(),
            "last_name": details.last_name.strip(),
            "phone": (details.phone or "").strip() or None,
        }
        for name, value in wanted_person.items():
            if getattr(person, name) != value:
                setattr(person, name, value)
                changed.append(name)
    if changed:
        audit.record("registration_changed", event=event, actor=audit.Actor.of(actor=actor), changes={
            "person": [None, person.full_name], "fields": [None, changed]})  # fmt: skip
    db.session.flush()
    return changed


# ---------------------------------------------------------------- the waiting list


def offer_next_seats(event: Event, now: datetime | None = None) -> list[Registration]:
    """Offer the seats nobody holds to the first people waiting, each by mail. Called
    wherever a seat frees up (a cancellation, an expired or declined offer, a larger
    capacity); returns the new offers."""
    now = now or utcnow()
    lock_event(event)
    if event.status != EventStatus.PUBLISHED or event.starts_at <= now:
        return []
    expires = offer_expiry(event, now)
    if expires is None:
        return []
    free = free_seats(event, status_counts(event))
    if free == 0:
        return []
    waiting = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
        .limit(free)
        .options(joinedload(Registration.person))
    ).all()  # fmt: skip
    for registration in waiting:
        registration.status = RegistrationStatus.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = expires
    db.session.flush()
    for registration in waiting:
        _mail(registration, "registration_offer",
              _l("A seat is free for you at %(title)s",
                 title=Localized(event, "title")))  # fmt: skip
    return list(waiting)


def accept_offer(registration: Registration, *, now: datetime | None = None) -> None:
    """The seat offered becomes theirs. Raises OfferExpired once the offer has ended, even
    before the worker has passed it on, and Conflict when there is no offer."""
    now = now or utcnow()
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CONFIRMED:
        return  # accepted already (a second click)
    if registration.status != RegistrationStatus.OFFERED:
        raise Conflict(_l("There is no seat offered to you for this event."))
    if not offer_is_open(registration, now):
        raise OfferExpired(_l("This offer has expired: the seat goes to the next person waiting."))
    registration.status = RegistrationStatus.CONFIRMED
    db.session.flush()
    mail_confirmation(registration)


def cancel_registration(
    registration: Registration,
    *,
    reason: CancelReason = CancelReason.SELF,
    now: datetime | None = None,
    actor: audit.Actor | None = None,
) -> list[Registration]:
    """Cancel a registration, leave the waiting list, or decline an offer: a seat it held
    is freed at once and offered to the next person waiting (the offers are returned).
    Cancelling twice changes nothing. Participants may do it until the event starts."""
    now = now or utcnow()
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    if reason in (CancelReason.SELF, CancelReason.OFFER_DECLINED) and not may_cancel(
        registration, now
    ):
        raise Conflict(_l("This registration can no longer be cancelled."))
    was = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = reason.value
    if reason == CancelReason.STAFF:  # the person's own, or the clock's, are theirs
        audit.record("registration_cancelled", event=registration.event,
                     actor=audit.Actor.of(actor=actor), changes={
                         "registration": [None, registration.id], "status": [was.value, "cancelled"]})  # fmt: skip
    db.session.flush()
    if reason == CancelReason.OFFER_EXPIRED:
        if registration.event.status == EventStatus.PUBLISHED:
            _mail(registration, "registration_offer_expired",
                  _l("The seat offered at %(title)s has gone",
                     title=Localized(registration.event, "title")))  # fmt: skip
    else:
        _mail(registration, "registration_cancelled",
              _l("Cancelled: %(title)s", title=Localized(registration.event, "title")),
              was=was.value,
              calendar="CANCEL" if was == RegistrationStatus.CONFIRMED else None)  # fmt: skip
    if was in HOLDING:
        return offer_next_seats(registration.event, now)
    return []


def expire_offers(event: Event, now: datetime | None = None) -> list[Registration]:
    """Offers of this event that have run out: cancelled, each told by mail, and their
    seats offered to the next people waiting. Returns the expired registrations."""
    now = now or utcnow()
    lock_event(event)
    expired = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.OFFERED,
               Registration.offer_expires_at <= now)
        .order_by(Registration.offer_expires_at, Registration.id)
        .options(joinedload(Registration.person))
    ).all()  # fmt: skip
    for registration in expired:
        cancel_registration(registration, reason=CancelReason.OFFER_EXPIRED, now=now)
    return list(expired)


# ---------------------------------------------------------------- organisers' changes


def registered(event: Event) -> list[Registration]:
    """Everyone who still counts on the event: confirmed, offered a seat, waiting or
    applying."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.event_id == event.id,
                   Registration.status.not_in((RegistrationStatus.CANCELLED,
                                               RegistrationStatus.REJECTED)))
            .order_by(Registration.id)
            .options(joinedload(Registration.person))
        )
    )  # fmt: skip


def notify_event_changed(event: Event) -> None:
    """The organisers moved the event (time or place): everyone registered is told, and
    confirmed people get the updated invitation for their calendar."""
    for registration in registered(event):
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        _mail(registration, "event_changed",
              _l("Changed: %(title)s", title=Localized(event, "title")),
              calendar="REQUEST" if confirmed else None)  # fmt: skip


@event_signals.event_cancelled.connect
def notify_event_cancelled(event: Event) -> None:
    """The organisers cancelled the event: everyone registered is told, and the event
    leaves the calendars of confirmed people."""
    for registration in registered(event):
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        _mail(registration, "event_cancelled",
              _l("Event cancelled: %(title)s", title=Localized(event, "title")),
              calendar="CANCEL" if confirmed else None)  # fmt: skip


@event_signals.event_updated.connect
def event_updated(event: Event, *, moved: bool, capacity_changed: bool) -> None:
    """When an event changed (events.services.update_event): a new time or place is mailed to
    everyone registered; seats added are offered to the people waiting."""
    if moved and event.status == EventStatus.PUBLISHED:
        notify_event_changed(event)
    if capacity_changed:
        offer_next_seats(event)


def send_reminders(event: Event) -> int:
    """The reminder before the event, to each confirmed person; returns how many."""
    confirmed = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.CONFIRMED,
               Registration.person.has(Person.reminders_opt_out_at.is_(None)))
        .order_by(Registration.id)
        .options(joinedload(Registration.person))
    ).all()  # fmt: skip
    for registration in confirmed:
        _mail(registration, "registration_reminder",
              _l("Reminder: %(title)s", title=Localized(event, "title")))  # fmt: skip
    return len(confirmed)


# ---------------------------------------------------------------- the event's questions

QUESTION_MAX_LENGTHS = {"label": 300, "help_text": 500}
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def save_question(
    event: Event,
    question: EventQuestion | None = None,
    *,
    label: str,
    kind: QuestionKind | str,
    help_text: str | None = None,
    choices: Iterable[str] = (),
    required: bool = False,
    show_at_checkin: bool = False,
    for_reviewers: bool = False,
) -> EventQuestion:
    """Add a question at the end of the event's form, or change one. Choices only for the
    choice kinds (blank lines and repeats dropped). Answers already given are kept as they
    were, even if their choice is renamed. A question for reviewers only needs an event by
    application and is never shown at the door."""
    errors: dict[str, Any] = {}
    if for_reviewers and event.admission != Admission.APPLICATION:
        errors["for_reviewers"] = _l("Only an event that takes applications has reviewers: "
                                     "choose admission by application on the event’s form first.")
    elif for_reviewers and show_at_checkin:
        errors["show_at_checkin"] = _l("An answer for reviewers only is not shown at the door.")
    label, help_text = (label or "").strip(), (help_text or "").strip() or None
    if not label:
        errors["label"] = _l("Write the question.")
    for name, value in (("label", label), ("help_text", help_text)):
        if value and len(value) > QUESTION_MAX_LENGTHS[name]:
            errors[name] = _l("At most %(n)d characters.", n=QUESTION_MAX_LENGTHS[name])
    try:
        kind = QuestionKind(kind)
    except ValueError:
        errors["kind"] = _l("Choose a kind of answer.")
    cleaned = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if kind in CHOICE_KINDS and len(cleaned) < 2:
        errors["choices"] = _l("Give at least two answers to choose from, one per line.")
    if errors:
        raise ValidationFailed(errors)
    if question is None:
        last = db.session.scalar(
            sa.select(sa.func.max(EventQuestion.position)).where(EventQuestion.event_id == event.id)
        )
        question = EventQuestion(event_id=event.id, position=(last or 0) + 1)
        db.session.add(question)
    question.label, question.help_text, question.kind = label, help_text, kind
    question.choices = cleaned if kind in CHOICE_KINDS else []
    question.required, question.show_at_checkin = bool(required), bool(show_at_checkin)
    question.for_reviewers = bool(for_reviewers)
    db.session.flush()
    return question


def answer_count(question: EventQuestion) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(RegistrationAnswer.question_id == question.id)
    )


def delete_question(question: EventQuestion) -> None:
    """The question goes, and every answer given to it with it."""
    db.session.execute(
        sa.delete(RegistrationAnswer).where(RegistrationAnswer.question_id == question.id)
    )
    db.session.delete(question)
    db.session.flush()


def move_question(event: Event, question: EventQuestion, step: int) -> None:
    """One place up (step=-1) or down (+1) on the form; positions renumbered 1, 2, 3 …"""
    questions = event_questions(event)
    at = questions.index(question)
    to = min(max(at + step, 0), len(questions) - 1)
    questions.insert(to, questions.pop(at))
    for n, q in enumerate(questions, 1):
        q.position = n
    db.session.flush()


# ---------------------------------------------------------------- the staff's list


def registrations_query(
    event: Event, *, search: str = "", status: RegistrationStatus | None = None
) -> sa.Select:
    """The event's registrations in the order they came, for the staff's list and exports.
    `search`: see search_condition."""
    query = (
        sa.select(Registration)
        .join(Registration.person)
        .where(Registration.event_id == event.id)
        .order_by(Registration.created_at, Registration.id)
        .options(contains_eager(Registration.person), selectinload(Registration.answers))
    )
    if status is not None:
        query = query.where(Registration.status == status)
    if words := search.split():
        query = query.where(search_condition(words))
    return query


def search_condition(words: Sequence[str]) -> sa.ColumnElement[bool]:
    """Every word in the name, e-mail, organisation or ticket code, whatever the case and
    accents ("LÉA" finds Léa on SQLite too). Reads Registration.search_text (one folded
    column), or for a row without it (inserted in bulk), the columns themselves.
    The query must join Person."""
    text = (
        Person.first_name + " " + Person.last_name + " " + Person.email + " "
        + sa.func.coalesce(Registration.organisation_name, "") + " " + Registration.ticket_code
    )  # fmt: skip
    return sa.and_(*(
        sa.or_(Registration.search_text.contains(fold(word), autoescape=True),
               sa.and_(Registration.search_text.is_(None), matches(text, word)))
        for word in words
    ))  # fmt: skip


def waiting_positions(event: Event) -> dict[int, int]:
    """Registration id → place on the waiting list (1 first), in one query for a whole page."""
    ids = db.session.scalars(
        sa.select(Registration.id)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    )  # fmt: skip
    return {registration_id: n for n, registration_id in enumerate(ids, 1)}


def confirm_from_waiting_list(registration: Registration, *, now: datetime | None = None,
                              actor: audit.Actor | None = None) -> bool:  # fmt: skip
    """Staff give a seat to someone waiting (or offered one), whatever the order of the
    list and even over capacity: organisers sometimes make room. The person gets the usual
    confirmation. Returns True when the event now holds more people than its capacity."""
    now = now or utcnow()
    lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status not in (RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED):
        raise Conflict(_l("Only someone on the waiting list can be given a seat."))
    if registration.event.status != EventStatus.PUBLISHED:
        raise Conflict(CLOSED_MESSAGES[RegistrationState.CANCELLED])
    was = registration.status
    registration.status = RegistrationStatus.CONFIRMED
    registration.offered_at = registration.offer_expires_at = None
    db.session.flush()
    mail_confirmation(registration)
    capacity = registration.event.capacity
    counts = status_counts(registration.event)
    over = capacity is not None and sum(counts[s] for s in HOLDING) > capacity
    audit.record("seat_given", event=registration.event, actor=audit.Actor.of(actor=actor),
                 changes={"registration": [None, registration.id],
                          "status": [was.value, "confirmed"], "over_capacity": [None, over]})  # fmt: skip
    return over


MESSAGE_SUBJECT_MAX = 150
MESSAGE_TEXT_MAX = 10000


def message_registered(
    event: Event, *, subject: str, text: str, statuses: Iterable[RegistrationStatus | str],
    actor: audit.Actor | None = None,
) -> int:
    """The organisers write to everyone registered with one of these statuses: one mail
    each, with their own registration link, and a line in the event's history. Returns
    how many people it went to."""
    subject, text = " ".join((subject or "").split()), (text or "").strip()
    errors: dict[str, Any] = {}
    try:
        chosen = sorted({RegistrationStatus(s) for s in statuses} - {RegistrationStatus.CANCELLED})
    except ValueError:
        chosen = []
    if not chosen:
        errors["statuses"] = _l("Choose who receives the message.")
    if not subject:
        errors["subject"] = _l("Write a subject.")
    elif len(subject) > MESSAGE_SUBJECT_MAX:
        errors["subject"] = _l("At most %(n)d characters.", n=MESSAGE_SUBJECT_MAX)
    if not text:
        errors["text"] = _l("Write the message.")
    elif len(text) > MESSAGE_TEXT_MAX:
        errors["text"] = _l("At most %(n)d characters.", n=MESSAGE_TEXT_MAX)
    if errors:
        raise ValidationFailed(errors)
    recipients = db.session.scalars(
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(chosen))
        .order_by(Registration.id)
        .options(joinedload(Registration.person))
    ).all()
    for registration in recipients:
        _mail(registration, "organiser_message", subject, text=text)
    audit.record("message_sent", event=event, actor=audit.Actor.of(actor=actor), changes={
        "subject": subject, "statuses": [s.value for s in chosen], "recipients": len(recipients),
    })  # fmt: skip
    return len(recipients)


# ---------------------------------------------------------------- mails


def mail_confirmation(registration: Registration) -> None:
    """The confirmation with the ticket: the calendar invitation and the QR code attached."""
    _mail(registration, "registration_confirmed",
          _l("Your seat at %(title)s is confirmed", title=Localized(registration.event, "title")),
          calendar="REQUEST", ticket=True)  # fmt: skip


def ticket_qr(ticket_code: str) -> segno.QRCode:
    """A full QR code, never a Micro QR (which segno.make picks for a short code): phone
    cameras, BarcodeDetector and jsQR read only full QR codes."""
    return segno.make_qr(ticket_code, error="m")


def ticket_png(ticket_code: str) -> bytes:
    buffer = io.BytesIO()
    ticket_qr(ticket_code).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def ticket_svg(ticket_code: str) -> bytes:
    buffer = io.BytesIO()
    ticket_qr(ticket_code).save(buffer, kind="svg", scale=6, border=4, xmldecl=False)
    return buffer.getvalue()


def _calendar(registration: Registration, method: str) -> list[Attachment]:
    """The event as one invitation (the whole programme), written by the calendar domain."""
    answers = signals.calendar_invitation.send(registration, method=method)
    return [Attachment(*answer) for _, answer in answers if answer]


def _mail(
    registration: Registration,
    kind: str,
    subject: Any,
    calendar: str | None = None,
    ticket: bool = False,
    **context: Any,
) -> OutboxMessage:
    """Queue a mail to the registered person; the worker writes it (_compose) when it
    sends. `calendar`: attach the event as an invitation (REQUEST) or its removal (CANCEL);
    `ticket`: attach the QR ticket. `context` goes to the templates: JSON values only."""
    person, event = registration.person, registration.event
    return queue_mail_later(
        kind,
        composer="registration",
        params={"calendar": calendar, "ticket": ticket, "context": context},
        to=person.email,
        to_name=person.full_name,
        subject=subject,
        language=person.language,
        event=event,
        person=person,
        registration=registration,
    )


@composer("registration")
def _compose(message: OutboxMessage, params: dict[str, Any]) -> Composed:
    registration = message.registration
    if registration is None:
        raise LookupError("the registration this mail is about no longer exists")
    event = registration.event
    attachments = _calendar(registration, params["calendar"]) if params.get("calendar") else []
    if params.get("ticket"):
        attachments.append(Attachment(f"ticket-{registration.ticket_code}.png", "image/png",
                                      ticket_png(registration.ticket_code)))  # fmt: skip
    context = {
        "person": registration.person,
        "event": event,
        "registration": registration,
        "manage_url": manage_url(registration),
        "event_url": url_for("events.show_event", slug=event.slug, _external=True),
        # The HTML shows the attached QR code inline (the worker gives it this Content-ID).
        "ticket_cid": f"ticket-{registration.ticket_code}.png" if params.get("ticket") else None,
        **params.get("context", {}),
    }
    return Composed(context, attachments)


@event_signals.event_duplicated.connect
def copy_questions(event: Event, *, copy: Event) -> None:
    """The sign-up form's own questions come with the next edition (answers do not)."""
    questions = db.session.scalars(
        sa.select(EventQuestion)
        .where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.position, EventQuestion.id)
    )
    db.session.add_all(
        EventQuestion(event_id=copy.id, position=q.position, label=q.label, help_text=q.help_text,
                      kind=q.kind, choices=list(q.choices or []), required=q.required,
                      show_at_checkin=q.show_at_checkin, for_reviewers=q.for_reviewers)
        for q in questions
    )  # fmt: skip
    db.session.flush()
