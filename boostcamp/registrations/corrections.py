"""Staff correct a registration: the person's details, profile, answers and the door's note."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from boostcamp.audit import services as audit
from boostcamp.core.db import utcnow
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.registrations.models import EventQuestion, Profile, Registration, RegistrationAnswer
from boostcamp.registrations.questions import event_questions
from boostcamp.registrations.signup import SignUp, clean


NOTE_MAX_LENGTH = 500  # Registration.note


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
        answers = clean(SignUp(
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
