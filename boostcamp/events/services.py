"""Events: the catalogue's queries and every change to an event, its agenda and organisers.

Views, the partner API, the CLI and the demo data all go through these functions. They
flush; the caller commits. Every change is written to the audit log.
"""

import enum
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy.orm import selectinload

from boostcamp.audit import services as audit
from boostcamp.core import inputs, zones
from boostcamp.core.texts import LANGUAGES
from boostcamp.db import utcnow
from boostcamp.errors import Conflict, DomainError, NotFound, ValidationFailed
from boostcamp.events import signals
from boostcamp.events.models import (
    Admission,
    Audience,
    Event,
    EventKind,
    EventOrganiser,
    EventSession,
    EventStatus,
    OrganiserRole,
)
from boostcamp.extensions import db
from boostcamp.organisations.models import Organisation

# What a list of events shows, loaded with the events in a fixed number of queries.
LIST_LOAD = (
    selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
    selectinload(Event.audience_rows),
)
EDITABLE_FIELDS = (
    "title", "kind", "summary", "description", "city", "venue", "address", "starts_at",
    "ends_at", "timezone", "capacity", "registration_opens_at", "registration_closes_at",
    "language", "translations", "admission", "applications_close_at",
)  # fmt: skip
MAX_LENGTHS = {"title": 200, "summary": 500, "city": 120, "venue": 300, "address": 300}
DESCRIPTION_MAX = 50_000  # a Text column: a generous limit so nobody stores megabytes
TEXT_FIELDS = Event.TRANSLATED_FIELDS
# A change to one of these (or to a session's times or venue) raises the event's SEQUENCE,
# so that calendar clients replace their copy.
TIME_AND_PLACE_FIELDS = ("starts_at", "ends_at", "timezone", "venue", "address", "city")
# Seats held by someone: a confirmed registration, or an offer still open. Registrations are
# kept by the registrations domain, above this one: named by table, not imported
# (registrations.services.HOLDING says the same with its enum, and a test keeps them equal).
HOLDING = ("confirmed", "offered")
_REGISTRATION = sa.table("registration", sa.column("event_id"), sa.column("status"))


# ---------------------------------------------------------------- queries


def get_by_slug(slug: str, *, related: bool = True) -> Event:
    """The event with what its pages show (agenda, organisers, audiences) loaded, or
    only its own columns (`related=False`) for a path that needs no more."""
    query = sa.select(Event).where(Event.slug == slug)
    if related:
        query = query.options(*LIST_LOAD, selectinload(Event.sessions))
    event = db.session.scalar(query)
    if event is None:
        raise NotFound(_l("No such event."))
    return event


def seats_taken(event_ids: Iterable[int]) -> dict[int, int]:
    """Seats held per event, in one query for a whole page of events."""
    ids = list(event_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(_REGISTRATION.c.event_id, sa.func.count())
        .where(_REGISTRATION.c.event_id.in_(ids), _REGISTRATION.c.status.in_(HOLDING))
        .group_by(_REGISTRATION.c.event_id)
    )
    taken = dict.fromkeys(ids, 0)
    taken.update({event_id: count for event_id, count in rows})
    return taken


def seats_left(event: Event, taken: int) -> int | None:
    if event.capacity is None:
        return None
    return max(event.capacity - taken, 0)


class RegistrationState(enum.StrEnum):
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


def registration_state(event: Event, now: datetime | None = None) -> RegistrationState:
    """Whether people may register now: a published event, within its registration window
    (by default until it starts). A full event stays open for its waiting list."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    closes_at = event.registration_closes_at
    if event.admission == Admission.APPLICATION and event.applications_close_at:
        closes_at = event.applications_close_at
    # Without a closing time, registration closes when the event starts (the staff form says
    # so): an event under way offers no seats; people who come anyway are walk-ins at the door.
    if event.ends_at < now or (closes_at or event.starts_at) <= now:
        return RegistrationState.CLOSED
    if event.status != EventStatus.PUBLISHED or (
        event.registration_opens_at and now < event.registration_opens_at
    ):
        return RegistrationState.NOT_YET_OPEN
    return RegistrationState.OPEN


def unique_slug(title: str, starts_at: datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m}", max_length=100) or "event"
    slug, n = base, 2
    while db.session.scalar(sa.select(Event.id).where(Event.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


# ---------------------------------------------------------------- validation


def _validate(event_fields: dict[str, Any], sessions: Sequence[dict] | None, taken: int = 0):
    """Every rule on an event's fields and agenda, all errors at once."""
    errors: dict[str, Any] = {}
    title = (event_fields.get("title") or "").strip()
    if not title:
        errors["title"] = _l("Give the event a title.")
    if not (event_fields.get("city") or "").strip():
        errors["city"] = _l("Say in which city the event takes place.")
    for field, limit in MAX_LENGTHS.items():
        value = event_fields.get(field)
        if isinstance(value, str) and len(value) > limit:
            errors[field] = _l("At most %(n)d characters.", n=limit)
        elif isinstance(value, str) and inputs.bad_text(value):
            errors[field] = inputs.CONTROL_MESSAGE
    if isinstance(event_fields.get("description"), str) and inputs.bad_text(
        event_fields["description"], multiline=True
    ):
        errors["description"] = inputs.CONTROL_MESSAGE
    language = event_fields.get("language") or "fr"
    if language not in LANGUAGES:
        errors["language"] = _l("Choose French, Dutch or English.")
    errors.update(_translation_errors(event_fields.get("translations")))
    starts_at, ends_at = event_fields.get("starts_at"), event_fields.get("ends_at")
    for field in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
                  "applications_close_at"):  # fmt: skip
        value = event_fields.get(field)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            errors[field] = _l("Give a date and time with its time zone.")
        elif value is not None and not inputs.in_window(value):
            errors[field] = inputs.DATE_MESSAGE
    if "starts_at" not in errors and starts_at is None:
        errors["starts_at"] = _l("Give the start.")
    if "ends_at" not in errors and ends_at is None:
        errors["ends_at"] = _l("Give the end.")
    dates_ok = not ({"starts_at", "ends_at"} & errors.keys())
    if dates_ok and ends_at < starts_at:
        errors["ends_at"] = _l("The end must come after the start.")
    opens, closes = event_fields.get("registration_opens_at"), event_fields.get(
        "registration_closes_at"
    )
    if opens and closes and "registration_closes_at" not in errors and closes < opens:
        errors["registration_closes_at"] = _l("Registration must close after it opens.")
    if "admission" in event_fields:
        try:
            Admission(event_fields["admission"])
        except ValueError:
            errors["admission"] = _l("Choose open registration or admission by application.")
    capacity = event_fields.get("capacity")
    if capacity is not None:
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
            errors["capacity"] = _l("The capacity cannot be negative.")
        elif capacity > inputs.INTEGER_MAX:
            errors["capacity"] = _l("At most %(n)d.", n=inputs.INTEGER_MAX)
        elif capacity < taken:
            errors["capacity"] = _l(
                "%(n)d people already hold a seat: the capacity cannot be lower.", n=taken
            )
    if "timezone" in event_fields and not zones.is_zone(event_fields["timezone"]):
        errors["timezone"] = _l("Unknown time zone.")
    if "kind" in event_fields:
        try:
            EventKind(event_fields["kind"])
        except ValueError:
            errors["kind"] = _l("Unknown kind of event.")
    for i, session in enumerate(sessions or ()):
        s_start, s_end = session.get("starts_at"), session.get("ends_at")
        if not (session.get("title") or "").strip():
            errors[f"sessions.{i}.title"] = _l("Give the session a title.")
        elif len(session["title"]) > 200:
            errors[f"sessions.{i}.title"] = _l("At most %(n)d characters.", n=200)
        elif inputs.bad_text(session["title"]):
            errors[f"sessions.{i}.title"] = inputs.CONTROL_MESSAGE
        if not isinstance(s_start, datetime) or not isinstance(s_end, datetime) or (
            s_start.tzinfo is None or s_end.tzinfo is None
        ):
            errors[f"sessions.{i}.starts_at"] = _l("Give a date and time with its time zone.")
        elif not (inputs.in_window(s_start) and inputs.in_window(s_end)):
            wrong = "starts_at" if not inputs.in_window(s_start) else "ends_at"
            errors[f"sessions.{i}.{wrong}"] = inputs.DATE_MESSAGE
        elif s_end < s_start:
            errors[f"sessions.{i}.ends_at"] = _l("A session must end after it starts.")
        elif dates_ok and (s_start < starts_at or s_end > ends_at):
            # The start if it is outside the event, else the end (the field that is wrong).
            wrong = "starts_at" if not starts_at <= s_start <= ends_at else "ends_at"
            errors[f"sessions.{i}.{wrong}"] = _l("Every session must lie within the event.")
    if errors:
        raise ValidationFailed(errors)


def _translation_errors(translations: Any) -> dict[str, Any]:
    """{"title.nl": message} for each text in another language that breaks a rule."""
    if translations is None:
        return {}
    if not isinstance(translations, dict):
        return {"translations": _l("Give the texts per language.")}
    errors: dict[str, Any] = {}
    limits = {"title": MAX_LENGTHS["title"], "summary": MAX_LENGTHS["summary"],
              "description": DESCRIPTION_MAX}  # fmt: skip
    for language, texts in translations.items():
        if language not in LANGUAGES:
            errors[f"translations.{language}"] = _l("Choose French, Dutch or English.")
            continue
        for field, value in (texts or {}).items() if isinstance(texts, dict) else ():
            key = f"{field}.{language}"
            if field not in limits or not isinstance(value, str):
                errors[key] = _l("Give the texts per language.")
            elif len(value) > limits[field]:
                errors[key] = _l("At most %(n)d characters.", n=limits[field])
            elif inputs.bad_text(value, multiline=field == "description"):
                errors[key] = inputs.CONTROL_MESSAGE
    return errors


def _clean_translations(translations: dict | None, language: str) -> dict | None:
    """Without the main language (its texts are the columns) nor empty texts."""
    kept = {}
    for lang, texts in (translations or {}).items():
        texts = {f: v.strip() for f, v in (texts or {}).items() if v and v.strip()}
        if lang != language and texts:
            kept[lang] = texts
    return kept or None


def _swap_main_language(event: Event, fields: dict[str, Any]) -> None:
    """The event's language changes and no text comes with it: the texts already written in
    the new language become the main ones, the old main ones a translation. (With none in
    the new language the texts stay: they now count as written in it.)"""
    new = fields["language"]
    others = dict(event.translations or {})
    if new == event.language or not others.get(new) or any(
        f in fields for f in (*TEXT_FIELDS, "translations")
    ):
        return
    texts = event.texts_by_language()
    main = texts.pop(new)
    for field in TEXT_FIELDS:
        fields[field] = main.get(field)
    fields["translations"] = texts


def _keep_undecided_applications(event: Event, admission: Admission) -> None:
    """An event cannot open its registration to all while applications wait for a decision."""
    if admission == Admission.OPEN and event.admission == Admission.APPLICATION:
        waiting = db.session.scalar(sa.select(sa.func.count()).select_from(_REGISTRATION).where(
            _REGISTRATION.c.event_id == event.id, _REGISTRATION.c.status == "applied"))
        if waiting:
            raise ValidationFailed({"admission": _l(
                "%(n)d applications wait for a decision: decide on them first.", n=waiting)})


def _current_fields(event: Event) -> dict[str, Any]:
    return {field: getattr(event, field) for field in EDITABLE_FIELDS}


def _session_dicts(event: Event) -> list[dict]:
    return [
        {"id": s.id, "title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at,
         "venue": s.venue}
        for s in event.sessions
    ]  # fmt: skip


# ---------------------------------------------------------------- changes


def create_event(
    *,
    title: str,
    kind: EventKind,
    starts_at: datetime,
    ends_at: datetime,
    city: str,
    host: Organisation,
    co_organisers: Iterable[Organisation] = (),
    sessions: Iterable[tuple[str, datetime, datetime] | dict] = (),
    audiences: Iterable[Audience] = (),
    slug: str | None = None,
    status: EventStatus = EventStatus.DRAFT,
    user=None,
    api_token=None,
    actor: audit.Actor | None = None,
    **fields,
) -> Event:
    """A new event with its organisers and agenda. A partner's member or token proposes
    it: their platform is kept on the event (`proposed_by`), for the staff's review."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    sessions = [_as_session_dict(s) for s in sessions]
    fields.update(title=title, kind=kind, starts_at=starts_at, ends_at=ends_at, city=city)
    _validate(fields, sessions)
    if slug is None:
        slug = unique_slug(title, starts_at)
    elif db.session.scalar(sa.select(Event.id).where(Event.slug == slug)) is not None:
        raise Conflict(_l("The slug “%(slug)s” is already taken.", slug=slug), field="slug")
    fields["title"] = title.strip()
    fields["kind"] = EventKind(kind)
    if "translations" in fields:
        fields["translations"] = _clean_translations(
            fields["translations"], fields.get("language") or "fr"
        )
    fields["admission"] = Admission(fields.get("admission") or Admission.OPEN)
    event = Event(slug=slug, status=status, **fields)
    event.organisers.append(EventOrganiser(organisation=host, role=OrganiserRole.HOST))
    _set_co_organisers(event, co_organisers)
    event.proposed_by = _proposer(user, api_token, event.co_organisers)
    for session in sessions:
        event.sessions.append(_new_session(session))
    event.audiences.extend(sorted({Audience(a) for a in audiences}))
    db.session.add(event)
    db.session.flush()
    audit.record("created", event=event, changes={"status": [None, status.value]},
                 actor=audit.Actor.of(user, api_token, actor))  # fmt: skip
    return event


def _proposer(user, api_token, co_organisers: Iterable[Organisation]) -> Organisation | None:
    """The partner platform that proposes an event: its token's, or the one of its member's
    platforms that co-organises it (else their first). None for the centre's staff."""
    if api_token is not None:
        return None if api_token.organisation.is_centre else api_token.organisation
    if user is None or user.role is not None:
        return None
    theirs = [m.organisation for m in user.memberships if not m.organisation.is_centre]
    ids = {o.id for o in theirs}
    return next((o for o in co_organisers if o.id in ids), None) or min(
        theirs, key=lambda o: o.id, default=None)


def update_event(
    event: Event,
    *,
    sessions: Sequence[dict | tuple] | None = None,
    co_organisers: Iterable[Organisation] | None = None,
    audiences: Iterable[Audience] | None = None,
    user=None,
    api_token=None,
    actor: audit.Actor | None = None,
    **fields,
) -> dict[str, list]:
    """Change an event's fields; `sessions` (if given) is the whole new agenda: sessions with
    an "id" are updated in place (check-ins refer to them), missing ones are removed.
    Returns the changes, {field: [old, new]}."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_l("A cancelled event cannot be changed."), field="status")
    if "language" in fields:
        _swap_main_language(event, fields)
    before = _current_fields(event)
    after = {**before, **fields}
    new_sessions = [_as_session_dict(s) for s in sessions] if sessions is not None else None
    known_ids = {s.id for s in event.sessions}
    for i, s in enumerate(new_sessions or ()):
        if s.get("id") is not None and s["id"] not in known_ids:
            raise ValidationFailed({f"sessions.{i}.id": _l("This session is not part of the event.")})
    taken = seats_taken([event.id])[event.id] if event.id else 0
    _validate(after, new_sessions if new_sessions is not None else _session_dicts(event), taken)

    if "title" in fields:
        fields["title"] = fields["title"].strip()
    if "translations" in fields or "language" in fields:
        fields["translations"] = _clean_translations(
            fields.get("translations", event.translations), after["language"]
        )
    if "kind" in fields:
        fields["kind"] = EventKind(fields["kind"])
    if "admission" in fields:
        fields["admission"] = Admission(fields["admission"])
        _keep_undecided_applications(event, fields["admission"])
    for field, value in fields.items():
        setattr(event, field, value)
    changes = audit.diff(before, _current_fields(event))
    moved = any(field in changes for field in TIME_AND_PLACE_FIELDS)

    if new_sessions is not None:
        _keep_attended_sessions(event, {s.get("id") for s in new_sessions})
        old = _session_dicts(event)
        by_id = {s.id: s for s in event.sessions}
        keep = []
        for data in new_sessions:
            session = by_id.get(data.get("id")) if data.get("id") is not None else None
            if session is None:
                session = _new_session(data)
            else:
                session.title, session.venue = data["title"].strip(), data.get("venue")
                session.starts_at, session.ends_at = data["starts_at"], data["ends_at"]
            keep.append(session)
        event.sessions[:] = keep
        db.session.flush()
        new = _session_dicts(event)
        moved = moved or _times_and_places(old) != _times_and_places(new)
        if old != new:
            changes["sessions"] = [_plain_sessions(old), _plain_sessions(new)]
    if co_organisers is not None:
        old_names = sorted(o.slug for o in event.co_organisers)
        _set_co_organisers(event, co_organisers)
        new_names = sorted(o.slug for o in event.co_organisers)
        if old_names != new_names:
            changes["co_organisers"] = [old_names, new_names]
    if audiences is not None:
        old_audiences = sorted(a.value for a in event.audiences)
        wanted = sorted({Audience(a) for a in audiences})
        event.audience_rows[:] = [r for r in event.audience_rows if r.audience in wanted]
        have = set(event.audiences)
        event.audiences.extend(a for a in wanted if a not in have)
        if old_audiences != [a.value for a in wanted]:
            changes["audiences"] = [old_audiences, [a.value for a in wanted]]
    if changes:
        event.updated_at = utcnow()  # also when only its agenda, organisers or audiences changed
    if moved:
        event.sequence += 1
    db.session.flush()
    if changes:
        audit.record("updated", event=event, changes=changes,
                     actor=audit.Actor.of(user, api_token, actor))
        signals.event_updated.send(event, moved=moved, capacity_changed="capacity" in changes)
    return changes


def publish_event(event: Event, *, user=None, api_token=None, actor=None) -> None:
    if event.status == EventStatus.CANCELLED:
        raise Conflict(_l("A cancelled event cannot be published."), field="status")
    if event.status == EventStatus.PUBLISHED:
        return
    event.status = EventStatus.PUBLISHED
    audit.record("published", event=event, changes={"status": ["draft", "published"]},
                 actor=audit.Actor.of(user, api_token, actor))  # fmt: skip
    db.session.flush()


def cancel_event(event: Event, *, user=None, api_token=None, actor=None) -> None:
    """Cancelled events stay visible (marked cancelled) so that nobody travels for nothing."""
    if event.status == EventStatus.CANCELLED:
        return
    old = event.status.value
    event.status = EventStatus.CANCELLED
    event.cancelled_at = utcnow()
    event.sequence += 1
    audit.record("cancelled", event=event, changes={"status": [old, "cancelled"]},
                 actor=audit.Actor.of(user, api_token, actor))  # fmt: skip
    db.session.flush()
    signals.event_cancelled.send(event)


def duplicate_event(event: Event, starts_at: datetime, *, user=None) -> Event:
    """The next edition: same content, organisers and agenda shifted to a new start; a draft."""
    if starts_at.tzinfo is None:
        raise DomainError(_l("Give a date and time with its time zone."), field="starts_at")
    shift = _wall_clock_shift(event, starts_at)
    window = {
        field: (shift(getattr(event, field)) if getattr(event, field) else None)
        for field in ("registration_opens_at", "registration_closes_at", "applications_close_at")
    }
    copy = create_event(
        title=event.title,
        kind=event.kind,
        starts_at=starts_at,
        ends_at=shift(event.ends_at),
        city=event.city,
        host=event.host,
        co_organisers=event.co_organisers,
        sessions=[
            {"title": s.title, "starts_at": shift(s.starts_at), "ends_at": shift(s.ends_at),
             "venue": s.venue}
            for s in event.sessions
        ],  # fmt: skip
        audiences=event.audiences,
        status=EventStatus.DRAFT,
        user=user,
        summary=event.summary,
        description=event.description,
        venue=event.venue,
        address=event.address,
        timezone=event.timezone,
        capacity=event.capacity,
        language=event.language,
        translations=event.translations,
        admission=event.admission,
        **window,
    )
    signals.event_duplicated.send(event, copy=copy)  # its questions come along
    audit.record("duplicated", event=copy, changes={"from": [None, event.slug]},
                 actor=audit.Actor.of(user))
    return copy


def _wall_clock_shift(event: Event, starts_at: datetime):
    """Moves a time of the event as its start moves, on the clock of the event's zone: a
    09:30 session stays at 09:30 in Brussels when the new edition is across a change of
    summer time (a plain difference of instants would put it at 08:30 or 10:30)."""
    zone = event.zone
    delta = _wall(starts_at, zone) - _wall(event.starts_at, zone)

    def shift(moment: datetime) -> datetime:
        return (_wall(moment, zone) + delta).replace(tzinfo=zone).astimezone(moment.tzinfo)

    return shift


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def add_co_organiser(event: Event, organisation: Organisation, *, user=None) -> None:
    update_event(event, co_organisers=[*event.co_organisers, organisation], user=user)


def remove_co_organiser(event: Event, organisation: Organisation, *, user=None) -> None:
    update_event(
        event, co_organisers=[o for o in event.co_organisers if o.id != organisation.id], user=user
    )


def _plain_sessions(sessions: list[dict]) -> list[dict]:
    """Sessions as the audit log stores them: JSON, so times as ISO strings."""
    return [
        {k: v.isoformat() if isinstance(v, datetime) else v for k, v in s.items()}
        for s in sessions
    ]


def _as_session_dict(session: tuple | dict) -> dict:
    if isinstance(session, dict):
        return session
    title, starts_at, ends_at = session
    return {"title": title, "starts_at": starts_at, "ends_at": ends_at}


def _times_and_places(sessions: list[dict]) -> list[tuple]:
    return [(s["id"], s["starts_at"], s["ends_at"], s["venue"]) for s in sessions]


# Check-ins are kept by the check-in domain, above this one: named by table, not imported.
_CHECK_IN = sa.table("check_in", sa.column("session_id"))


def _keep_attended_sessions(event: Event, kept_ids: set) -> None:
    """Attendance is append-only: a session that has check-ins stays in the agenda (it may be
    renamed or have its times corrected within the event), whatever a client sends."""
    dropped = {s.id: s for s in event.sessions if s.id is not None and s.id not in kept_ids}
    if not dropped:
        return
    attended = db.session.scalars(
        sa.select(_CHECK_IN.c.session_id).where(_CHECK_IN.c.session_id.in_(dropped)).distinct()
    ).all()
    if attended:
        titles = ", ".join(sorted(dropped[i].title for i in attended))
        raise Conflict(
            _l("People were checked in at “%(title)s”: that session cannot be removed; "
               "correct its title or times instead.", title=titles),
            field="sessions",
        )  # fmt: skip


def _new_session(data: dict) -> EventSession:
    return EventSession(
        title=data["title"].strip(),
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        venue=data.get("venue"),
    )


def _set_co_organisers(event: Event, organisations: Iterable[Organisation]) -> None:
    host = event.host
    wanted = {o.id: o for o in organisations if host is None or o.id != host.id}
    event.organisers[:] = [
        eo
        for eo in event.organisers
        if eo.role == OrganiserRole.HOST or eo.organisation_id in wanted
    ]
    present = {eo.organisation.id for eo in event.organisers}
    for org_id, org in wanted.items():
        if org_id not in present:
            event.organisers.append(
                EventOrganiser(organisation=org, role=OrganiserRole.CO_ORGANISER)
            )


