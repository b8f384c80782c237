
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from boostcamp.checkin.attendance import attendance_query
from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from tests.factories import make_check_in, make_event, make_registration

# Both engines: constraints enforced by the database.
pytestmark = pytest.mark.both_engines


def attendance():
    return set(db.session.execute(attendance_query()).all())


def test_a_counted_entry_is_an_attendance_until_undone(app):
    event = make_event(sessions=[])
    registration = make_registration(event)
    entry = make_check_in(registration)
    make_check_in(registration, counted=False)  # a duplicate scan adds nothing
    assert attendance() == {(registration.id, None)}

    make_check_in(registration, kind=CheckInKind.UNDO, undoes_id=entry.id)
    assert attendance() == set()


def test_the_same_nonce_is_refused_by_the_database(app):
    registration = make_registration(make_event())
    make_check_in(registration, nonce="device-1-0001")
    db.session.add(
        CheckIn(nonce="device-1-0001", registration_id=registration.id,
                method=CheckInMethod.SCAN, scanned_at=utcnow())
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1


def test_attendance_rate_is_the_share_of_sessions_attended(app):
    from boostcamp.checkin.attendance import attendance_rates
    from tests.factories import at

    event = make_event(
        starts_at=at(2030, 3, 4), days=4,
        sessions=[(f"Jour {d}", at(2030, 3, 3 + d, 9), at(2030, 3, 3 + d, 17)) for d in (1, 2, 3, 4)],
    )  # fmt: skip
    came_thrice, came_once, _never_came = (make_registration(event) for _ in range(3))
    for session in event.sessions[:3]:
        make_check_in(came_thrice, session)
        make_check_in(came_thrice, session, counted=False)  # scanned twice: still one
    undone = make_check_in(came_once, event.sessions[3])
    make_check_in(came_once, event.sessions[0])
    make_check_in(came_once, kind=CheckInKind.UNDO, undoes_id=undone.id, session=event.sessions[3])

    assert attendance_rates(event) == {came_thrice.id: 0.75, came_once.id: 0.25}
