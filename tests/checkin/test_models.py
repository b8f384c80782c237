
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
from boostcamp.checkin.services import attendance_query
from boostcamp.db import utcnow
from boostcamp.extensions import db
from tests.factories import make_check_in, make_event, make_registration


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
