"""Who gave a seat through a programme, as the audit names it (issue 17): the programme's
waiting list, or the staff member — never an unnamed system."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.audit.models import Actor, ActorKind, AuditEntry
from boostcamp.auth.models import StaffRole
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.programmes import enrolment, waiting
from boostcamp.programmes.models import ProgrammeRegistrationStatus
from boostcamp.registrations.models import RegistrationStatus
from boostcamp.registrations.signup import SignUp
from tests.factories import make_centre, make_event, make_programme, make_registration, make_user
from tests.factories import sign_up as sign_up_alone


def soon(days: int):
    return (utcnow() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def waiting_at_the_workshop(app):
    """Léa waits for the workshop's only seat, alone and for the whole programme; the seat
    then frees up too late for an offer (so it is given, not offered)."""
    app.config["WAITLIST_OFFER_MIN_HOURS"] = 10_000
    centre = make_centre("MIC Mons")
    events = [make_event(host=centre, title="Boostcamp", starts_at=soon(10), capacity=10),
              make_event(host=centre, title="Atelier", starts_at=soon(20), capacity=1)]  # fmt: skip
    programme = make_programme(events, title="Parcours")
    holder = make_registration(events[1])
    alone = sign_up_alone(events[1], "lea@example.be").registration
    assert alone.status == RegistrationStatus.WAITLISTED
    entry = enrolment.sign_up(programme, SignUp(
        email="lea@example.be", first_name="Léa", last_name="Martin", consent=True,
        profile="job_seeker")).programme_registration  # fmt: skip
    assert entry.status == ProgrammeRegistrationStatus.WAITLISTED
    holder.status = RegistrationStatus.CANCELLED
    db.session.commit()
    return programme, entry


def seats_given() -> list[tuple]:
    db.session.rollback()
    return db.session.execute(
        sa.select(AuditEntry.actor_kind, AuditEntry.actor_name, AuditEntry.user_id)
        .where(AuditEntry.action == "seat_given")
    ).all()  # fmt: skip


def test_the_programmes_waiting_list_is_named_when_it_gives_the_seat(waiting_at_the_workshop):
    programme, entry = waiting_at_the_workshop
    assert waiting.promote(programme) == [entry]
    db.session.commit()
    assert seats_given() == [(ActorKind.SYSTEM, "programme waiting list", None)]


def test_the_staff_member_is_named_when_they_give_the_seats(waiting_at_the_workshop):
    _programme, entry = waiting_at_the_workshop
    staff = make_user("staff@mic.test", role=StaffRole.STAFF)
    enrolment.give_seats(entry, actor=Actor.of_user(staff))
    db.session.commit()
    assert seats_given() == [(ActorKind.USER, None, staff.id)]
