"""The people as the door sees them: the check-in list a device keeps for working offline,
search as the staff type, one person's card (after a scan, too) and the counters. Each in a
fixed number of queries, however many people."""

import functools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from boostcamp.auth.models import ApiToken, User
from boostcamp.checkin.attendance import attendance_query, standing_attendance
from boostcamp.checkin.models import CheckIn, CheckInKind
from boostcamp.checkin.scanning import CheckInOutcome, ScanResult, normalise_ticket
from boostcamp.events.models import Event, EventSession
from boostcamp.core.extensions import db
from boostcamp.registrations import staff_list
from boostcamp.registrations.models import (
    HOLDING,
    EventQuestion,
    Person,
    Registration,
    RegistrationAnswer,
    RegistrationSource,
    RegistrationStatus,
)

SEARCH_MAX_WORDS = 6


# A change is stamped with the app's clock before its transaction commits (a scan may wait
# on a lock), and app servers' clocks differ a little: "changed since" also sends again
# what changed shortly before, which the device merges harmlessly.
CHANGES_OVERLAP = timedelta(minutes=2)


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
    by_words = staff_list.search_condition(words)
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
    return card(registration, answers, attendance, event.zone)


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
    attended = standing_attendance(ids, session)
    zone = event.zone
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
               EventQuestion.show_at_checkin.is_(True), EventQuestion.for_reviewers.is_(False),
               RegistrationAnswer.registration_id.in_(sa.bindparam("ids", expanding=True)))
        .order_by(RegistrationAnswer.registration_id, EventQuestion.position, EventQuestion.id)
    )  # fmt: skip


def answer_text(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


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
