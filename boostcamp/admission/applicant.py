"""The applicant's own page: their answers, changed until applications close, and what the page
shows of their application.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from boostcamp.admission.decisions import pending_decision
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict
from boostcamp.events.models import Admission
from boostcamp.core.extensions import db
from boostcamp.registrations import signals as registration_signals
from boostcamp.registrations import signup
from boostcamp.registrations.models import Registration, RegistrationAnswer, RegistrationStatus
from boostcamp.registrations.questions import event_questions
from boostcamp.events.availability import RegistrationState, registration_state


def update_answers(registration: Registration, answers: Mapping[int, Any],
                   now: datetime | None = None, *, city: str | None = None) -> None:  # fmt: skip
    """The applicant changes their answers and their city until applications close, while not
    decided; city None leaves it as it is, "" clears it. Raises Conflict after that, ValidationFailed
    ("answers.<question id>", "city": the rules of the application form)."""
    event, person = registration.event, registration.person
    if registration.status != RegistrationStatus.APPLIED or registration_state(
        event, now or utcnow()
    ) != RegistrationState.OPEN:
        raise Conflict(_l("Applications are closed: your answers can no longer be changed."))
    questions = event_questions(event)
    cleaned = signup.clean(signup.SignUp(
        email=person.email, consent=True, first_name=person.first_name,
        last_name=person.last_name, profile=registration.profile, answers=answers, city=city,
    ), questions)  # fmt: skip
    registration.answers.clear()
    db.session.flush()
    registration.answers.extend(
        RegistrationAnswer(question_id=qid, value=value) for qid, value in cleaned.items()
    )
    if city is not None:
        registration.city = " ".join(city.split()) or None  # as sign-up keeps it
    registration.updated_at = utcnow()
    db.session.flush()


def may_edit(registration: Registration, now: datetime | None = None) -> bool:
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
