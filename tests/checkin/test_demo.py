"""The demo's event at the door today: checkin@mind-and-market.example can work with it."""

import sqlalchemy as sa

from boostcamp.checkin import scanning
from boostcamp.checkin.cards import checkin_list
from boostcamp.checkin.models import CheckIn, CheckInMethod
from boostcamp.core.db import utcnow
from boostcamp.demo import data
from boostcamp.events.queries import get_by_slug
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration, RegistrationSource, RegistrationStatus
from tests.test_demo import seed


def test_mind_and_markets_boostcamp_is_at_the_door_today(app):
    seed()
    event = get_by_slug(data.DOOR_SLUG)
    today = utcnow().astimezone(data.BRUSSELS).date()
    assert min(s.starts_at for s in event.sessions).astimezone(data.BRUSSELS).date() == today
    assert [o.slug for o in event.co_organisers] == ["mind-and-market"]
    session = scanning.choose_session(event)
    assert session.starts_at.astimezone(data.BRUSSELS).date() == today

    cards = checkin_list(event, session)
    confirmed = [c for c in cards if c["status"] == RegistrationStatus.CONFIRMED]
    assert len(confirmed) == 41  # 40 registered, one at the door
    came = [c for c in cards if c["checked_in_at"]]
    assert 10 <= len(came) < len(confirmed)
    assert all(c["checked_in_by"] == "Kevin Mertens" for c in came)
    assert [c["last_name"] for c in cards if c["walk_in"]] == ["Haddad"]
    assert sum(bool(c["note"]) for c in cards) == 2
    assert any(c["answers"] and c["answers"][0]["label"] == data.DOOR_QUESTION for c in cards)

    # The door's account checks the next person in.
    door = db.session.scalar(sa.select(data.User).where(
        data.User.email == "checkin@mind-and-market.example"))  # fmt: skip
    waiting = next(c for c in confirmed if not c["checked_in_at"])
    outcome = scanning.check_in(event, nonce="demo-test", actor=door, method=CheckInMethod.SCAN,
                               ticket=waiting["ticket"], session=session)  # fmt: skip
    assert outcome.result == scanning.ScanResult.OK

    rows = db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))
    db.session.rollback()
    data.seed()  # again: nothing added
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == rows - 1
    walk_ins = db.session.scalar(sa.select(sa.func.count()).where(
        Registration.source == RegistrationSource.WALK_IN))  # fmt: skip
    assert walk_ins == 1
