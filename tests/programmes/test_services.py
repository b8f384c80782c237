"""Programmes: their rules, one sign-up for all their events (all or nothing), leaving one,
progress and the certificate's rule (both backends)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes import editing, enrolment, progress
from boostcamp.programmes.models import ProgrammeRegistration, ProgrammeRegistrationStatus
from boostcamp.registrations.models import Registration, RegistrationStatus
from boostcamp.registrations.signup import RegistrationClosed, SignUp
from tests.factories import (
    make_centre,
    make_check_in,
    make_event,
    make_org,
    make_programme,
    make_registration,
    sign_up,
)
from tests.registrations.helpers import mails


def soon(days: int, hour: int = 9):
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def path(app):
    """The centre's Boostcamp, two workshops and the exam, in that order, a week apart."""
    centre = make_centre("MIC Mons")
    events = [
        make_event(host=centre, title="Boostcamp", starts_at=soon(10), days=3, capacity=10),
        make_event(host=centre, title="Atelier 1", starts_at=soon(20), capacity=10),
        make_event(host=centre, title="Atelier 2", starts_at=soon(27), capacity=1),
        make_event(host=centre, title="Examen", starts_at=soon(34), capacity=10),
    ]
    return make_programme(events, title="Boostcamp printemps"), events


def person_form(email: str) -> SignUp:
    return SignUp(email=email, first_name="Léa", last_name="Martin", consent=True,
                  profile="job_seeker")  # fmt: skip


def registrations_of(email: str) -> dict[str, str]:
    db.session.rollback()
    rows = db.session.execute(
        sa.select(Registration.event_id, Registration.status)
        .join(Registration.person).where(sa.text("person.email = :e")).params(e=email)
    ).all()
    return {event_id: status.value for event_id, status in rows}


# ---------------------------------------------------------------- rules


def test_events_that_overlap_are_a_field_error(app):
    centre = make_centre()
    a = make_event(host=centre, starts_at=soon(10), days=3)
    b = make_event(host=centre, starts_at=soon(11))
    with pytest.raises(ValidationFailed) as e:
        editing.create_programme(title="P", host=centre, events=[a, b])
    assert "overlap" in e.value.errors["events"]


def test_an_event_of_other_organisers_is_a_field_error(app):
    centre, partner, other = make_centre(), make_org("A"), make_org("B")
    ours = make_event(host=centre, co_organisers=[partner], starts_at=soon(10))
    theirs = make_event(host=other, title="Chez B", starts_at=soon(20))
    with pytest.raises(ValidationFailed) as e:
        editing.create_programme(title="P", host=centre, events=[ours, theirs])
    assert "Chez B" in e.value.errors["events"]
    # a co-organiser of the programme makes its events eligible
    programme = editing.create_programme(title="P", host=centre, co_organisers=[other],
                                          events=[ours, theirs])  # fmt: skip
    assert [e.title for e in programme.events] == [ours.title, "Chez B"]


@pytest.mark.parametrize("required, ok", [(0, False), (1, True), (2, True), (3, False)])
def test_the_certificate_rule_is_between_one_and_the_number_of_events(app, required, ok):
    centre = make_centre()
    events = [make_event(host=centre, starts_at=soon(10 + i)) for i in range(2)]
    if ok:
        assert editing.create_programme(title="P", host=centre, events=events,
                                         required_events=required).required_events == required  # fmt: skip
    else:
        with pytest.raises(ValidationFailed) as e:
            editing.create_programme(title="P", host=centre, events=events,
                                      required_events=required)  # fmt: skip
        assert "required_events" in e.value.errors


def test_an_event_with_programme_registrations_cannot_be_removed(path):
    programme, events = path
    enrolment.sign_up(programme, person_form("lea@example.be"))
    db.session.commit()
    with pytest.raises(Conflict) as e:
        editing.update_programme(programme, events=events[:3])
    assert e.value.field == "events" and "Examen" in e.value.message
    db.session.rollback()
    # an event nobody booked through the programme may go
    extra = make_event(host=events[0].host, starts_at=soon(50))
    editing.update_programme(programme, events=[*events, extra])
    db.session.commit()
    editing.update_programme(programme, events=events)
    db.session.commit()
    assert len(programme.steps) == 4


# ---------------------------------------------------------------- one sign-up


def test_one_sign_up_registers_for_every_event_with_one_mail(path):
    programme, events = path
    result = enrolment.sign_up(programme, person_form("lea@example.be"))
    db.session.commit()
    assert result.outcome == enrolment.Outcome.CONFIRMED
    assert registrations_of("lea@example.be") == {e.id: "confirmed" for e in events}
    kinds = [m.kind for m in mails(to="lea@example.be")]
    assert kinds == ["programme_confirmed"]  # every event's ticket in it (test_mails.py)
    (mail,) = mails("programme_confirmed")
    assert len([a for a in mail.attachments if a.content_type == "image/png"]) == 4
    assert "/p/" in mail.body_text and programme.title in mail.subject


def test_one_full_event_puts_the_person_on_the_programmes_waiting_list_and_nowhere_else(path):
    programme, events = path
    make_registration(events[2])  # Atelier 2 had one seat
    result = enrolment.sign_up(programme, person_form("lea@example.be"))
    db.session.commit()
    assert result.outcome == enrolment.Outcome.WAITLISTED
    assert [e.title for e in result.full] == ["Atelier 2"]
    assert registrations_of("lea@example.be") == {}
    entry = db.session.scalars(sa.select(ProgrammeRegistration)).one()
    assert entry.status == ProgrammeRegistrationStatus.WAITLISTED
    (mail,) = mails("programme_waitlisted")
    assert "Atelier 2" in mail.body_text


def test_someone_already_registered_for_one_event_keeps_that_registration(path):
    programme, events = path
    own = sign_up(events[2], "lea@example.be").registration  # took the only seat herself
    result = enrolment.sign_up(programme, person_form("lea@example.be"))
    db.session.commit()
    assert result.outcome == enrolment.Outcome.CONFIRMED
    assert own.id in {r.id for r in result.registrations}
    assert registrations_of("lea@example.be") == {e.id: "confirmed" for e in events}


def test_signing_up_twice_changes_nothing(path):
    programme, _events = path
    enrolment.sign_up(programme, person_form("lea@example.be"))
    db.session.commit()
    again = enrolment.sign_up(programme, person_form("LEA@example.be"))
    db.session.commit()
    assert again.outcome == enrolment.Outcome.ALREADY_REGISTERED
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 4


def test_a_programme_that_has_started_is_closed(path):
    programme, events = path
    with pytest.raises(RegistrationClosed) as e:
        enrolment.sign_up(programme, person_form("lea@example.be"), now=events[0].starts_at)
    assert "started" in e.value.message
    assert registrations_of("lea@example.be") == {}


def test_a_draft_or_cancelled_programme_takes_no_sign_up(path):
    programme, _events = path
    editing.cancel_programme(programme)
    db.session.commit()
    with pytest.raises(RegistrationClosed):
        enrolment.sign_up(programme, person_form("lea@example.be"))


def test_bad_details_are_field_errors_and_save_nothing(path):
    programme, _events = path
    with pytest.raises(ValidationFailed) as e:
        enrolment.sign_up(programme, SignUp(email="not an address", first_name="", last_name="x",
                                           consent=False))  # fmt: skip
    assert {"email", "first_name", "consent"} <= set(e.value.errors)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(ProgrammeRegistration.id))) == 0


# ---------------------------------------------------------------- leaving


def test_leaving_cancels_the_events_to_come_and_offers_their_seats(path):
    programme, events = path
    enrolment.sign_up(programme, person_form("lea@example.be"))
    db.session.commit()
    waiting = sign_up(events[2], "next@example.be").registration  # Atelier 2 is full now
    assert waiting.status == RegistrationStatus.WAITLISTED
    entry = db.session.scalars(sa.select(ProgrammeRegistration)).one()
    # The Boostcamp has begun: that registration stays, the three others go.
    now = events[0].starts_at + timedelta(hours=1)
    cancelled = enrolment.cancel(entry, now=now)
    db.session.commit()
    assert sorted(r.event_id for r in cancelled) == sorted(e.id for e in events[1:])
    assert registrations_of("lea@example.be") == {
        events[0].id: "confirmed", **{e.id: "cancelled" for e in events[1:]}}
    assert entry.status == ProgrammeRegistrationStatus.CANCELLED
    db.session.refresh(waiting)
    assert waiting.status == RegistrationStatus.OFFERED  # the freed seat went to the queue


def test_leaving_the_waiting_list_of_a_programme(path):
    programme, events = path
    make_registration(events[2])
    entry = enrolment.sign_up(programme, person_form("lea@example.be")).programme_registration
    db.session.commit()
    assert enrolment.cancel(entry) == []
    assert entry.status == ProgrammeRegistrationStatus.CANCELLED
    # and may come back later, at the end of the queue
    result = enrolment.sign_up(programme, person_form("lea@example.be"))
    assert result.outcome == enrolment.Outcome.WAITLISTED


# ---------------------------------------------------------------- progress


def test_progress_counts_registrations_and_the_share_of_sessions_attended(app):
    centre = make_centre()
    now = utcnow()
    boostcamp = make_event(host=centre, starts_at=soon(10), days=2, sessions=[
        ("Jour 1", soon(10), soon(10, 17)), ("Jour 2", soon(11), soon(11, 17))])
    workshop = make_event(host=centre, starts_at=soon(20))
    programme = make_programme([boostcamp, workshop], required_events=1)
    a = enrolment.sign_up(programme, person_form("a@example.be")).programme_registration
    b = enrolment.sign_up(programme, person_form("b@example.be")).programme_registration
    db.session.commit()
    reg_a = db.session.scalars(sa.select(Registration).where(
        Registration.person_id == a.person_id, Registration.event_id == boostcamp.id)).one()
    make_check_in(reg_a, boostcamp.sessions[0], scanned_at=now)
    make_check_in(reg_a, boostcamp.sessions[0], counted=False, scanned_at=now)  # a duplicate
    cells = progress.progress(programme, [a.person_id, b.person_id])
    assert progress.cell(cells, a.person_id, boostcamp.id).attended == 0.5
    assert progress.cell(cells, a.person_id, workshop.id).attended == 0.0
    assert progress.cell(cells, b.person_id, boostcamp.id).status == RegistrationStatus.CONFIRMED
    row_a = [progress.cell(cells, a.person_id, e.id) for e in programme.events]
    row_b = [progress.cell(cells, b.person_id, e.id) for e in programme.events]
    assert progress.completed(programme, row_a) and not progress.completed(programme, row_b)
    programme.required_events = None  # every event
    assert not progress.completed(programme, row_a)
    assert progress.status_counts(programme)[ProgrammeRegistrationStatus.CONFIRMED] == 2


def test_a_cancelled_programme_keeps_its_events(path):
    programme, events = path
    enrolment.sign_up(programme, person_form("lea@example.be"))
    editing.cancel_programme(programme)
    db.session.commit()
    assert programme.status == EventStatus.CANCELLED
    assert registrations_of("lea@example.be") == {e.id: "confirmed" for e in events}
    with pytest.raises(Conflict):
        editing.update_programme(programme, title="Autre")


def test_staff_give_the_programmes_queue_its_seats_once_every_event_has_one(path):
    programme, events = path
    holder = make_registration(events[2])  # Atelier 2's only seat
    entry = enrolment.sign_up(programme, person_form("lea@example.be")).programme_registration
    db.session.commit()
    with pytest.raises(Conflict) as e:
        enrolment.give_seats(entry)
    assert "Atelier 2" in e.value.message
    db.session.rollback()
    assert registrations_of("lea@example.be") == {}
    holder.status = RegistrationStatus.CANCELLED
    db.session.commit()
    enrolment.give_seats(entry)
    db.session.commit()
    assert entry.status == ProgrammeRegistrationStatus.CONFIRMED
    assert registrations_of("lea@example.be") == {e.id: "confirmed" for e in events}
