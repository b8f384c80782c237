"""Check-in operations: shared by the check-in screen, its offline sync, the API and the CLI.

A scan is answered from the ticket's registration, under that registration's lock, so two
devices scanning the same person at the same instant write one attendance and one
duplicate. Every write carries the device's nonce: the same nonce again writes nothing and
answers as the first time did, so an offline queue may upload twice.

Refused scans (unknown ticket, another event's ticket, cancelled, waiting list) write no
row: there is no attendance to keep, and the device shows the answer at once. A second
upload of such a scan is asked again and gets the same answer (unless the registration
changed meanwhile, in which case the new answer is the right one).
"""

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, contains_eager, joinedload

from boostcamp.api.models import ApiToken
from boostcamp.auth.models import User
from boostcamp.audit import services as audit
from boostcamp.auth.permissions import Action, can, knows_person
from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
from boostcamp.db import lock_row, utcnow
from boostcamp.errors import Conflict, NotFound, ValidationFailed
from boostcamp.events.models import Event, EventSession
from boostcamp.events.services import HOLDING
from boostcamp.extensions import db
from boostcamp.registrations import services as registrations
from boostcamp.registrations.models import (
    EventQuestion,
    Person,
    Registration,
    RegistrationAnswer,
    RegistrationSource,
    RegistrationStatus,
)

Actor = User | ApiToken
NONCE_MAX = 64
SEARCH_MAX_WORDS = 6
# A change is stamped with the app's clock before its transaction commits (a scan may wait
# on a lock), and app servers' clocks differ a little: "changed since" also sends again
# what changed shortly before, which the device merges harmlessly.
CHANGES_OVERLAP = timedelta(minutes=2)
TICKET_NOISE = re.compile(r"[\s\-_.]+")


class ScanResult(enum.StrEnum):
    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    UNKNOWN_TICKET = "unknown_ticket"
    CANCELLED = "cancelled"
    WAITLISTED = "waitlisted"  # on the waiting list, or offered a seat not taken yet
    WRONG_EVENT = "wrong_event"


NOBODY = (None, None, None)  # registration, check_in, first
REFUSED = {
    RegistrationStatus.CANCELLED: ScanResult.CANCELLED,
    RegistrationStatus.WAITLISTED: ScanResult.WAITLISTED,
    RegistrationStatus.OFFERED: ScanResult.WAITLISTED,
    RegistrationStatus.APPLIED: ScanResult.WAITLISTED,  # not admitted (yet): no seat
    RegistrationStatus.REJECTED: ScanResult.CANCELLED,
}


@dataclass
class CheckInOutcome:
    result: ScanResult
    # None for an unknown ticket and for another event's: never reveal that event's person.
    registration: Registration | None
    # The row written (or the earlier one when the nonce was replayed); None when none was.
    check_in: CheckIn | None
    first: CheckIn | None  # already_checked_in: the standing attendance (when, by whom)
    replayed: bool = False  # the same nonce came again: nothing written


def normalise_ticket(ticket: str) -> str:
    """A code as typed at the door: "abcd-efgh jkmn " → "ABCDEFGHJKMN"."""
    return TICKET_NOISE.sub("", unicodedata.normalize("NFKC", ticket or "")).upper()


# ---------------------------------------------------------------- sessions


def choose_session(
    event: Event, session_id: int | None = None, now: datetime | None = None
) -> EventSession | None:
    """The session a scan counts for. `session_id` given: that session of this event
    (NotFound otherwise). Else the one running at `now`, or the next one that day, or the
    last one that day (a latecomer after the day's last session), else the first. None for
    an event without agenda (and a session_id then is NotFound)."""
    sessions = sorted(event.sessions, key=lambda s: (s.starts_at, s.id))
    if session_id is not None:
        for session in sessions:
            if session.id == session_id:
                return session
        raise NotFound(_l("This session is not part of the event."), field="session")
    if not sessions:
        return None
    now = now or utcnow()
    zone = ZoneInfo(event.timezone)
    today = now.astimezone(zone).date()
    same_day = [s for s in sessions if s.starts_at.astimezone(zone).date() == today]
    for session in sessions:
        if session.starts_at <= now < session.ends_at:
            return session
    for session in same_day:
        if session.starts_at > now:
            return session
    return same_day[-1] if same_day else sessions[0]


def _session_for(event: Event, session: EventSession | None, now: datetime) -> EventSession | None:
    if session is None:
        return choose_session(event, now=now)
    if session.event_id != event.id:
        raise NotFound(_l("This session is not part of the event."), field="session")
    return session


# ---------------------------------------------------------------- scanning


def check_in(
    event: Event,
    *,
    nonce: str,
    actor: Actor,
    method: CheckInMethod,
    ticket: str | None = None,
    registration: Registration | None = None,
    session: EventSession | None = None,
    scanned_at: datetime | None = None,
    device: str | None = None,
    now: datetime | None = None,
) -> CheckInOutcome:
    """Someone came in: by their ticket code (scanned or typed) or their registration
    (found by name). `session` None: the one choose_session picks at the scan's time.
    `scanned_at` is the device's clock (an offline scan keeps its real time)."""
    now = now or utcnow()
    scanned_at = scanned_at or now
    _check_nonce(nonce)
    _while_on(event, actor, scanned_at, now)
    if registration is None:
        code = normalise_ticket(ticket or "")
        registration = db.session.scalar(_by_ticket(), {"code": code}) if code else None
        if registration is None:
            return _replayed_or(event, nonce, CheckInOutcome(ScanResult.UNKNOWN_TICKET, *NOBODY))
    if registration.event_id != event.id:
        return _replayed_or(event, nonce, CheckInOutcome(ScanResult.WRONG_EVENT, *NOBODY))
    session = _session_for(event, session, scanned_at)
    session_id = session.id if session is not None else None

    # Under the lock the registration is current: PostgreSQL reloads it, and SQLite only
    # grants the write lock to a transaction that has seen the latest data (or, after
    # lock_row's rollback, it is expired and reloads).
    lock_row(Registration, registration.id)
    earlier = _by_nonce(nonce)  # checked under the lock: the same upload twice at once
    if earlier is not None:
        return _replayed(event, earlier)
    if registration.status in REFUSED:
        return CheckInOutcome(REFUSED[registration.status], registration, None, None)
    first = standing(registration.id, session_id)
    row = CheckIn(
        nonce=nonce,
        kind=CheckInKind.ENTRY,
        counted=first is None,
        registration_id=registration.id,
        session_id=session_id,
        method=method,
        scanned_at=scanned_at,
        received_at=now,
        device=(device or "").strip()[:100] or None,
        **_by_actor(actor),
    )
    row = _insert(row)
    if row.registration_id != registration.id or row.kind != CheckInKind.ENTRY:
        raise Conflict(_l("This nonce was used for another scan."), field="nonce")
    result = ScanResult.OK if row.counted else ScanResult.ALREADY_CHECKED_IN
    return CheckInOutcome(result, registration, row, first)


def undo_check_in(
    row: CheckIn,
    *,
    nonce: str,
    actor: Actor,
    device: str | None = None,
    now: datetime | None = None,
) -> CheckIn:
    """Take back an attendance (scanned the wrong person): an undo row points at the entry,
    and the person may be checked in again. Only a counted entry can be undone, once; the
    same nonce again returns the undo already written."""
    now = now or utcnow()
    _check_nonce(nonce)
    earlier = _by_nonce(nonce)
    if earlier is not None and earlier.undoes_id == row.id:
        return earlier
    if earlier is not None:
        raise Conflict(_l("This nonce was used for another scan."), field="nonce")
    _while_on(row.registration.event, actor, now, now)
    if row.kind != CheckInKind.ENTRY or not row.counted:
        raise Conflict(_l("Only an attendance can be undone, not a duplicate scan."))
    lock_row(Registration, row.registration_id)  # the row itself never changes
    earlier = _by_nonce(nonce)
    if earlier is not None and earlier.undoes_id == row.id:
        return earlier
    if db.session.scalar(sa.select(CheckIn.id).where(CheckIn.undoes_id == row.id)):
        raise Conflict(_l("This check-in was undone already."))
    undo = CheckIn(
        nonce=nonce,
        kind=CheckInKind.UNDO,
        counted=True,
        registration_id=row.registration_id,
        session_id=row.session_id,
        undoes_id=row.id,
        method=row.method,
        scanned_at=now,
        received_at=now,
        device=(device or "").strip()[:100] or None,
        **_by_actor(actor),
    )
    undo = _insert(undo)
    if undo.undoes_id != row.id:
        raise Conflict(_l("This nonce was used for another scan."), field="nonce")
    return undo


def walk_in(
    event: Event,
    sign_up: registrations.SignUp,
    *,
    nonce: str,
    actor: Actor,
    session: EventSession | None = None,
    scanned_at: datetime | None = None,
    device: str | None = None,
    now: datetime | None = None,
) -> CheckInOutcome:
    """Someone without a registration at the door: registered (confirmed even when the
    event is full, source WALK_IN) and checked in, in one step. Someone registered already
    is checked in on their registration (given a seat if they were waiting). `scanned_at`:
    when the device registered them (one kept offline comes in at its real time).
    Raises ValidationFailed on the sign-up's fields, Conflict when the event is not on."""
    now = now or utcnow()
    _check_nonce(nonce)
    earlier = _by_nonce(nonce)
    if earlier is not None:
        return _replayed(event, earlier)
    _while_on(event, actor, scanned_at or now, now)
    sign_up.known_to_caller = knows_person(actor, sign_up.email, Action.CHECK_IN)
    registration = registrations.register_walk_in(event, sign_up, now=now)
    return check_in(
        event, nonce=nonce, actor=actor, method=CheckInMethod.WALK_IN,
        registration=registration, session=session, scanned_at=scanned_at, device=device,
        now=now,
    )  # fmt: skip


CLOCK_SKEW = timedelta(minutes=10)  # a device's clock a little ahead of the server's


def attendance_window(event: Event) -> tuple[datetime, datetime]:
    config = current_app.config
    return (event.starts_at - timedelta(hours=config["ATTENDANCE_OPENS_HOURS"]),
            event.ends_at + timedelta(hours=config["ATTENDANCE_GRACE_HOURS"]))  # fmt: skip


def _while_on(event: Event, actor: Actor, scanned_at: datetime, now: datetime) -> None:
    """Attendance credits start-ups and certificates to the event's organisers: a partner
    records it only while the event is on, for a moment when it was on. Centre staff may
    correct the past; such a correction goes into the event's history."""
    if current_app.config["ATTENDANCE_OPENS_HOURS"] is None:
        return
    opens, closes = attendance_window(event)
    on = opens <= now <= closes and opens <= scanned_at <= min(closes, now + CLOCK_SKEW)
    if on:
        return
    if not can(actor, Action.RECORD_PAST_ATTENDANCE):
        config = current_app.config
        raise ValidationFailed({"scanned_at": _l(
            "Attendance is recorded while the event is on: from %(before)d hours before it "
            "starts to %(after)d hours after it ends, for a time within it.",
            before=config["ATTENDANCE_OPENS_HOURS"], after=config["ATTENDANCE_GRACE_HOURS"],
        )})  # fmt: skip
    audit.record("attendance_corrected", event=event,
                 changes={"scanned_at": [None, scanned_at.isoformat()]},
                 **({"api_token": actor} if isinstance(actor, ApiToken) else {"user": actor}))  # fmt: skip


def standing(registration_id: int, session_id: int | None) -> CheckIn | None:
    """The attendance that stands for this person in this session (its first counted entry
    that no undo took back), or None."""
    return db.session.scalar(
        _standing_query(session_id is None),
        {"registration_id": registration_id, "session_id": session_id},
    )


@functools.cache
def _standing_query(without_session: bool) -> sa.Select:
    undo = aliased(CheckIn)
    session_id = sa.bindparam("session_id", type_=sa.Integer)
    return (
        sa.select(CheckIn)
        .where(
            CheckIn.registration_id == sa.bindparam("registration_id"),
            CheckIn.session_id.is_(None) if without_session else CheckIn.session_id == session_id,
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.counted.is_(True),
            ~sa.exists().where(undo.undoes_id == CheckIn.id),
        )
        .order_by(CheckIn.id)
        .limit(1)
    )


def _in_session(column, session_id: int | None) -> sa.ColumnElement[bool]:
    return column.is_(None) if session_id is None else column == session_id


def _check_nonce(nonce: str) -> None:
    if not isinstance(nonce, str) or not nonce.strip():
        raise ValidationFailed({"nonce": _l("Give the scan's nonce.")})
    if len(nonce) > NONCE_MAX:
        raise ValidationFailed({"nonce": _l("At most %(n)d characters.", n=NONCE_MAX)})


@functools.cache
def _by_ticket() -> sa.Select:
    # Built once: a scan is the door's hot path.
    return (
        sa.select(Registration)
        .where(Registration.ticket_code == sa.bindparam("code"))
        .options(joinedload(Registration.person))
    )


@functools.cache
def _nonce_query() -> sa.Select:
    return sa.select(CheckIn).where(CheckIn.nonce == sa.bindparam("nonce"))


def _by_nonce(nonce: str) -> CheckIn | None:
    return db.session.scalar(_nonce_query(), {"nonce": nonce})


def _replayed_or(event: Event, nonce: str, outcome: CheckInOutcome) -> CheckInOutcome:
    """A refused scan writes nothing, but its nonce may be an earlier scan's (a device
    that sends a retried upload with the wrong ticket has a bug: it gets that scan)."""
    earlier = _by_nonce(nonce)
    return _replayed(event, earlier) if earlier is not None else outcome


def _replayed(event: Event, row: CheckIn) -> CheckInOutcome:
    """The answer the first upload of this nonce got. A nonce of an undo, or of a scan at
    another event, is a device's bug: refused, and that event's person never shown."""
    registration = db.session.get(Registration, row.registration_id)
    if row.kind != CheckInKind.ENTRY or registration is None or registration.event_id != event.id:
        raise Conflict(_l("This nonce was used for another scan."), field="nonce")
    if row.counted:
        return CheckInOutcome(ScanResult.OK, registration, row, None, replayed=True)
    first = standing(row.registration_id, row.session_id) or _first_entry(row)
    return CheckInOutcome(ScanResult.ALREADY_CHECKED_IN, registration, row, first, replayed=True)


def _first_entry(row: CheckIn) -> CheckIn | None:
    return db.session.scalar(
        sa.select(CheckIn)
        .where(CheckIn.registration_id == row.registration_id,
               _in_session(CheckIn.session_id, row.session_id),
               CheckIn.kind == CheckInKind.ENTRY, CheckIn.counted.is_(True), CheckIn.id < row.id)
        .order_by(CheckIn.id.desc())
        .limit(1)
    )  # fmt: skip


def _insert(row: CheckIn) -> CheckIn:
    """Adds the row; if its nonce (or its undone entry) was taken meanwhile by another
    scan of another person (the lock is per person), returns the row that won."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except sa.exc.IntegrityError:
        winner = _by_nonce(row.nonce)
        if winner is None and row.undoes_id is not None:
            raise Conflict(_l("This check-in was undone already.")) from None
        if winner is None:
            raise
        return winner
    return row


def _by_actor(actor: Actor) -> dict:
    if isinstance(actor, ApiToken):
        return {"api_token_id": actor.id, "user_id": None}
    return {"user_id": actor.id, "api_token_id": None}


# ---------------------------------------------------------------- the device's list


def checkin_list(
    event: Event, session: EventSession | None, since: datetime | None = None
) -> list[dict]:
    """Everyone the door may meet, for the device to answer offline: every registration,
    cancelled ones included (so a cancelled ticket says so), by last name. With `since`,
    only those whose registration, person or check-ins changed after it (and a little
    before: see CHANGES_OVERLAP)."""
    statement = _registrations(event)
    if since is not None:
        after = since - CHANGES_OVERLAP
        statement = statement.where(
            sa.or_(
                Registration.updated_at >= after,
                Person.updated_at >= after,
                sa.exists().where(
                    CheckIn.registration_id == Registration.id, CheckIn.received_at >= after
                ),
            )
        )
    return _cards(event, session, statement)


def search(event: Event, query: str, session: EventSession | None, limit: int = 20) -> list[dict]:
    """As the staff type: every word in the name, e-mail, organisation or ticket code,
    whatever the case and accents; a ticket code also with its dashes. Cancelled
    registrations last. Reads Registration.search_text (one folded column: fast with
    thousands registered), or for a row without it, the columns themselves."""
    words = " ".join((query or "").split()).split()[:SEARCH_MAX_WORDS]
    if not words:
        return []
    by_words = registrations.search_condition(words)
    code = normalise_ticket(query)
    condition = by_words
    if len(code) >= 4 and code.isalnum():
        condition = sa.or_(by_words, Registration.ticket_code.contains(code, autoescape=True))
    # By search_text (last name first, folded): the first matches can be picked before the
    # people are joined. Rows without it (bulk) come last.
    statement = (
        _registrations(event, ordered=False)
        .where(condition)
        .order_by(_cancelled_last(), Registration.search_text.is_(None),
                  Registration.search_text, Registration.id)
        .limit(limit)
    )  # fmt: skip
    return _cards(event, session, statement)


def person_card(event: Event, registration: Registration, session: EventSession | None) -> dict:
    """One registration's card, its attendance in this session looked up."""
    statement = _registrations(event).where(Registration.id == registration.id)
    return _cards(event, session, statement)[0]


def scan_card(event: Event, outcome: CheckInOutcome) -> dict | None:
    """The card of the person a scan found (None when it found nobody of this event), with
    the attendance the scan made or met: what the door shows after a scan, in one query."""
    registration = outcome.registration
    if registration is None:
        return None
    answers = _answers_at_checkin(event, [registration.id]).get(registration.id, [])
    row = outcome.first
    if row is None and outcome.result == ScanResult.OK and outcome.check_in is not None:
        row = outcome.check_in if outcome.check_in.kind == CheckInKind.ENTRY else None
    attendance = (row.scanned_at, checked_in_by(row)) if row is not None else None
    return card(registration, answers, attendance, ZoneInfo(event.timezone))


def checked_in_by(row: CheckIn) -> str | None:
    """The name of the staff member or API token that wrote the row."""
    if row.user_id is not None:
        user = db.session.get(User, row.user_id)
        return user.name if user else None
    if row.api_token_id is not None:
        token = db.session.get(ApiToken, row.api_token_id)
        return token.name if token else None
    return None


def _cancelled_last() -> sa.ColumnElement[int]:
    return sa.case((Registration.status == RegistrationStatus.CANCELLED, 1), else_=0)


def _registrations(event: Event, ordered: bool = True) -> sa.Select:
    statement = (
        sa.select(Registration)
        .join(Registration.person)
        .where(Registration.event_id == event.id)
        .options(contains_eager(Registration.person))
    )
    if ordered:
        statement = statement.order_by(
            _cancelled_last(), Person.last_name, Person.first_name, Registration.id
        )
    return statement


def _cards(event: Event, session: EventSession | None, statement: sa.Select) -> list[dict]:
    """The registrations as the check-in card shows them, in four queries however many."""
    found = list(db.session.scalars(statement))
    if not found:
        return []
    ids = [r.id for r in found]
    answers = _answers_at_checkin(event, ids)
    attended = _standing_attendance(ids, session)
    zone = ZoneInfo(event.timezone)
    return [card(r, answers.get(r.id, []), attended.get(r.id), zone) for r in found]


def card(
    registration: Registration,
    answers: list[dict],
    attendance: tuple[datetime, str | None] | None,
    zone: ZoneInfo,
) -> dict:
    """One registration, JSON-ready, as the check-in screen and the API show it; the time
    they came in is ISO 8601 in the event's zone."""
    came_at, came_by = attendance or (None, None)
    return {
        "registration_id": registration.id,
        "ticket": registration.ticket_code,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.person.email,
        "organisation": registration.organisation_name,
        "status": registration.status.value,
        "walk_in": registration.source == RegistrationSource.WALK_IN,
        "note": registration.note,
        "answers": answers,
        "checked_in_at": came_at.astimezone(zone).isoformat() if came_at else None,
        "checked_in_by": came_by,
    }


def _answers_at_checkin(event: Event, registration_ids: list[int]) -> dict[int, list[dict]]:
    rows = db.session.execute(_answers_query(), {"event_id": event.id, "ids": registration_ids})
    answers: dict[int, list[dict]] = {}
    for registration_id, label, value in rows:
        answers.setdefault(registration_id, []).append(
            {"label": label, "value": answer_text(value)}
        )
    return answers


@functools.cache
def _answers_query() -> sa.Select:
    return (
        sa.select(RegistrationAnswer.registration_id, EventQuestion.label, RegistrationAnswer.value)
        .join(EventQuestion, EventQuestion.id == RegistrationAnswer.question_id)
        .where(EventQuestion.event_id == sa.bindparam("event_id"),
               EventQuestion.show_at_checkin.is_(True),
               RegistrationAnswer.registration_id.in_(sa.bindparam("ids", expanding=True)))
        .order_by(RegistrationAnswer.registration_id, EventQuestion.position, EventQuestion.id)
    )  # fmt: skip


def answer_text(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _standing_attendance(
    registration_ids: list[int], session: EventSession | None
) -> dict[int, tuple[datetime, str | None]]:
    """Registration id → (when they came in to this session, who checked them in)."""
    rows = db.session.execute(
        _standing_attendance_query(session is None),
        {"ids": registration_ids, "session_id": session.id if session else None},
    )
    return {registration_id: (at, user_name or token_name)
            for registration_id, at, user_name, token_name in rows}  # fmt: skip


@functools.cache
def _standing_attendance_query(without_session: bool) -> sa.Select:
    undo = aliased(CheckIn)
    session_id = sa.bindparam("session_id", type_=sa.Integer)
    return (
        sa.select(CheckIn.registration_id, CheckIn.scanned_at, User.name, ApiToken.name)
        .outerjoin(User, User.id == CheckIn.user_id)
        .outerjoin(ApiToken, ApiToken.id == CheckIn.api_token_id)
        .where(
            CheckIn.registration_id.in_(sa.bindparam("ids", expanding=True)),
            CheckIn.session_id.is_(None) if without_session else CheckIn.session_id == session_id,
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.counted.is_(True),
            ~sa.exists().where(undo.undoes_id == CheckIn.id),
        )
        .order_by(CheckIn.id.desc())  # the first one wins below
    )


def counters(event: Event, session: EventSession | None) -> dict:
    """{"checked_in": people in this session, "expected": those holding a seat}, in one
    query."""
    row = db.session.execute(
        _counters_query(session is None),
        {"event_id": event.id, "session_id": session.id if session else None},
    ).one()
    return {"checked_in": row.checked_in, "expected": row.expected}


@functools.cache
def _counters_query(without_session: bool) -> sa.Select:
    event_id = sa.bindparam("event_id", type_=sa.Integer)
    session_id = sa.bindparam("session_id", type_=sa.Integer)
    attended = attendance_query().subquery()
    checked_in = (
        sa.select(sa.func.count(sa.distinct(attended.c.registration_id)))
        .join(Registration, Registration.id == attended.c.registration_id)
        .where(
            Registration.event_id == event_id,
            attended.c.session_id.is_(None) if without_session
            else attended.c.session_id == session_id,
        )
    )  # fmt: skip
    expected = sa.select(sa.func.count(Registration.id)).where(
        Registration.event_id == event_id, Registration.status.in_(HOLDING)
    )
    return sa.select(
        checked_in.scalar_subquery().label("checked_in"),
        expected.scalar_subquery().label("expected"),
    )


# ---------------------------------------------------------------- attendance


def attendance_query() -> sa.Select:
    """(registration_id, session_id) of every attendance that stands: a counted entry that no
    undo took back. session_id is None for an event without an agenda. Reports, attendance
    lists and the outcomes' attribution rule all count from here."""
    undo = aliased(CheckIn)
    return sa.select(CheckIn.registration_id, CheckIn.session_id).where(
        CheckIn.kind == CheckInKind.ENTRY,
        CheckIn.counted.is_(True),
        ~sa.exists().where(undo.undoes_id == CheckIn.id),
    )


def attendance_rates(event: Event) -> dict[int, float]:
    """Each registration's share of the event's sessions attended (0.0–1.0), for those who
    came at least once. An event without an agenda counts as one session."""
    total = len(event.sessions) or 1
    attended = attendance_query().subquery()
    sessions_attended = sa.func.count(sa.distinct(sa.func.coalesce(attended.c.session_id, 0)))
    rows = db.session.execute(
        sa.select(Registration.id, sessions_attended)
        .join(attended, attended.c.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
        .group_by(Registration.id)
    ).all()
    return {registration_id: min(n / total, 1.0) for registration_id, n in rows}


def _attended_in(session: EventSession | None) -> sa.Select:
    """Ids of the registrations with an attendance standing in this session."""
    attended = attendance_query().subquery()
    return sa.select(attended.c.registration_id).where(
        _in_session(attended.c.session_id, session.id if session else None)
    )


def attendance_people(
    event: Event, session: EventSession | None, came: bool | None = None,
    any_session: bool = False,
) -> sa.Select:  # fmt: skip
    """Who was expected in this session (confirmed) or came anyway, by last name; `came`
    True/False keeps those who came / did not; `any_session`: who came to any session.
    A select of registrations, their person loaded."""
    if any_session:
        attended = sa.select(attendance_query().subquery().c.registration_id)
    else:
        attended = _attended_in(session)
    statement = (
        sa.select(Registration)
        .join(Registration.person)
        .where(
            Registration.event_id == event.id,
            sa.or_(Registration.status == RegistrationStatus.CONFIRMED,
                   Registration.id.in_(attended)),
        )
        .order_by(Person.last_name, Person.first_name, Registration.id)
        .options(contains_eager(Registration.person))
    )  # fmt: skip
    if came is True:
        statement = statement.where(Registration.id.in_(attended))
    elif came is False:
        statement = statement.where(Registration.id.not_in(attended))
    return statement


def attendance_times(
    registration_ids: list[int], session: EventSession | None
) -> dict[int, tuple[datetime, str | None]]:
    """Registration id → (when they came in, who checked them in), for those of
    `registration_ids` who came to this session."""
    return _standing_attendance(registration_ids, session)


def attendance_grid(event: Event) -> dict[tuple[int, int | None], datetime]:
    """(registration id, session id) → when they came in, for the whole event at once."""
    undo = aliased(CheckIn)
    rows = db.session.execute(
        sa.select(CheckIn.registration_id, CheckIn.session_id, sa.func.min(CheckIn.scanned_at))
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(
            Registration.event_id == event.id,
            CheckIn.kind == CheckInKind.ENTRY,
            CheckIn.counted.is_(True),
            ~sa.exists().where(undo.undoes_id == CheckIn.id),
        )
        .group_by(CheckIn.registration_id, CheckIn.session_id)
    )
    return {(registration_id, session_id): at for registration_id, session_id, at in rows}


def attendance_summary(event: Event) -> list[dict]:
    """Per session (one line for an event without agenda): who was expected (confirmed),
    who came, who did not and the no-show rate (of those expected, the share who did not
    come; None when nobody was expected). Two queries."""
    sessions = sorted(event.sessions, key=lambda s: (s.starts_at, s.id)) or [None]
    attended = attendance_query().subquery()
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    rows = db.session.execute(
        sa.select(attended.c.session_id, sa.func.count(sa.distinct(Registration.id)),
                  sa.func.count(sa.distinct(sa.case((confirmed, Registration.id)))))
        .join(Registration, Registration.id == attended.c.registration_id)
        .where(Registration.event_id == event.id)
        .group_by(attended.c.session_id)
    ).all()  # fmt: skip
    came = {session_id: (n, expected_came) for session_id, n, expected_came in rows}
    expected = db.session.scalar(
        sa.select(sa.func.count()).where(Registration.event_id == event.id, confirmed)
    )
    summary = []
    for session in sessions:
        n, expected_came = came.get(session.id if session else None, (0, 0))
        absent = expected - expected_came
        summary.append({
            "session": session, "expected": expected, "came": n, "absent": absent,
            "no_show_rate": absent / expected if expected else None,
        })  # fmt: skip
    return summary
