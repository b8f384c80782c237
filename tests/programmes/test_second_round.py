"""Programmes, second round (issues 19 and 20): events kept for the programme's sign-up, the
events' questions on its form, the exam, the waiting list that moves on its own, editions of
a whole programme, texts per language. On both engines where the database decides (the
queue, instants, the search), on one otherwise."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.events.models import Admission, EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes import (
    catalogue,
    certificates,
    editing,
    editions,
    enrolment,
    exam,
    jobs,
    progress,
    questions,
    series,
)
from boostcamp.programmes import waiting
from boostcamp.programmes.models import (
    Programme,
    ProgrammeRegistrationStatus,
)
from boostcamp.registrations import signup, waiting_list
from boostcamp.registrations.models import (
    Registration,
    RegistrationAnswer,
    RegistrationSource,
    RegistrationStatus,
)
from boostcamp.registrations.questions import event_questions
from boostcamp.registrations.signup import RegistrationClosed, SignUp
from tests.factories import (
    make_centre,
    make_check_in,
    make_event,
    make_programme,
    make_question,
    make_registration,
    sign_up,
)
from tests.registrations.helpers import mails

BRUSSELS = ZoneInfo("Europe/Brussels")


def soon(days: int, hour: int = 9):
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def person_form(email: str, **kw) -> SignUp:
    return SignUp(email=email, first_name="Léa", last_name="Martin", consent=True,
                  profile="job_seeker", **kw)  # fmt: skip


def statuses(email: str) -> dict[int, str]:
    db.session.rollback()
    rows = db.session.execute(
        sa.select(Registration.event_id, Registration.status)
        .join(Registration.person).where(sa.text("person.email = :e")).params(e=email)
    ).all()
    return {event_id: status.value for event_id, status in rows}


@pytest.fixture
def path(app):
    centre = make_centre("MIC Mons")
    events = [
        make_event(host=centre, title="Boostcamp", starts_at=soon(10), days=2, capacity=10),
        make_event(host=centre, title="Atelier", starts_at=soon(20), capacity=1),
        make_event(host=centre, title="Examen", starts_at=soon(30), capacity=10),
    ]
    return make_programme(events, title="Parcours"), events


# ---------------------------------------------------------------- sign-up alone


def test_an_event_kept_for_the_programme_refuses_sign_up_alone_on_the_form_and_the_api(path):
    programme, events = path
    editing.update_programme(programme, kept_events=[events[1]])
    db.session.commit()
    for source in (RegistrationSource.FORM, RegistrationSource.API):
        with pytest.raises(RegistrationClosed) as e:
            signup.register(events[1], person_form("seul@example.be", source=source))
        assert "Parcours" in e.value.message and "Atelier" in e.value.message
        db.session.rollback()
    assert statuses("seul@example.be") == {}
    # the other events, staff and the programme's own sign-up still may
    assert sign_up(events[0], "autre@example.be").outcome == signup.Outcome.CONFIRMED
    staff = signup.register(events[1], person_form("staff@example.be",
                                                          source=RegistrationSource.STAFF))
    assert staff.outcome == signup.Outcome.CONFIRMED
    db.session.rollback()
    assert enrolment.sign_up(programme, person_form("prog@example.be")).outcome == "confirmed"


def test_a_draft_or_cancelled_programme_keeps_no_event(path):
    programme, events = path
    editing.update_programme(programme, kept_events=[events[1]])
    editing.cancel_programme(programme)
    db.session.commit()
    assert sign_up(events[1], "seul@example.be").outcome == signup.Outcome.CONFIRMED
    draft = make_programme([make_event(starts_at=soon(40))], status=EventStatus.DRAFT)
    editing.update_programme(draft, kept_events=draft.events)
    db.session.commit()
    assert sign_up(draft.events[0], "x@example.be").outcome == signup.Outcome.CONFIRMED


def test_kept_events_are_recorded_in_the_history_and_may_be_released(path):
    programme, events = path
    changes = editing.update_programme(programme, kept_events=[events[1]])
    assert changes["kept_events"] == [[], [events[1].id]]
    db.session.commit()
    editing.update_programme(programme, kept_events=[])
    db.session.commit()
    assert all(s.alone_allowed for s in programme.steps)


# ---------------------------------------------------------------- questions


def test_the_events_questions_are_asked_once_and_each_answer_goes_to_its_event(path):
    programme, events = path
    project = make_question(events[0], "Votre projet ?", required=True)
    diet = make_question(events[2], "Régime alimentaire ?")
    asked = questions.questions_of(programme)
    assert [q.id for q in asked] == [project.id, diet.id]
    with pytest.raises(ValidationFailed) as e:
        enrolment.sign_up(programme, person_form("lea@example.be"))
    assert f"answers.{project.id}" in e.value.errors
    db.session.rollback()
    enrolment.sign_up(programme, person_form(
        "lea@example.be", answers={project.id: "Une épicerie", diet.id: "Végétarien"}))
    db.session.commit()
    answers = dict(db.session.execute(
        sa.select(RegistrationAnswer.question_id, Registration.event_id)
        .join(Registration, Registration.id == RegistrationAnswer.registration_id)).all())
    assert answers == {project.id: events[0].id, diet.id: events[2].id}


def test_an_answer_to_another_events_question_is_refused(path):
    programme, _events = path
    stranger = make_question(make_event(starts_at=soon(50)), "Ailleurs ?")
    with pytest.raises(ValidationFailed) as e:
        enrolment.sign_up(programme, person_form("lea@example.be", answers={stranger.id: "x"}))
    assert "answers" in e.value.errors


# ---------------------------------------------------------------- admission by application


def test_events_taking_applications_cannot_join_a_programme(app):
    centre = make_centre()
    applying = make_event(host=centre, title="Sur dossier", starts_at=soon(10),
                          admission=Admission.APPLICATION)  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        editing.create_programme(title="P", host=centre, events=[applying])
    assert "Sur dossier" in e.value.errors["events"]


def test_a_programme_whose_event_turned_to_applications_takes_no_sign_up(path):
    programme, events = path
    events[0].admission = Admission.APPLICATION
    db.session.commit()
    assert enrolment.signup_state(programme) == "applications"
    with pytest.raises(RegistrationClosed):
        enrolment.sign_up(programme, person_form("lea@example.be"))


# ---------------------------------------------------------------- the exam


def attend_all(programme, entry):
    cells = progress.progress(programme, [entry.person_id])
    for event in programme.events:
        registration = progress.cell(cells, entry.person_id, event.id).registration
        for session in event.sessions or [None]:
            make_check_in(registration, session, scanned_at=utcnow())


def test_the_certificate_waits_for_the_exam_passed_when_the_rule_asks_for_it(path):
    programme, _events = path
    editing.update_programme(programme, requires_exam=True)
    entry = enrolment.sign_up(programme, person_form("lea@example.be")).programme_registration
    db.session.commit()
    attend_all(programme, entry)
    with pytest.raises(certificates.CertificateNotEarned) as e:
        certificates.earned_achievement(entry)
    assert "exam" in e.value.message
    exam.record_exam(entry, False)
    assert not certificates.achievement_of(entry).earned
    exam.record_exam(entry, True)
    db.session.commit()
    assert certificates.earned_achievement(entry).earned
    assert entry.exam_recorded_at is not None
    exam.record_exam(entry, None)  # withdrawn
    assert entry.exam_recorded_at is None and not certificates.achievement_of(entry).earned


def test_no_exam_result_without_the_rule_or_for_someone_waiting(path):
    programme, events = path
    make_registration(events[1])  # the workshop is full
    entry = enrolment.sign_up(programme, person_form("lea@example.be")).programme_registration
    db.session.commit()
    with pytest.raises(Conflict):
        exam.record_exam(entry, True)  # no exam in the rule
    programme.requires_exam = True
    with pytest.raises(Conflict):
        exam.record_exam(entry, True)  # on the waiting list
    db.session.rollback()
    assert entry.exam_passed is None


# ---------------------------------------------------------------- the waiting list moves


@pytest.mark.both_engines  # row locks, the queue's order
def test_leaving_the_programme_gives_the_seats_to_the_first_person_waiting(path):
    programme, events = path
    first = enrolment.sign_up(programme, person_form("first@example.be")).programme_registration
    db.session.commit()
    project = make_question(events[2], "Votre projet ?", required=True)
    waiting_entry = enrolment.sign_up(programme, person_form(
        "next@example.be", answers={project.id: "Un café"})).programme_registration
    db.session.commit()
    assert waiting_entry.status == ProgrammeRegistrationStatus.WAITLISTED
    enrolment.cancel(first)
    db.session.commit()
    assert waiting_entry.status == ProgrammeRegistrationStatus.CONFIRMED
    assert statuses("next@example.be") == {e.id: "confirmed" for e in events}
    (mail,) = mails("programme_promoted")
    assert mail.to_address == "next@example.be" and "/p/" in mail.body_text
    # what they answered then went to the event's registration
    answer = db.session.scalar(sa.select(RegistrationAnswer.value)
                               .where(RegistrationAnswer.question_id == project.id))
    assert answer == "Un café"


@pytest.mark.both_engines  # row locks, the queue's order
def test_the_events_own_queue_comes_first_and_nobody_gets_half_a_programme(path):
    programme, events = path
    holder = sign_up(events[1], "holder@example.be").registration
    alone = sign_up(events[1], "alone@example.be").registration  # the event's own queue
    entry = enrolment.sign_up(programme, person_form("prog@example.be")).programme_registration
    db.session.commit()
    waiting_list.cancel_registration(holder)  # the seat is offered to the event's queue
    db.session.commit()
    assert jobs.promote_programme_waiting_lists(utcnow()) == 0
    db.session.refresh(alone)
    assert alone.status == RegistrationStatus.OFFERED
    assert entry.status == ProgrammeRegistrationStatus.WAITLISTED
    assert statuses("prog@example.be") == {}  # no seat at the other events either
    waiting_list.cancel_registration(alone, reason=waiting_list.CancelReason.OFFER_DECLINED)
    db.session.commit()
    assert jobs.promote_programme_waiting_lists(utcnow()) == 1
    db.session.refresh(entry)
    assert entry.status == ProgrammeRegistrationStatus.CONFIRMED
    assert statuses("prog@example.be") == {e.id: "confirmed" for e in events}


@pytest.mark.both_engines  # the queue's order in SQL
def test_the_queue_keeps_its_order(path):
    programme, events = path
    make_registration(events[1])
    a = enrolment.sign_up(programme, person_form("a@example.be")).programme_registration
    b = enrolment.sign_up(programme, person_form("b@example.be")).programme_registration
    db.session.commit()
    events[1].capacity = 2
    db.session.commit()
    assert waiting.promote(programme) == [a]
    db.session.commit()
    assert b.status == ProgrammeRegistrationStatus.WAITLISTED


@pytest.mark.both_engines  # dates compared in SQL
def test_no_promotion_once_the_programme_has_started(path):
    programme, events = path
    make_registration(events[1])
    enrolment.sign_up(programme, person_form("a@example.be"))
    events[1].capacity = 2
    db.session.commit()
    assert waiting.promote(programme, now=events[0].starts_at + timedelta(hours=1)) == []


# ---------------------------------------------------------------- editions of a programme


@pytest.mark.both_engines  # instants kept by the database
def test_monthly_editions_of_a_programme_copy_it_and_its_events_across_summer_time(app):
    centre = make_centre()
    first = make_event(host=centre, title="Boostcamp", starts_at=datetime(2031, 2, 10, 9, 30,
                       tzinfo=BRUSSELS), days=2, capacity=12)  # fmt: skip
    second = make_event(host=centre, title="Atelier", starts_at=datetime(2031, 2, 20, 18, 0,
                        tzinfo=BRUSSELS), capacity=8)  # fmt: skip
    make_question(first, "Votre projet ?")
    programme = make_programme([first, second], title="Parcours", required_events=1,
                               requires_exam=True, translations={"nl": {"title": "Traject"}},
                               kept_events=[second])  # fmt: skip
    starts = series.every(first, step=1, unit="months", count=4)
    copies = editions.create_editions(programme, starts)
    db.session.commit()
    assert len(copies) == 4
    for n, copy in enumerate(copies, 1):
        assert copy.status == EventStatus.DRAFT and copy.slug != programme.slug
        assert copy.required_events == 1 and copy.requires_exam
        assert copy.text_in("title", "nl") == "Traject"
        a, b = copy.events
        assert all(e.status == EventStatus.DRAFT for e in (a, b))
        local_a, local_b = a.starts_at.astimezone(BRUSSELS), b.starts_at.astimezone(BRUSSELS)
        assert (local_a.month, local_a.day, local_a.hour, local_a.minute) == (2 + n, 10, 9, 30)
        assert (local_b.month, local_b.day, local_b.hour) == (2 + n, 20, 18)
        assert a.capacity == 12 and len(event_questions(a)) == 1
        assert [s.alone_allowed for s in sorted(copy.steps, key=lambda s: s.event.starts_at)] \
            == [True, False]


@pytest.mark.both_engines  # instants kept by the database
def test_editions_on_a_list_of_dates_and_bounds(app):
    centre = make_centre()
    first = make_event(host=centre, starts_at=datetime(2031, 3, 1, 9, 30, tzinfo=BRUSSELS))
    programme = make_programme([first])
    starts = series.parse_dates("2031-04-05\n2031-05-03 14:00", first)
    copies = editions.create_editions(programme, starts)
    assert [c.events[0].starts_at.astimezone(BRUSSELS).strftime("%m-%d %H:%M") for c in copies] \
        == ["04-05 09:30", "05-03 14:00"]
    db.session.rollback()
    for bad in ([], [first.starts_at + timedelta(days=k) for k in range(1, 54)], [first.starts_at]):
        with pytest.raises(ValidationFailed):
            editions.create_editions(programme, bad)
    with pytest.raises(ValidationFailed):
        series.every(first, step=1, unit="weeks", count=0)
    with pytest.raises(ValidationFailed):
        series.every(first, step=1, unit="weeks", count=500)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Programme.id))) == 1


# ---------------------------------------------------------------- texts per language


@pytest.mark.both_engines  # the search
def test_a_programme_in_three_languages_shows_each_and_falls_back(app):
    event = make_event(starts_at=soon(10))
    programme = make_programme([event], title="Parcours Mons", language="fr", translations={
        "nl": {"title": "Traject Bergen", "summary": "Eén inschrijving"}, "en": {"title": "Path"}})
    assert programme.text_in("title", "nl") == "Traject Bergen"
    assert programme.text_in("title", "en") == "Path"
    summary = programme.text_in("summary", "en")
    assert summary is None or summary.fallback
    assert not programme.text_in("title", "fr").fallback
    found = db.session.scalars(catalogue.public_programmes(words=["bergen"])).all()
    assert found == [programme]
    assert db.session.scalars(catalogue.public_programmes(words=["parcours", "mons"])).all() \
        == [programme]
    assert db.session.scalars(catalogue.public_programmes(words=["gent"])).all() == []


def test_bad_texts_per_language_are_field_errors(app):
    event = make_event(starts_at=soon(10))
    with pytest.raises(ValidationFailed) as e:
        editing.create_programme(title="P", host=event.host, events=[event], language="de",
                                  translations={"xx": {"title": "?"}, "nl": {"title": "a" * 201}})
    assert {"language", "translations.xx", "title.nl"} <= set(e.value.errors)
