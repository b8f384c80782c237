"""Making and changing programmes: their fields, events and organisers, publishing, cancelling.

Views, the partner API and the demo data go through these functions. They flush; the
caller commits.
"""

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify

from boostcamp.audit import services as audit
from boostcamp.core import inputs
from boostcamp.core.texts import clean_translations
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.events.models import Admission, Event, EventStatus, OrganiserRole
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.programmes.models import (
    Programme,
    ProgrammeEvent,
    ProgrammeOrganiser,
    ProgrammeRegistration,
)
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status
from boostcamp.programmes import texts
from boostcamp.registrations.models import Registration, RegistrationStatus


MAX_LENGTHS = {"title": 200, "summary": 500}
EDITABLE_FIELDS = ("title", "summary", "description", "required_events", "requires_exam",
                   "language", "translations")
MAX_EVENTS = 30  # events in one programme


def unique_slug(title: str) -> str:
    base = slugify(title, max_length=100) or "programme"
    slug, n = base, 2
    while db.session.scalar(sa.select(Programme.id).where(Programme.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate(fields: dict[str, Any], events: Sequence[Event] | None,
              organiser_ids: set[int]) -> None:  # fmt: skip
    """Every rule on a programme's fields and events, all errors at once."""
    errors: dict[str, Any] = {}
    if not (fields.get("title") or "").strip():
        errors["title"] = _l("Give the programme a title.")
    errors.update(inputs.text_errors(fields, MAX_LENGTHS))
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
        fields["translations"] = clean_translations(fields["translations"], fields.get("language", "fr"))
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
        fields["translations"] = clean_translations(
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
