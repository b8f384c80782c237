import pytest
import sqlalchemy as sa

from boostcamp.checkin import attendance, cards, scanning, walk_ins
from boostcamp.checkin.models import CheckIn, CheckInKind, CheckInMethod
from boostcamp.checkin.scanning import ScanResult
from boostcamp.core.errors import Conflict, NotFound, ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration, RegistrationSource, RegistrationStatus
from boostcamp.registrations.signup import SignUp
from tests.factories import (
    at,
    make_check_in,
    make_event,
    make_person,
    make_question,
    make_registration,
    make_user,
)

# Both engines: the registration's row lock, insert-or-ignore and the search.
pytestmark = pytest.mark.both_engines

DAYS = [(f"Jour {d}", at(2030, 3, 3 + d, 9), at(2030, 3, 3 + d, 17)) for d in (1, 2)]


def named_user(name):
    user = make_user()
    user.name = name
    db.session.commit()
    return user


def rows() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))


def scan(event, ticket, nonce, **kw):
    kw.setdefault("actor", make_user())
    kw.setdefault("method", CheckInMethod.SCAN)
    outcome = scanning.check_in(event, ticket=ticket, nonce=nonce, **kw)
    db.session.commit()
    return outcome


def test_a_ticket_checks_its_person_in_once_then_says_already(app):
    event = make_event(sessions=[])
    registration = make_registration(event)
    staff = named_user("Claire")

    first = scan(event, registration.ticket_code, "n1", actor=staff, device="porte A")
    assert first.result == ScanResult.OK and first.registration == registration
    assert first.check_in.counted and first.check_in.session_id is None
    assert first.check_in.user_id == staff.id and first.check_in.device == "porte A"

    again = scan(event, registration.ticket_code, "n2")
    assert again.result == ScanResult.ALREADY_CHECKED_IN
    assert not again.check_in.counted and again.first == first.check_in
    assert rows() == 2
    assert cards.counters(event, None) == {"checked_in": 1, "expected": 1}


def test_the_same_nonce_again_writes_nothing_and_answers_the_same(app):
    event = make_event(sessions=[])
    registration = make_registration(event)
    first = scan(event, registration.ticket_code, "offline-1")
    duplicate = scan(event, registration.ticket_code, "offline-2")

    replay = scan(event, registration.ticket_code, "offline-1")
    assert replay.replayed and replay.result == ScanResult.OK
    assert replay.check_in.id == first.check_in.id
    replay = scan(event, registration.ticket_code, "offline-2")
    assert replay.replayed and replay.result == ScanResult.ALREADY_CHECKED_IN
    assert replay.check_in.id == duplicate.check_in.id and replay.first.id == first.check_in.id
    assert rows() == 2


@pytest.mark.parametrize("typed", ["{}", " {} ", "{lower}", "{dashed}", "{spaced}"])
def test_a_typed_ticket_is_normalised(app, typed):
    event = make_event(sessions=[])
    registration = make_registration(event, ticket_code="ABCDEFGHJKMN")
    code = registration.ticket_code
    ticket = typed.format(
        code, lower=code.lower(), dashed="abcd-efgh-jkmn", spaced="ABCD EFGH JKMN"
    )
    assert scan(event, ticket, "n", method=CheckInMethod.TYPED).result == ScanResult.OK


@pytest.mark.parametrize(
    "status, result",
    [
        (RegistrationStatus.CANCELLED, ScanResult.CANCELLED),
        (RegistrationStatus.WAITLISTED, ScanResult.WAITLISTED),
        (RegistrationStatus.OFFERED, ScanResult.WAITLISTED),
    ],
)
def test_no_attendance_without_a_seat(app, status, result):
    event = make_event(sessions=[])
    registration = make_registration(event, status=status)
    outcome = scan(event, registration.ticket_code, "n")
    assert outcome.result == result and outcome.registration == registration
    assert outcome.check_in is None and rows() == 0


def test_unknown_and_other_events_tickets_reveal_nobody(app):
    event, other = make_event(sessions=[]), make_event(sessions=[])
    elsewhere = make_registration(other)
    assert scan(event, "ZZZZZZZZZZZZ", "n1").result == ScanResult.UNKNOWN_TICKET
    assert scan(event, "", "n2").result == ScanResult.UNKNOWN_TICKET
    outcome = scan(event, elsewhere.ticket_code, "n3")
    assert outcome.result == ScanResult.WRONG_EVENT and outcome.registration is None
    outcome = scan(event, None, "n4", registration=elsewhere, method=CheckInMethod.SEARCH)
    assert outcome.result == ScanResult.WRONG_EVENT
    assert rows() == 0


def test_a_nonce_is_required(app):
    event = make_event(sessions=[])
    registration = make_registration(event)
    for nonce in ("", "  ", "x" * 65):
        with pytest.raises(ValidationFailed) as error:
            scan(event, registration.ticket_code, nonce)
        assert "nonce" in error.value.errors
        db.session.rollback()


def test_each_session_has_its_own_attendance(app):
    event = make_event(starts_at=at(2030, 3, 4), days=2, sessions=DAYS)
    day1, day2 = event.sessions
    registration = make_registration(event)
    assert scan(event, registration.ticket_code, "a", session=day1).result == ScanResult.OK
    assert scan(event, registration.ticket_code, "b", session=day2).result == ScanResult.OK
    assert attendance.attendance_rates(event) == {registration.id: 1.0}
    with pytest.raises(NotFound):
        other = make_event(starts_at=at(2030, 3, 4), days=2, sessions=DAYS)
        scan(event, registration.ticket_code, "c", session=other.sessions[0])


def test_without_a_session_the_scan_counts_for_the_one_at_its_time(app):
    event = make_event(starts_at=at(2030, 3, 4), days=2, sessions=DAYS)
    day1, day2 = event.sessions
    registration = make_registration(event)
    # Uploaded the next day from an offline queue: counted for the day it was scanned.
    outcome = scan(event, registration.ticket_code, "a", scanned_at=at(2030, 3, 4, 10),
                   now=at(2030, 3, 5, 10))  # fmt: skip
    assert outcome.check_in.session_id == day1.id
    assert outcome.check_in.scanned_at == at(2030, 3, 4, 10)
    assert outcome.check_in.received_at == at(2030, 3, 5, 10)


def test_choose_session(app):
    event = make_event(starts_at=at(2030, 3, 4), days=2, sessions=[
        ("Matin", at(2030, 3, 4, 9), at(2030, 3, 4, 12)),
        ("Après-midi", at(2030, 3, 4, 13), at(2030, 3, 4, 17)),
        ("Jour 2", at(2030, 3, 5, 9), at(2030, 3, 5, 17)),
    ])  # fmt: skip
    morning, afternoon, day2 = event.sessions
    assert scanning.choose_session(event, now=at(2030, 3, 4, 10)) == morning
    assert scanning.choose_session(event, now=at(2030, 3, 4, 12, 30)) == afternoon
    assert scanning.choose_session(event, now=at(2030, 3, 4, 8)) == morning
    assert scanning.choose_session(event, now=at(2030, 3, 4, 19)) == afternoon
    assert scanning.choose_session(event, now=at(2030, 3, 1)) == morning
    assert scanning.choose_session(event, day2.id) == day2
    with pytest.raises(NotFound):
        scanning.choose_session(event, 999_999)
    assert scanning.choose_session(make_event(sessions=[])) is None


def test_undo_takes_the_attendance_back_and_allows_a_new_one(app):
    event = make_event(sessions=[])
    registration = make_registration(event)
    staff = make_user()
    entry = scan(event, registration.ticket_code, "a").check_in
    duplicate = scan(event, registration.ticket_code, "b").check_in

    undo = scanning.undo_check_in(entry, nonce="u1", actor=staff)
    db.session.commit()
    assert undo.kind == CheckInKind.UNDO and undo.undoes_id == entry.id
    assert scanning.undo_check_in(entry, nonce="u1", actor=staff).id == undo.id  # replayed
    assert cards.counters(event, None)["checked_in"] == 0
    with pytest.raises(Conflict):
        scanning.undo_check_in(entry, nonce="u2", actor=staff)
    db.session.rollback()
    with pytest.raises(Conflict):
        scanning.undo_check_in(duplicate, nonce="u3", actor=staff)
    db.session.rollback()

    again = scan(event, registration.ticket_code, "c")
    assert again.result == ScanResult.OK
    assert cards.counters(event, None)["checked_in"] == 1


def test_walk_in_over_capacity(app):
    event = make_event(sessions=[], capacity=1)
    make_registration(event)
    make_question(event, label="Régime alimentaire", show_at_checkin=True)
    staff = make_user()
    person = SignUp(email="Nadia@Example.be", first_name="Nadia", last_name="Benali",
                    consent=True, organisation_name="Atelier N")  # fmt: skip

    outcome = walk_ins.walk_in(event, person, nonce="w1", actor=staff)
    db.session.commit()
    assert outcome.result == ScanResult.OK
    registration = outcome.registration
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.source == RegistrationSource.WALK_IN
    assert cards.counters(event, None) == {"checked_in": 1, "expected": 2}
    replay = walk_ins.walk_in(event, person, nonce="w1", actor=staff)
    assert replay.replayed and replay.registration == registration
    card = cards.search(event, "benali", None)[0]
    assert card["walk_in"] and card["checked_in_at"]

    with pytest.raises(ValidationFailed):
        walk_ins.walk_in(event, SignUp(email="x", first_name="", last_name="", consent=False),
                        nonce="w2", actor=staff)  # fmt: skip
    db.session.rollback()
    assert rows() == 1


def test_a_walk_in_is_not_asked_the_events_required_questions(app):
    # The door's form has no question fields, and a walk-in kept offline must not be
    # refused when it reaches the server.
    event = make_event(sessions=[])
    question = make_question(event, label="Votre projet ?", required=True)
    choice = make_question(event, label="Repas", kind="single_choice", choices=["Oui", "Non"])
    staff = make_user()

    outcome = walk_ins.walk_in(event, SignUp(email="nadia@example.be", first_name="Nadia",
                                            last_name="Benali", consent=True),
                              nonce="w1", actor=staff)  # fmt: skip
    db.session.commit()
    assert outcome.result == ScanResult.OK
    assert outcome.registration.answers == []
    # What is given is still checked.
    with pytest.raises(ValidationFailed) as error:
        walk_ins.walk_in(event, SignUp(email="tom@example.be", first_name="Tom", last_name="X",
                                      consent=True, answers={choice.id: "Peut-être"}),
                        nonce="w2", actor=staff)  # fmt: skip
    assert set(error.value.errors) == {f"answers.{choice.id}"}
    assert question.required


def test_walk_in_of_someone_waiting_gives_them_their_seat(app):
    event = make_event(sessions=[], capacity=1)
    make_registration(event)
    person = make_person("lea@example.be", first_name="Léa")
    waiting = make_registration(event, person, status=RegistrationStatus.WAITLISTED)
    outcome = walk_ins.walk_in(
        event, SignUp(email="lea@example.be", first_name="Léa", last_name="X", consent=True),
        nonce="w", actor=make_user(),
    )  # fmt: skip
    db.session.commit()
    assert outcome.registration.id == waiting.id and outcome.result == ScanResult.OK
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert waiting.source != RegistrationSource.WALK_IN


def test_search_and_list_show_the_card(app):
    event = make_event(starts_at=at(2030, 3, 4), days=2, sessions=DAYS)
    day1, day2 = event.sessions
    question = make_question(event, label="Régime", show_at_checkin=True)
    hidden = make_question(event, label="Secret")
    helene = make_registration(
        event, make_person(first_name="Hélène", last_name="Lefèvre"),
        organisation_name="Éco Startup", note="Intervenante, badge orateur",
    )  # fmt: skip
    from boostcamp.registrations.models import RegistrationAnswer

    db.session.add_all([
        RegistrationAnswer(registration_id=helene.id, question_id=question.id, value="végétarien"),
        RegistrationAnswer(registration_id=helene.id, question_id=hidden.id, value="x"),
    ])  # fmt: skip
    db.session.commit()
    cancelled = make_registration(event, make_person(last_name="Annulé"),
                                  status=RegistrationStatus.CANCELLED)  # fmt: skip
    staff = named_user("Claire")
    make_check_in(helene, day1, user_id=staff.id)

    for query in ("helene", "LEFEVRE", "eco", "hél lef", helene.ticket_code[:5].lower(),
                  helene.ticket_code[:4] + "-" + helene.ticket_code[4:8]):  # fmt: skip
        assert [c["registration_id"] for c in cards.search(event, query, day1)] == [helene.id]
    assert cards.search(event, "nobody", day1) == [] and cards.search(event, " ", day1) == []

    card = cards.search(event, "hélène", day1)[0]
    assert card["answers"] == [{"label": "Régime", "value": "végétarien"}]
    assert card["note"] == "Intervenante, badge orateur" and card["checked_in_by"] == "Claire"
    assert card["organisation"] == "Éco Startup" and card["status"] == "confirmed"
    assert cards.search(event, "hélène", day2)[0]["checked_in_at"] is None

    everyone = cards.checkin_list(event, day1)
    assert [c["registration_id"] for c in everyone] == [helene.id, cancelled.id]
    assert everyone[1]["status"] == "cancelled"


def test_search_follows_a_renamed_person_and_finds_rows_written_in_bulk(app):
    event = make_event(sessions=[])
    registration = make_registration(event, make_person(first_name="Noé", last_name="Hérion"))
    assert registration.search_text.startswith("herion noe ")
    registration.person.last_name = "Stévenart"
    db.session.commit()
    assert [c["registration_id"] for c in cards.search(event, "stevenart", None)] == [
        registration.id]  # fmt: skip
    assert cards.search(event, "herion", None) == []

    # A row inserted without the ORM (a bulk import) has no search_text: found all the same.
    db.session.execute(
        sa.update(Registration).where(Registration.id == registration.id).values(search_text=None)
    )
    db.session.commit()
    assert len(cards.search(event, "STÉVENART", None)) == 1


def test_a_nonce_from_another_event_or_an_undo_is_refused(app):
    event, other = make_event(sessions=[]), make_event(sessions=[])
    here, there = make_registration(event), make_registration(other)
    entry = scan(other, there.ticket_code, "elsewhere").check_in
    scanning.undo_check_in(entry, nonce="undo-1", actor=make_user())
    db.session.commit()
    for nonce in ("elsewhere", "undo-1"):
        for ticket in (here.ticket_code, "UNKNOWN", there.ticket_code):
            with pytest.raises(Conflict):
                scan(event, ticket, nonce)
            db.session.rollback()
    assert rows() == 2
