"""Programmes: their events and organisers, one sign-up for all their events, progress.

Views, the partner API and the demo data go through these functions. They flush; the
caller commits.

One sign-up for a programme is all or nothing: under the lock of every event of it (taken in
the order of their ids, so that two sign-ups never wait for each other), each event must
have a seat for the person; then they are registered for each through the same service as
the public form (registrations.services.register), in the same transaction. If one event is
full, they are registered for none and join the programme's waiting list instead.
"""

import dataclasses
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.audit import services as audit
from boostcamp.core import inputs
from boostcamp.core.text import fold
from boostcamp.core.texts import Localized
from boostcamp.db import utcnow
from boostcamp.errors import Conflict, NotFound, ValidationFailed
from boostcamp.events.models import Admission, Event, EventOrganiser, EventStatus, OrganiserRole
from boostcamp.events.services import HOLDING, RegistrationState, registration_state
from boostcamp.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.services import Composed, composer, queue_mail_later
from boostcamp.organisations.models import Organisation
from boostcamp.programmes.models import (
    Programme,
    ProgrammeEvent,
    ProgrammeOrganiser,
    ProgrammeRegistration,
)
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status
from boostcamp.programmes import questions as programme_questions
from boostcamp.programmes import texts
from boostcamp.registrations import services as registrations
from boostcamp.registrations import signals as registration_signals
from boostcamp.registrations.models import (
    EventQuestion,
    Person,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from boostcamp.registrations.services import CancelReason, RegistrationClosed, SignUp

MAX_LENGTHS = {"title": 200, "summary": 500}
EDITABLE_FIELDS = ("title", "summary", "description", "required_events", "requires_exam",
                   "language", "translations")
MAX_EVENTS = 30  # events in one programme
PER_PAGE = 12  # public list
GRID_PER_PAGE = 50  # participants per page of the progress grid
# What a list of programmes shows, loaded with them in a fixed number of queries.
LIST_LOAD = (
    selectinload(Programme.organisers).joinedload(ProgrammeOrganiser.organisation),
    selectinload(Programme.steps).joinedload(ProgrammeEvent.event)
    .selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
)  # fmt: skip
PAGE_LOAD = (
    *LIST_LOAD,
    selectinload(Programme.steps).joinedload(ProgrammeEvent.event).selectinload(Event.sessions),
)

CLOSED_MESSAGES = {
    "draft": _l("This programme is not open for registration."),
    "cancelled": _l("This programme has been cancelled."),
    "started": _l("This programme has started: registration for it is closed."),
    "empty": _l("This programme has no events yet."),
    "applications": _l("An event of this programme now takes applications: the programme "
                       "takes no sign-up. Apply on the event's own page."),
}


# ---------------------------------------------------------------- queries


def get_by_slug(slug: str) -> Programme:
    programme = db.session.scalar(
        sa.select(Programme).where(Programme.slug == slug).options(*PAGE_LOAD)
    )
    if programme is None:
        raise NotFound(_l("No such programme."))
    return programme


def _first_start() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.min(Event.starts_at))
        .join(ProgrammeEvent, ProgrammeEvent.event_id == Event.id)
        .where(ProgrammeEvent.programme_id == Programme.id)
        .scalar_subquery()
    )


def _last_end() -> sa.ScalarSelect:
    return (
        sa.select(sa.func.max(Event.ends_at))
        .join(ProgrammeEvent, ProgrammeEvent.event_id == Event.id)
        .where(ProgrammeEvent.programme_id == Programme.id)
        .scalar_subquery()
    )


def public_programmes(now: datetime | None = None, words: Sequence[str] = ()) -> sa.Select:
    """Published (or cancelled) programmes not over yet, the soonest first; with `words`,
    those whose title or summary in any language holds each word (accents and case aside)."""
    now = now or utcnow()
    return (
        sa.select(Programme)
        .where(Programme.status != EventStatus.DRAFT, _last_end() >= now,
               *(Programme.search_text.contains(fold(w), autoescape=True) for w in words[:10]))
        .options(*LIST_LOAD)
        .order_by(_first_start(), Programme.id)
    )  # fmt: skip


def programmes_query(condition: sa.ColumnElement[bool]) -> sa.Select:
    """Programmes for the staff pages (`condition`: the permission's WHERE clause)."""
    return (
        sa.select(Programme)
        .where(condition)
        .options(*LIST_LOAD)
        .order_by(_first_start().desc().nulls_first(), Programme.id.desc())
    )


def seats_left(programme: Programme) -> dict[int, int | None]:
    from boostcamp.events import queries

    return queries.seats_left_by_event(programme.events)


def unique_slug(title: str) -> str:
    base = slugify(title, max_length=100) or "programme"
    slug, n = base, 2
    while db.session.scalar(sa.select(Programme.id).where(Programme.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


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


# ---------------------------------------------------------------- validation


def _validate(fields: dict[str, Any], events: Sequence[Event] | None,
              organiser_ids: set[int]) -> None:  # fmt: skip
    """Every rule on a programme's fields and events, all errors at once."""
    errors: dict[str, Any] = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _l("Give the programme a title.")
    for field, limit in MAX_LENGTHS.items():
        value = fields.get(field)
        if isinstance(value, str) and len(value) > limit:
            errors[field] = _l("At most %(n)d characters.", n=limit)
        elif isinstance(value, str) and inputs.bad_text(value):
            errors[field] = inputs.CONTROL_MESSAGE
    if isinstance(fields.get("description"), str) and inputs.bad_text(
        fields["description"], multiline=True
    ):
        errors["description"] = inputs.CONTROL_MESSAGE
    required = fields.get("required_events")
    count = len(events) if events is not None else None
    if required is not None:
        if not isinstance(required, int) or isinstance(required, bool) or required < 1:
            errors["required_events"] = _l("At least 1.")
        elif count is not None and required > count:
            errors["required_events"] = _l(
                "The programme has %(n)d events: at most %(n)d.", n=count
            )
    if "language" in fields or "translations" in fields:
        errors.update(texts.errors(fields.get("language", "fr"), fields.get("translations")))
    if events is not None:
        errors.update(_event_errors(events, organiser_ids))
    if errors:
        raise ValidationFailed(errors)


def _event_errors(events: Sequence[Event], organiser_ids: set[int]) -> dict[str, Any]:
    if len(events) > MAX_EVENTS:
        return {"events": _l("At most %(n)d events in a programme.", n=MAX_EVENTS)}
    if len({e.id for e in events}) != len(events):
        return {"events": _l("An event is given twice.")}
    foreign = [e.title for e in events
               if not {o.organisation_id for o in e.organisers} & organiser_ids]  # fmt: skip
    if foreign:
        return {"events": _l("Not organised by any of the programme's organisers: %(titles)s.",
                             titles=", ".join(foreign))}  # fmt: skip
    cancelled = [e.title for e in events if e.status == EventStatus.CANCELLED]
    if cancelled:
        return {"events": _l("Cancelled events cannot be part of a programme: %(titles)s.",
                             titles=", ".join(cancelled))}  # fmt: skip
    applying = [e.title for e in events if e.admission == Admission.APPLICATION]
    if applying:  # one sign-up cannot wait on an application's decision (README)
        return {"events": _l("Events with admission by application cannot be part of a "
                             "programme: %(titles)s.", titles=", ".join(applying))}  # fmt: skip
    ordered = sorted(events, key=lambda e: (e.starts_at, e.id))
    for before, after in zip(ordered, ordered[1:]):
        if after.starts_at < before.ends_at:
            return {"events": _l("“%(first)s” and “%(second)s” overlap: a person cannot attend "
                                 "both.", first=before.title, second=after.title)}  # fmt: skip
    return {}


def _organiser_ids(host: Organisation | None, co_organisers: Iterable[Organisation]) -> set[int]:
    return {o.id for o in [*([host] if host else []), *co_organisers]}


# ---------------------------------------------------------------- changes


def create_programme(
    *,
    title: str,
    host: Organisation,
    co_organisers: Iterable[Organisation] = (),
    events: Sequence[Event] = (),
    kept_events: Iterable[Event] = (),
    slug: str | None = None,
    status: EventStatus = EventStatus.DRAFT,
    user=None,
    api_token=None,
    **fields,
) -> Programme:
    """`kept_events`: those of `events` people may not sign up for alone (alone.py)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    co_organisers = [o for o in co_organisers if o.id != host.id]
    fields["title"] = title
    _validate(fields, list(events), _organiser_ids(host, co_organisers))
    if slug is None:
        slug = unique_slug(title)
    elif db.session.scalar(sa.select(Programme.id).where(Programme.slug == slug)) is not None:
        raise Conflict(_l("The slug “%(slug)s” is already taken.", slug=slug), field="slug")
    fields["title"] = title.strip()
    if "translations" in fields:
        fields["translations"] = texts.clean(fields["translations"], fields.get("language", "fr"))
    programme = Programme(slug=slug, status=status, **fields)
    programme.organisers.append(ProgrammeOrganiser(organisation=host, role=OrganiserRole.HOST))
    for org in {o.id: o for o in co_organisers}.values():
        programme.organisers.append(
            ProgrammeOrganiser(organisation=org, role=OrganiserRole.CO_ORGANISER)
        )
    kept = {e.id for e in kept_events}
    programme.steps = [ProgrammeEvent(event=e, alone_allowed=e.id not in kept) for e in events]
    db.session.add(programme)
    db.session.flush()
    _record("programme_created", programme, {"status": [None, status.value]}, user, api_token)
    return programme


def update_programme(
    programme: Programme,
    *,
    events: Sequence[Event] | None = None,
    co_organisers: Iterable[Organisation] | None = None,
    kept_events: Iterable[Event] | None = None,
    user=None,
    api_token=None,
    **fields,
) -> dict[str, list]:
    """Change a programme's fields, its events (the whole new list) and co-organisers.
    An event for which someone holds a registration through the programme cannot be
    removed (Conflict): they would keep a seat at an event outside their programme."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown programme fields: {sorted(unknown)}")
    if programme.status == EventStatus.CANCELLED:
        raise Conflict(_l("A cancelled programme cannot be changed."), field="status")
    before = {f: getattr(programme, f) for f in EDITABLE_FIELDS}
    wanted_co = (
        [o for o in co_organisers if programme.host is None or o.id != programme.host.id]
        if co_organisers is not None else programme.co_organisers
    )  # fmt: skip
    new_events = list(events) if events is not None else programme.events
    _validate({**before, **fields}, new_events, _organiser_ids(programme.host, wanted_co))
    changes: dict[str, list] = {}
    if events is not None:
        old_ids = {s.event_id for s in programme.steps}
        removed = old_ids - {e.id for e in new_events}
        _refuse_removing_booked(programme, removed)
        programme.steps[:] = [s for s in programme.steps if s.event_id not in removed]
        programme.steps.extend(ProgrammeEvent(event=e) for e in new_events if e.id not in old_ids)
        if old_ids != {e.id for e in new_events}:
            changes["events"] = [sorted(old_ids), sorted(e.id for e in new_events)]
    if kept_events is not None:
        kept = {e.id for e in kept_events}
        old_kept = sorted(s.event_id for s in programme.steps if not s.alone_allowed)
        for step in programme.steps:
            step.alone_allowed = (step.event.id if step.event else step.event_id) not in kept
        new_kept = sorted(s.event.id for s in programme.steps if not s.alone_allowed)
        if old_kept != new_kept:
            changes["kept_events"] = [old_kept, new_kept]
    if "title" in fields:
        fields["title"] = fields["title"].strip()
    if "translations" in fields or "language" in fields:
        fields["translations"] = texts.clean(
            fields.get("translations", programme.translations),
            fields.get("language", programme.language),
        )
    for field, value in fields.items():
        setattr(programme, field, value)
    changes.update(audit.diff(before, {f: getattr(programme, f) for f in EDITABLE_FIELDS}))
    if co_organisers is not None:
        old = sorted(o.slug for o in programme.co_organisers)
        wanted = {o.id: o for o in wanted_co}
        programme.organisers[:] = [
            po for po in programme.organisers
            if po.role == OrganiserRole.HOST or po.organisation_id in wanted
        ]  # fmt: skip
        present = {po.organisation_id for po in programme.organisers}
        programme.organisers.extend(
            ProgrammeOrganiser(organisation=o, role=OrganiserRole.CO_ORGANISER)
            for org_id, o in wanted.items() if org_id not in present
        )  # fmt: skip
        if old != sorted(o.slug for o in programme.co_organisers):
            changes["co_organisers"] = [old, sorted(o.slug for o in programme.co_organisers)]
    if changes:
        programme.updated_at = utcnow()
        db.session.flush()
        _record("programme_updated", programme, changes, user, api_token)
    return changes


def _refuse_removing_booked(programme: Programme, event_ids: set[int]) -> None:
    if not event_ids:
        return
    booked = db.session.scalars(
        sa.select(Event.title).distinct()
        .join(Registration, Registration.event_id == Event.id)
        .join(ProgrammeRegistration, sa.and_(
            ProgrammeRegistration.person_id == Registration.person_id,
            ProgrammeRegistration.programme_id == programme.id))
        .where(Event.id.in_(event_ids),
               Registration.status != RegistrationStatus.CANCELLED,
               ProgrammeRegistration.status == Status.CONFIRMED)
    ).all()  # fmt: skip
    if booked:
        raise Conflict(
            _l("People registered for the programme hold a seat at %(titles)s: cancel their "
               "programme registrations first, or keep the event in the programme.",
               titles=", ".join(sorted(booked))),
            field="events",
        )  # fmt: skip


def publish_programme(programme: Programme, *, user=None, api_token=None) -> None:
    if programme.status == EventStatus.CANCELLED:
        raise Conflict(_l("A cancelled programme cannot be published."), field="status")
    if programme.status == EventStatus.PUBLISHED:
        return
    unpublished = [e.title for e in programme.events if e.status != EventStatus.PUBLISHED]
    if unpublished:
        raise Conflict(_l("Publish its events first: %(titles)s.",
                          titles=", ".join(unpublished)), field="status")  # fmt: skip
    programme.status = EventStatus.PUBLISHED
    db.session.flush()
    _record("programme_published", programme, {"status": ["draft", "published"]}, user,
            api_token)  # fmt: skip


def cancel_programme(programme: Programme, *, user=None, api_token=None) -> None:
    """No more sign-ups for the whole programme; its events and the registrations for
    them stay as they are (each event may still take place)."""
    if programme.status == EventStatus.CANCELLED:
        return
    old = programme.status.value
    programme.status = EventStatus.CANCELLED
    db.session.flush()
    _record("programme_cancelled", programme, {"status": [old, "cancelled"]}, user, api_token)


def _record(action: str, programme: Programme, changes: dict, user, api_token) -> None:
    audit.record(action, changes={"programme": programme.slug, **changes},
                 actor=audit.Actor.of(user, api_token))  # fmt: skip


# ---------------------------------------------------------------- one sign-up


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
            answers_required: bool = True,
            promoted: bool = False) -> ProgrammeSignUpResult:  # fmt: skip
    """Register someone for every event of the programme, or (one event full) for none of
    them: they join the programme's waiting list. Raises ValidationFailed (the fields of
    SignUp, "answers.<question id>" for the events' questions) and RegistrationClosed.
    `questions`: the events' (questions.questions_of), if the caller has loaded them.
    `promoted`: seats freed for someone on the programme's waiting list (waiting.py).

    Call it before writing anything else in the transaction (registrations.lock_event)."""
    now = now or utcnow()
    questions = programme_questions.questions_of(programme) if questions is None else questions
    answers = registrations._clean(sign_up, questions, answers_required=answers_required)
    closed = signup_state(programme, now)
    if closed:
        raise RegistrationClosed(CLOSED_MESSAGES[closed])
    events = sorted(programme.events, key=lambda e: e.id)
    for event in events:  # always in this order: two sign-ups never wait for each other
        registrations.lock_event(event)
    for event in events:
        state = registration_state(event, now)
        if state != RegistrationState.OPEN:
            raise RegistrationClosed(_l("Registration for “%(title)s” is not open.",
                                        title=event.title))  # fmt: skip
    person = registrations.find_or_create_person(
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
                     "answers": programme_questions.stored(answers)}  # fmt: skip
    if full and not waitlist:
        raise Conflict(_l("Still full: %(titles)s.", titles=", ".join(e.title for e in full)))
    if full:
        if entry.status != Status.WAITLISTED or entry.id is None:
            entry.created_at = now  # the end of the queue
        entry.status = Status.WAITLISTED
        db.session.flush()
        _mail(entry, "programme_waitlisted",
              _l("You are on the waiting list for %(title)s", title=Localized(programme, "title")),
              full=[e.title for e in sorted(full, key=lambda e: e.starts_at)])  # fmt: skip
        db.session.flush()
        return ProgrammeSignUpResult(Outcome.WAITLISTED, entry, [], full)
    entry.status = Status.CONFIRMED
    taken = [_take_seat(event, existing.get(event.id),
                        _for_event(sign_up, questions, answers, event.id), now)
             for event in sorted(events, key=lambda e: (e.starts_at, e.id))]  # fmt: skip
    db.session.flush()
    if promoted:
        _mail(entry, "programme_promoted", _l("A seat at every event: you are registered for "
                                              "%(title)s", title=Localized(programme, "title")))
    else:
        _mail(entry, "programme_confirmed",
              _l("Registered: %(title)s", title=Localized(programme, "title")))
    db.session.flush()
    return ProgrammeSignUpResult(Outcome.CONFIRMED, entry, taken, [])


def _holds(registration: Registration | None) -> bool:
    return registration is not None and registration.status in HOLDING


def _has_seat(event: Event, now: datetime) -> bool:
    """Under the event's lock: a seat is free for a newcomer (people waiting for the event
    are offered the free seats first, as the public form does)."""
    counts = registrations.status_counts(event)
    free = registrations.free_seats(event, counts)
    if free and counts[RegistrationStatus.WAITLISTED] and registrations.offer_next_seats(event, now):
        free = registrations.free_seats(event, registrations.status_counts(event))
    return free is None or free > 0


def _for_event(sign_up: SignUp, questions: list[EventQuestion], answers: dict[int, Any],
               event_id: int) -> tuple[SignUp, list[EventQuestion]]:  # fmt: skip
    asked, given = programme_questions.for_event(questions, answers, event_id)
    return dataclasses.replace(sign_up, answers=given), asked


def _take_seat(event: Event, registration: Registration | None,
               details: tuple[SignUp, list[EventQuestion]],
               now: datetime) -> Registration:  # fmt: skip
    sign_up, questions = details
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        return registration
    if registration is not None and registration.status == RegistrationStatus.OFFERED:
        registrations.accept_offer(registration, now=now)
        return registration
    if registration is not None and registration.status == RegistrationStatus.WAITLISTED:
        registrations.confirm_from_waiting_list(registration, now=now)  # we checked the seat
        return registration
    result = registrations.register(event, sign_up, now=now, questions=questions, alone=False)
    if result.outcome != registrations.Outcome.CONFIRMED:  # cannot happen under the locks
        raise Conflict(_l("“%(title)s” is full.", title=event.title))
    return result.registration


def give_seats(entry: ProgrammeRegistration, *, now: datetime | None = None) -> None:
    """Staff give someone on the programme's waiting list a seat at each of its events, once
    each has one free (Conflict naming the events still full, and nothing changes). They
    consented when they signed up; the usual mails follow."""
    if entry.status != Status.WAITLISTED:
        raise Conflict(_l("Only someone on the programme's waiting list can be given seats."))
    sign_up(entry.programme, given_before(entry, RegistrationSource.STAFF), now=now,
            waitlist=False, answers_required=False)


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
    )  # fmt: skip


def cancel(entry: ProgrammeRegistration, *, reason: CancelReason = CancelReason.SELF,
           now: datetime | None = None) -> list[Registration]:  # fmt: skip
    """Leave the programme (or its waiting list): the person's registrations for its events
    still to come are cancelled with it (and their seats offered to the next people
    waiting); those of events that have begun stay. Returns the registrations cancelled."""
    now = now or utcnow()
    if entry.status == Status.CANCELLED:
        return []
    events = sorted(entry.programme.events, key=lambda e: e.id)
    for event in events:  # all of them, in the sign-up's order: the waiting list moves next
        registrations.lock_event(event)
    cancelled = []
    for registration in db.session.scalars(
        sa.select(Registration)
        .where(Registration.person_id == entry.person_id,
               Registration.event_id.in_([e.id for e in events if e.starts_at > now]),
               Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Registration.event_id)
        .options(joinedload(Registration.event), joinedload(Registration.person))
    ).all():  # fmt: skip
        registrations.cancel_registration(registration, reason=reason, now=now)
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


# ---------------------------------------------------------------- mails


def _mail(entry: ProgrammeRegistration, kind: str, subject: Any, **context: Any) -> OutboxMessage:
    person = entry.person
    return queue_mail_later(
        kind, composer="programme",
        params={"programme_registration_id": entry.id, "context": context},
        to=person.email, to_name=person.full_name, subject=subject,
        language=person.language, person=person,
    )  # fmt: skip


@composer("programme")
def _compose(message: OutboxMessage, params: dict[str, Any]) -> Composed:
    entry = db.session.get(ProgrammeRegistration, params["programme_registration_id"])
    if entry is None:
        raise LookupError("the programme registration this mail is about no longer exists")
    context = {
        "person": entry.person,
        "programme": entry.programme,
        "programme_url": url_for("programmes.show_programme", slug=entry.programme.slug,
                                 _external=True),
        "manage_url": self_service_url(entry),
        **params.get("context", {}),
    }  # fmt: skip
    return Composed(context)


def self_service_url(entry: ProgrammeRegistration) -> str:
    from boostcamp.programmes.tokens import make_token

    return url_for("programmes.manage", slug=entry.programme.slug, token=make_token(entry.id),
                   _external=True)  # fmt: skip


# ---------------------------------------------------------------- progress


@dataclass(frozen=True)
class Cell:
    """One person at one event of the programme."""

    status: RegistrationStatus | None  # None: not registered
    attended: float  # share of the event's sessions attended, 0.0–1.0
    registration: Registration | None = None

    @property
    def came(self) -> bool:
        return self.attended > 0


def progress(programme: Programme, person_ids: Sequence[int]) -> dict[tuple[int, int], Cell]:
    """{(person id, event id): Cell} for these people at the programme's events, in two
    queries whatever their number."""
    from boostcamp.checkin.attendance import attendance_query

    events = {e.id: e for e in programme.events}
    if not events or not person_ids:
        return {}
    found = db.session.scalars(
        sa.select(Registration).where(Registration.person_id.in_(person_ids),
                                      Registration.event_id.in_(events))
    ).all()  # fmt: skip
    attended = attendance_query().subquery()
    sessions = sa.func.count(sa.distinct(sa.func.coalesce(attended.c.session_id, 0)))
    counts = dict(db.session.execute(
        sa.select(attended.c.registration_id, sessions)
        .where(attended.c.registration_id.in_([r.id for r in found]))
        .group_by(attended.c.registration_id)
    ).all())  # fmt: skip
    cells = {}
    for r in found:
        total = len(events[r.event_id].sessions) or 1
        share = min(counts.get(r.id, 0) / total, 1.0)
        cells[(r.person_id, r.event_id)] = Cell(r.status, share, r)
    return cells


def cell(cells: dict, person_id: int, event_id: int) -> Cell:
    return cells.get((person_id, event_id), Cell(None, 0.0))


def participants_query(programme: Programme) -> sa.Select:
    """The programme's registrations, confirmed first then waiting, for the progress grid."""
    return (
        sa.select(ProgrammeRegistration)
        .join(Person, Person.id == ProgrammeRegistration.person_id)
        .where(ProgrammeRegistration.programme_id == programme.id,
               ProgrammeRegistration.status != Status.CANCELLED)
        .options(joinedload(ProgrammeRegistration.person))
        .order_by(ProgrammeRegistration.status, Person.last_name, Person.first_name,
                  ProgrammeRegistration.id)
    )  # fmt: skip


def counts_as_attended(cell: Cell) -> bool:
    """An event counts for the programme as for an attendance certificate: a confirmed
    registration with the centre's share of its sessions (the attribution rule's, 50 %)."""
    from boostcamp.outcomes.certificates.services import min_attendance

    return cell.status == RegistrationStatus.CONFIRMED and cell.came and (
        cell.attended >= min_attendance()
    )


def completed(programme: Programme, person_cells: Iterable[Cell]) -> bool:
    """The programme's rule: attended `required_events` of its events (all by default)."""
    came = sum(1 for c in person_cells if counts_as_attended(c))
    needed = programme.required_events or len(programme.steps)
    return bool(programme.steps) and came >= needed


def status_counts(programme: Programme) -> dict[Status, int]:
    rows = db.session.execute(
        sa.select(ProgrammeRegistration.status, sa.func.count())
        .where(ProgrammeRegistration.programme_id == programme.id)
        .group_by(ProgrammeRegistration.status)
    ).all()
    return {**dict.fromkeys(Status, 0), **dict(rows)}


@dataclass(frozen=True)
class Summary:
    """A line on the person's registration page: a programme of theirs and how far they are."""

    entry: ProgrammeRegistration
    url: str
    attended: int
    total: int


def summaries(person: Person) -> list[Summary]:
    """The person's programmes with their progress, for their self-service pages."""
    result = []
    for entry in entries_of(person):
        cells = progress(entry.programme, [person.id])
        attended = sum(1 for c in cells.values() if counts_as_attended(c))
        result.append(Summary(entry, self_service_url(entry), attended, len(entry.programme.steps)))
    return result


@registration_signals.self_service_page.connect
def _self_service_programmes(registration: Registration, *, now) -> dict:
    return {"programmes": summaries(registration.person)}
