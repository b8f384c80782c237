"""Who attended: the attendance that stands (a counted entry that no undo took back), and
what reports, attendance sheets, certificates and the outcomes' attribution rule read from
it."""

import functools
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager

from boostcamp.auth.models import ApiToken, User
from boostcamp.checkin.models import CheckIn, CheckInKind
from boostcamp.events.models import Event, EventSession
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person, Registration, RegistrationStatus


def sessions_in_order(event: Event) -> list[EventSession]:
    """The event's sessions by start (and id), those added since it was loaded too."""
    return sorted(event.sessions, key=lambda s: (s.starts_at, s.id))


def attendance_query() -> sa.Select:
    """(registration_id, session_id) of every attendance that stands: a counted entry that no
    undo took back. session_id is None for an event without an agenda. Reports, attendance
    lists and the outcomes' attribution rule all count from here."""
    undo = aliased(CheckIn)
    # NOT IN the few undone ids (read once, hashed) rather than NOT EXISTS per entry: over
    # 150,000 entries SQLite probed the index once each and PostgreSQL read check_in twice;
    # and with stale statistics PostgreSQL nested the anti-join inside a semi-join (minutes).
    undone = sa.select(undo.undoes_id).where(undo.undoes_id.is_not(None))
    return sa.select(CheckIn.registration_id, CheckIn.session_id).where(
        CheckIn.kind == CheckInKind.ENTRY,
        CheckIn.counted.is_(True),
        CheckIn.id.not_in(undone),
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


def in_session(column, session_id: int | None) -> sa.ColumnElement[bool]:
    return column.is_(None) if session_id is None else column == session_id


def _attended_in(session: EventSession | None) -> sa.Select:
    """Ids of the registrations with an attendance standing in this session."""
    attended = attendance_query().subquery()
    return sa.select(attended.c.registration_id).where(
        in_session(attended.c.session_id, session.id if session else None)
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
    return standing_attendance(registration_ids, session)


def standing_attendance(
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
    sessions = sessions_in_order(event) or [None]
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
