"""Recording outcomes: start-ups, their members and jobs, and certifications. Shared by the
staff pages, the imports, the surveys, the API, the demo data and tests. They validate
everything at once (ValidationFailed with a message per field) and flush; the caller
commits."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.core.zones import centre_today
from boostcamp.audit import services as audit
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.outcomes.records.kbo import validate_enterprise_number
from boostcamp.outcomes.records.models import (
    Certification,
    JobsSnapshot,
    Startup,
    StartupMember,
    StartupRole,
    StartupStatus,
)
from boostcamp.registrations.models import Person

STARTUP_FIELDS = (
    "name", "enterprise_number", "founded_on", "legal_form", "sector", "city", "website",
    "status", "status_since", "supported_from", "supported_until",
)  # fmt: skip
MAX_LENGTHS = {
    "name": 200, "legal_form": 40, "sector": 120, "city": 120, "website": 300,
    "code": 40, "issuer": 120, "label": 200,
}  # fmt: skip


def _today() -> date:
    return centre_today()


def clean_text(value: Any) -> str | None:
    value = (str(value) if value is not None else "").strip()
    return value or None


def check_lengths(fields: dict[str, Any], errors: dict[str, Any]) -> None:
    for field, value in fields.items():
        limit = MAX_LENGTHS.get(field)
        if limit and isinstance(value, str) and len(value) > limit and field not in errors:
            errors[field] = _l("At most %(n)d characters.", n=limit)


def check_date(fields, field, errors, required=False, not_future=False) -> date | None:
    value = fields.get(field)
    if value is None:
        if required:
            errors[field] = _l("Give the date.")
        return None
    if not isinstance(value, date):
        errors[field] = _l("Give a date.")
        return None
    if not_future and value > _today():
        errors[field] = _l("This date is in the future.")
    return value


def _resolve(model, value, field: str, errors: dict[str, Any], message):
    """An object, or its id (from a form or an import); unknown → a field error."""
    if isinstance(value, model):
        return value
    obj = db.session.get(model, value) if isinstance(value, int) else None
    if obj is None:
        errors[field] = message
    return obj


# ---------------------------------------------------------------- start-ups


def _clean_startup(fields: dict[str, Any], startup: Startup | None = None) -> dict[str, Any]:
    unknown = set(fields) - set(STARTUP_FIELDS)
    if unknown:
        raise TypeError(f"unknown start-up fields: {sorted(unknown)}")
    merged = {f: getattr(startup, f) for f in STARTUP_FIELDS} if startup else {}
    merged.update(fields)
    errors: dict[str, Any] = {}
    for field in ("name", "legal_form", "sector", "city", "website"):
        merged[field] = clean_text(merged.get(field))
    if not merged["name"]:
        errors["name"] = _l("Give the start-up's name.")
    if merged.get("enterprise_number"):
        try:
            merged["enterprise_number"] = validate_enterprise_number(merged["enterprise_number"])
        except ValidationFailed as e:
            errors.update(e.errors)
        else:
            taken = db.session.scalar(
                sa.select(Startup.id).where(
                    Startup.enterprise_number == merged["enterprise_number"],
                    Startup.id != (startup.id if startup else -1),
                )
            )
            if taken is not None:
                errors["enterprise_number"] = _l("Another start-up has this enterprise number.")
    else:
        merged["enterprise_number"] = None
    founded_on = check_date(merged, "founded_on", errors, required=True, not_future=True)
    try:
        merged["status"] = StartupStatus(merged.get("status") or StartupStatus.ACTIVE)
    except ValueError:
        errors["status"] = _l("Choose a status.")
    status_since = check_date(merged, "status_since", errors, not_future=True)
    supported_from = check_date(merged, "supported_from", errors)
    supported_until = check_date(merged, "supported_until", errors)
    if founded_on and status_since and status_since < founded_on:
        errors.setdefault("status_since", _l("This is before the start-up was founded."))
    if supported_from and supported_until and supported_until < supported_from:
        errors.setdefault("supported_until", _l("The support ends before it starts."))
    check_lengths(merged, errors)
    if errors:
        raise ValidationFailed(errors)
    return merged


def _note(action: str, actor: audit.Actor | None, changes: dict[str, Any]) -> None:
    """The funders' figures rest on these records: a change by someone is in the audit log.
    Bulk callers (an import, a survey's answers) pass no actor and note the whole once."""
    if actor is not None and changes:
        audit.record(action, actor=actor, changes=changes)


def _startup_fields(startup: Startup) -> dict[str, Any]:
    return {field: getattr(startup, field) for field in STARTUP_FIELDS}


def create_startup(*, actor: audit.Actor | None = None, **fields) -> Startup:
    startup = Startup(**_clean_startup(fields))
    db.session.add(startup)
    db.session.flush()
    _note("startup_created", actor, {"startup": [None, startup.id],
                                     **audit.diff({}, _startup_fields(startup))})  # fmt: skip
    return startup


def update_startup(startup: Startup, *, actor: audit.Actor | None = None, **fields) -> Startup:
    before = _startup_fields(startup)
    for field, value in _clean_startup(fields, startup).items():
        setattr(startup, field, value)
    db.session.flush()
    changes = audit.diff(before, _startup_fields(startup))
    if changes:
        _note("startup_changed", actor, {"startup": [None, startup.id], **changes})
    return startup


def delete_startup(startup: Startup) -> None:
    db.session.delete(startup)
    db.session.flush()


def add_member(
    startup: Startup | int,
    person: Person | int,
    role: StartupRole | str,
    started_on: date | None = None,
    ended_on: date | None = None,
    *,
    actor: audit.Actor | None = None,
) -> StartupMember:
    errors: dict[str, Any] = {}
    startup = _resolve(Startup, startup, "startup", errors, _l("No such start-up."))
    person = _resolve(Person, person, "person", errors, _l("No such person."))
    try:
        role = StartupRole(role)
    except ValueError:
        errors["role"] = _l("Choose founder or team member.")
    dates = {"started_on": started_on, "ended_on": ended_on}
    check_date(dates, "started_on", errors, not_future=True)
    check_date(dates, "ended_on", errors)
    if started_on and ended_on and not errors.get("ended_on") and ended_on < started_on:
        errors["ended_on"] = _l("This is before the start.")
    if startup is not None and person is not None:
        exists = db.session.scalar(
            sa.select(StartupMember.id).where(
                StartupMember.startup_id == startup.id, StartupMember.person_id == person.id
            )
        )
        if exists is not None:
            errors["person"] = _l("This person is already in the start-up.")
    if errors:
        raise ValidationFailed(errors)
    member = StartupMember(
        startup=startup, person=person, role=role, started_on=started_on, ended_on=ended_on
    )
    db.session.add(member)
    db.session.flush()
    _note("startup_member_added", actor, {"startup": [None, startup.id],
                                          "person": [None, person.id], "role": [None, role.value]})  # fmt: skip
    return member


def remove_member(member: StartupMember, *, actor: audit.Actor | None = None) -> None:
    _note("startup_member_removed", actor, {"startup": [member.startup_id, None],
                                            "person": [member.person_id, None]})  # fmt: skip
    db.session.delete(member)
    db.session.flush()


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", ".")) if value is not None else None
    except InvalidOperation:
        return None


def record_jobs(
    startup: Startup | int, on: date, headcount: int, fte: Decimal | float | str | None = None,
    *, actor: audit.Actor | None = None,
) -> JobsSnapshot:
    """The start-up's jobs on a day. A second count for the same day replaces the first
    (a re-imported file changes nothing). FTE defaults to the headcount."""
    errors: dict[str, Any] = {}
    startup = _resolve(Startup, startup, "startup", errors, _l("No such start-up."))
    check_date({"on": on}, "on", errors, required=True, not_future=True)
    if startup is not None and isinstance(on, date) and on < startup.founded_on:
        errors.setdefault("on", _l("This is before the start-up was founded."))
    if isinstance(headcount, bool) or not isinstance(headcount, int):
        errors["headcount"] = _l("Give a whole number of people.")
    elif headcount < 0:
        errors["headcount"] = _l("The number of jobs cannot be negative.")
    fte_value = _decimal(headcount if fte is None and "headcount" not in errors else fte)
    if fte_value is None or not fte_value.is_finite():
        errors["fte"] = _l("Give the full-time equivalents as a number, e.g. 2.5.")
    elif fte_value < 0:
        errors["fte"] = _l("Full-time equivalents cannot be negative.")
    elif fte_value >= Decimal("1000000"):
        errors["fte"] = _l("This number is too large.")
    elif "headcount" not in errors and fte_value > headcount:
        errors["fte"] = _l("More full-time equivalents than people: check both numbers.")
    if errors:
        raise ValidationFailed(errors)
    fte_value = fte_value.quantize(Decimal("0.01"))
    snapshot = db.session.scalar(
        sa.select(JobsSnapshot).where(JobsSnapshot.startup_id == startup.id, JobsSnapshot.on == on)
    )
    before = {} if snapshot is None else {"headcount": snapshot.headcount, "fte": snapshot.fte}
    if snapshot is None:
        snapshot = JobsSnapshot(startup=startup, on=on)
        db.session.add(snapshot)
    snapshot.headcount, snapshot.fte = headcount, fte_value
    db.session.flush()
    changes = audit.diff(before, {"headcount": headcount, "fte": str(fte_value)})
    if changes:
        _note("jobs_recorded", actor, {"startup": [None, startup.id], "on": [None, on.isoformat()],
                                       **changes})  # fmt: skip
    return snapshot


def delete_jobs_snapshot(snapshot: JobsSnapshot) -> None:
    db.session.delete(snapshot)
    db.session.flush()


# ---------------------------------------------------------------- certifications


def _clean_certification(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    person = _resolve(Person, fields.get("person"), "person", errors, _l("No such person."))
    for field in ("name", "code", "issuer"):
        fields[field] = clean_text(fields.get(field))
    if not fields["name"]:
        errors["name"] = _l("Give the certification's name.")
    if not fields["issuer"]:
        errors["issuer"] = _l("Say who issued it.")
    obtained_on = check_date(fields, "obtained_on", errors, required=True, not_future=True)
    exam_event = fields.get("exam_event")
    if exam_event is not None:
        exam_event = _resolve(Event, exam_event, "exam_event", errors, _l("No such event."))
        if exam_event is not None and obtained_on and exam_event.starts_at.date() > obtained_on:
            errors["obtained_on"] = _l("This is before the exam.")
    check_lengths(fields, errors)
    if errors:
        raise ValidationFailed(errors)
    return dict(
        person=person, name=fields["name"], code=fields["code"], issuer=fields["issuer"],
        obtained_on=obtained_on, exam_event=exam_event,
    )  # fmt: skip


def add_certification(
    person: Person | int,
    name: str,
    code: str | None,
    issuer: str,
    obtained_on: date,
    exam_event: Event | int | None = None,
    *,
    actor: audit.Actor | None = None,
) -> Certification:
    certification = Certification(**_clean_certification(dict(
        person=person, name=name, code=code, issuer=issuer, obtained_on=obtained_on,
        exam_event=exam_event,
    )))  # fmt: skip
    db.session.add(certification)
    db.session.flush()
    _note("certification_added", actor, {"certification": [None, certification.id],
                                         **audit.diff({}, _certification_fields(certification))})  # fmt: skip
    return certification


def _certification_fields(certification: Certification) -> dict[str, Any]:
    return {"person": certification.person_id, "name": certification.name,
            "code": certification.code, "issuer": certification.issuer,
            "obtained_on": certification.obtained_on,
            "exam_event": certification.exam_event_id}  # fmt: skip


def update_certification(
    certification: Certification, *, actor: audit.Actor | None = None, **fields
) -> Certification:
    before = _certification_fields(certification)
    merged = dict(
        person=certification.person, name=certification.name, code=certification.code,
        issuer=certification.issuer, obtained_on=certification.obtained_on,
        exam_event=certification.exam_event,
    )  # fmt: skip
    merged.update(fields)
    for field, value in _clean_certification(merged).items():
        setattr(certification, field, value)
    db.session.flush()
    changes = audit.diff(before, _certification_fields(certification))
    if changes:
        _note("certification_changed", actor, {"certification": [None, certification.id],
                                               **changes})  # fmt: skip
    return certification


def delete_certification(certification: Certification) -> None:
    db.session.delete(certification)
    db.session.flush()
