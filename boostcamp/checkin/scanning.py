"""Scanning at the door: a ticket (scanned or typed) or a registration found by name checks
someone in, and a wrong check-in is undone. Shared by the check-in screen, its offline sync,
the API and the CLI (walk-ins: checkin.walk_ins; the lists the door reads: checkin.cards).

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

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, joinedload

from boostcamp.auth.models import ApiToken, User
from boostcamp.audit import services as audit
from boostcamp.checkin.attendance import in_session, sessions_in_order
from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
from boostcamp.core.policy import Action, can
from boostcamp.core.db import lock_row, utcnow
from boostcamp.core.errors import Conflict, NotFound, ValidationFailed
from boostcamp.events.models import Event, EventSession
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration, RegistrationStatus

Actor = User | ApiToken
# The limits of a scan, for every channel (the screen, the API): the columns' own, and a
# ticket as typed or scanned (spaces and dashes included).
NONCE_MAX = CheckIn.__table__.c.nonce.type.length
DEVICE_MAX = CheckIn.__table__.c.device.type.length
TICKET_MAX = 64
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
    sessions = sessions_in_order(event)
    if session_id is not None:
        for session in sessions:
            if session.id == session_id:
                return session
        raise NotFound(_l("This session is not part of the event."), field="session")
    if not sessions:
        return None
    now = now or utcnow()
    zone = event.zone
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
    check_nonce(nonce)
    require_event_on(event, actor, scanned_at, now)
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
    earlier = by_nonce(nonce)  # checked under the lock: the same upload twice at once
    if earlier is not None:
        return replayed_outcome(event, earlier)
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
        device=(device or "").strip()[:DEVICE_MAX] or None,
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
    check_nonce(nonce)
    earlier = by_nonce(nonce)
    if earlier is not None and earlier.undoes_id == row.id:
        return earlier
    if earlier is not None:
        raise Conflict(_l("This nonce was used for another scan."), field="nonce")
    require_event_on(row.registration.event, actor, now, now)
    if row.kind != CheckInKind.ENTRY or not row.counted:
        raise Conflict(_l("Only an attendance can be undone, not a duplicate scan."))
    lock_row(Registration, row.registration_id)  # the row itself never changes
    earlier = by_nonce(nonce)
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
        device=(device or "").strip()[:DEVICE_MAX] or None,
        **_by_actor(actor),
    )
    undo = _insert(undo)
    if undo.undoes_id != row.id:
        raise Conflict(_l("This nonce was used for another scan."), field="nonce")
    return undo


CLOCK_SKEW = timedelta(minutes=10)  # a device's clock a little ahead of the server's


def attendance_window(event: Event) -> tuple[datetime, datetime]:
    config = current_app.config
    return (event.starts_at - timedelta(hours=config["ATTENDANCE_OPENS_HOURS"]),
            event.ends_at + timedelta(hours=config["ATTENDANCE_GRACE_HOURS"]))  # fmt: skip


def require_event_on(event: Event, actor: Actor, scanned_at: datetime, now: datetime) -> None:
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
                 actor=audit.Actor.of_token(actor) if isinstance(actor, ApiToken)
                 else audit.Actor.of_user(actor))  # fmt: skip


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


def check_nonce(nonce: str) -> None:
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


def by_nonce(nonce: str) -> CheckIn | None:
    return db.session.scalar(_nonce_query(), {"nonce": nonce})


def _replayed_or(event: Event, nonce: str, outcome: CheckInOutcome) -> CheckInOutcome:
    """A refused scan writes nothing, but its nonce may be an earlier scan's (a device
    that sends a retried upload with the wrong ticket has a bug: it gets that scan)."""
    earlier = by_nonce(nonce)
    return replayed_outcome(event, earlier) if earlier is not None else outcome


def replayed_outcome(event: Event, row: CheckIn) -> CheckInOutcome:
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
               in_session(CheckIn.session_id, row.session_id),
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
        winner = by_nonce(row.nonce)
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
