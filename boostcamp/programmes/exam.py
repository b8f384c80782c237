"""The programme's exam: when its certificate rule asks for it (Programme.requires_exam),
staff record for each person registered whether they passed; the certificate waits for
"passed". A result may be corrected or withdrawn (back to "not recorded")."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from boostcamp.audit import services as audit
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict
from boostcamp.core.extensions import db
from boostcamp.programmes.models import ProgrammeRegistration
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status

RESULTS = {"passed": True, "failed": False, "none": None}


def record_exam(entry: ProgrammeRegistration, passed: bool | None, *, user=None,
                api_token=None, now: datetime | None = None) -> None:  # fmt: skip
    if not entry.programme.requires_exam:
        raise Conflict(_l("This programme's certificate asks for no exam."))
    if entry.status != Status.CONFIRMED:
        raise Conflict(_l("Only someone registered for the programme has an exam result."))
    if passed is not None and not isinstance(passed, bool):
        raise Conflict(_l("Passed, failed or not recorded."))
    old = entry.exam_passed
    if old is passed:
        return
    entry.exam_passed = passed
    entry.exam_recorded_at = (now or utcnow()) if passed is not None else None
    db.session.flush()
    audit.record("programme_exam_recorded", changes={
        "programme": entry.programme.slug, "person": [None, entry.person.full_name],
        "exam_passed": [old, passed]}, actor=audit.Actor.of(user, api_token))  # fmt: skip
