"""Every change to an event, its agenda and organisers: create, update, publish, cancel, copy.

Views, the partner API, the CLI and the demo data all go through these functions. They
flush; the caller commits. Every change is written to the audit log.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify

from boostcamp.audit import services as audit
from boostcamp.core.texts import clean_translations
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, DomainError, ValidationFailed
from boostcamp.events import signals
from boostcamp.events.availability import REGISTRATION_TABLE, seats_taken
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
from boostcamp.events.rules import EDITABLE_FIELDS, TEXT_FIELDS, validate
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation


# A change to one of these (or to a session's times or venue) raises the event's SEQUENCE,
# so that calendar clients replace their copy.
TIME_AND_PLACE_FIELDS = ("starts_at", "ends_at", "timezone", "venue", "address", "city")


def unique_slug(title: str, starts_at: datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m}", max_length=100) or "event"
    slug, n = base, 2
    while db.session.scalar(sa.select(Event.id).where(Event.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


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


def _swap_session_titles(event: Event, language: str) -> None:
    """The event's language changes and its agenda does not come with the change: each
    session titled in the new language gets that title as its main one (the old one becomes
    a translation); the others keep theirs, now counted as written in the new language."""
    for session in event.sessions:
        texts = session.texts_by_language()
        if language == event.language or not texts.get(language):
            continue
        session.title = texts.pop(language)["title"]
        session.translations = clean_translations(texts, language)


def _keep_undecided_applications(event: Event, admission: Admission) -> None:
    """An event cannot open its registration to all while applications wait for a decision."""
    if admission == Admission.OPEN and event.admission == Admission.APPLICATION:
        table = REGISTRATION_TABLE
        waiting = db.session.scalar(sa.select(sa.func.count()).select_from(table).where(
            table.c.event_id == event.id, table.c.status == "applied"))
        if waiting:
            raise ValidationFailed({"admission": _l(
                "%(n)d applications wait for a decision: decide on them first.", n=waiting)})


def _current_fields(event: Event) -> dict[str, Any]:
    return {field: getattr(event, field) for field in EDITABLE_FIELDS}


def _session_dicts(event: Event) -> list[dict]:
    return [
        {"id": s.id, "title": s.title, "translations": s.translations,
         "starts_at": s.starts_at, "ends_at": s.ends_at, "venue": s.venue}
        for s in event.sessions
    ]  # fmt: skip


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
    validate(fields, sessions)
    if slug is None:
        slug = unique_slug(title, starts_at)
    elif db.session.scalar(sa.select(Event.id).where(Event.slug == slug)) is not None:
        raise Conflict(_l("The slug “%(slug)s” is already taken.", slug=slug), field="slug")
    fields["title"] = title.strip()
    fields["kind"] = EventKind(kind)
    if "translations" in fields:
        fields["translations"] = clean_translations(
            fields["translations"], fields.get("language") or "fr"
        )
    fields["admission"] = Admission(fields.get("admission") or Admission.OPEN)
    event = Event(slug=slug, status=status, **fields)
    event.organisers.append(EventOrganiser(organisation=host, role=OrganiserRole.HOST))
    _set_co_organisers(event, co_organisers)
    event.proposed_by = _proposer(user, api_token, event.co_organisers)
    for session in sessions:
        event.sessions.append(_new_session(session, fields.get("language") or "fr"))
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
        if sessions is None:
            _swap_session_titles(event, fields["language"])
    before = _current_fields(event)
    after = {**before, **fields}
    new_sessions = [_as_session_dict(s) for s in sessions] if sessions is not None else None
    known_ids = {s.id for s in event.sessions}
    for i, s in enumerate(new_sessions or ()):
        if s.get("id") is not None and s["id"] not in known_ids:
            raise ValidationFailed({f"sessions.{i}.id": _l("This session is not part of the event.")})
    taken = seats_taken([event.id])[event.id] if event.id else 0
    validate(after, new_sessions if new_sessions is not None else _session_dicts(event), taken)

    if "title" in fields:
        fields["title"] = fields["title"].strip()
    if "translations" in fields or "language" in fields:
        fields["translations"] = clean_translations(
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
                session = _new_session(data, event.language)
            else:
                session.title, session.venue = data["title"].strip(), data.get("venue")
                session.translations = clean_translations(data.get("translations"),
                                                          event.language)  # fmt: skip
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
            {"title": s.title, "translations": s.translations, "starts_at": shift(s.starts_at),
             "ends_at": shift(s.ends_at), "venue": s.venue}
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


def _new_session(data: dict, language: str) -> EventSession:
    """A session of an event written in `language` (its title's; the others' in
    `translations`)."""
    return EventSession(
        title=data["title"].strip(),
        translations=clean_translations(data.get("translations"), language),
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
