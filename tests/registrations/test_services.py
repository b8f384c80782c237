"""Sign-up, seats, the waiting list and its offers, and the mails they send (both backends)."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.events import availability, editing
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.registrations import jobs, signup, tickets, waiting_list
from boostcamp.registrations.models import Person, RegistrationStatus
from boostcamp.registrations.signup import Outcome, SignUp
from boostcamp.registrations.waiting_list import CancelReason
from tests.factories import make_event, make_person, make_question, make_registration, sign_up
from tests.registrations.helpers import attachment_types, mails, reload, statuses

# Both engines: the event's row lock, seat counts and the search.
pytestmark = pytest.mark.both_engines

CONFIRMED, WAITLISTED, OFFERED, CANCELLED = (
    RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
    RegistrationStatus.OFFERED, RegistrationStatus.CANCELLED,
)  # fmt: skip


def test_seats_go_first_then_the_waiting_list_with_positions(app):
    event = make_event(capacity=2)
    results = [sign_up(event, f"p{i}@example.be") for i in range(4)]
    assert [r.outcome for r in results] == [Outcome.CONFIRMED] * 2 + [Outcome.WAITLISTED] * 2
    assert [r.position for r in results[2:]] == [1, 2]
    assert waiting_list.waiting_position(reload(results[3].registration)) == 2
    assert statuses(event) == {"confirmed": 2, "waitlisted": 2}
    assert [m.kind for m in mails()] == ["registration_confirmed"] * 2 + ["registration_waitlisted"] * 2
    assert "liste d’attente, numéro 2." in mails("registration_waitlisted")[1].body_text


def test_an_event_without_capacity_takes_everyone(app):
    event = make_event(capacity=None)
    assert {sign_up(event).outcome for _ in range(5)} == {Outcome.CONFIRMED}


def test_the_confirmation_carries_the_calendar_invitation_the_ticket_and_the_link(app):
    event = make_event(capacity=5)
    registration = sign_up(event, "marie@example.be", language="fr").registration
    (mail,) = mails("registration_confirmed")
    assert mail.to_address == "marie@example.be" and mail.language == "fr"
    assert attachment_types(mail) == ["text/calendar; method=REQUEST; charset=utf-8", "image/png"]
    ics = mail.attachments[0].content.decode()
    assert "METHOD:REQUEST" in ics and f"UID:event-{event.id}@" in ics
    assert mail.attachments[1].content.startswith(b"\x89PNG")
    assert registration.ticket_code in mail.body_text
    assert tickets.manage_url(registration) in mail.body_text
    assert tickets.manage_url(registration) in mail.body_html
    assert mail.subject == f"Votre place pour {event.title} est confirmée"


def test_mails_speak_the_language_chosen_at_the_first_sign_up(app):
    event = make_event(capacity=5)
    sign_up(event, "john@example.be", language="en", first_name="John")
    (mail,) = mails("registration_confirmed")
    assert mail.language == "en"
    assert mail.body_text.startswith("Hello John,")


def test_the_same_person_twice_gets_no_second_registration_but_the_link_again(app):
    event = make_event(capacity=5)
    first = sign_up(event, "Marie.Dupont@Example.be").registration
    again = sign_up(event, "  marie.dupont@example.BE ", first_name="Someone", last_name="Else")
    assert again.outcome == Outcome.ALREADY_REGISTERED
    assert again.registration.id == first.id
    assert statuses(event) == {"confirmed": 1}
    (link,) = mails("registration_link")
    assert tickets.manage_url(first) in link.body_text
    # A visitor resending the form cannot flood the mailbox.
    sign_up(event, "marie.dupont@example.be")
    assert len(mails("registration_link")) == 1


def test_signing_up_never_changes_an_existing_persons_details(app):
    person = make_person("marie@example.be", first_name="Marie", last_name="Dupont",
                         phone="+32 65 00 00 00", language="en")  # fmt: skip
    event = make_event()
    sign_up(event, "MARIE@example.be", first_name="Eve", last_name="Intruder",
            phone="0000", language="fr")  # fmt: skip
    db.session.rollback()
    person = db.session.get(Person, person.id)
    assert (person.first_name, person.last_name, person.phone, person.language) == (
        "Marie", "Dupont", "+32 65 00 00 00", "en")
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1


def test_someone_who_cancelled_may_come_back_at_the_end_of_the_queue(app):
    event = make_event(capacity=1)
    sign_up(event, "a@example.be")
    gone = sign_up(event, "b@example.be").registration
    sign_up(event, "c@example.be")
    waiting_list.cancel_registration(reload(gone))
    db.session.commit()
    back = sign_up(event, "b@example.be", profile="student")
    assert back.outcome == Outcome.WAITLISTED and back.position == 2
    registration = reload(back.registration)
    assert registration.id == gone.id
    assert registration.cancelled_at is None and registration.profile.value == "student"


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(status=EventStatus.DRAFT), "pas encore ouvertes"),
        (dict(status=EventStatus.CANCELLED), "annulé"),
        (dict(registration_opens_at=utcnow() + timedelta(days=1)), "pas encore ouvertes"),
        (dict(registration_closes_at=utcnow() - timedelta(minutes=1)), "closes"),
    ],
)
def test_no_sign_up_outside_the_registration_window(app, change, message):
    from flask_babel import force_locale

    event = make_event(capacity=5, **{k: v for k, v in change.items() if k != "status"})
    if "status" in change:
        event.status = change["status"]
        db.session.commit()
    with pytest.raises(signup.RegistrationClosed) as e, force_locale("fr"):
        sign_up(event)
    with force_locale("fr"):
        assert message in str(e.value.message)
    assert statuses(event) == {}
    assert mails() == []


def test_every_wrong_field_is_named(app):
    event = make_event()
    q1 = make_question(event, "Votre projet ?", required=True)
    q2 = make_question(event, "Format ?", kind="single_choice", choices=["Atelier", "Conférence"])
    with pytest.raises(ValidationFailed) as e:
        signup.register(event, SignUp(
            email="not-an-address", first_name=" ", last_name="Dupont", consent=False,
            profile="astronaut", phone="9" * 41, answers={q2.id: "Concert"},
        ))  # fmt: skip
    assert set(e.value.errors) == {
        "email", "first_name", "consent", "profile", "phone", f"answers.{q1.id}", f"answers.{q2.id}"
    }
    assert statuses(event) == {}


def test_answers_are_kept_as_their_kind_says(app):
    event = make_event()
    text = make_question(event, "Votre projet ?")
    several = make_question(event, "Sujets ?", kind="multiple_choice", choices=["IA", "Cloud", "Data"])
    yes_no = make_question(event, "Végétarien ?", kind="yes_no")
    skipped = make_question(event, "Remarques ?", kind="long_text")
    registration = sign_up(
        event, answers={text.id: " Une app ", several.id: ["Data", "IA"], yes_no.id: "no",
                        skipped.id: ""},
    ).registration  # fmt: skip
    answers = {a.question_id: a.value for a in reload(registration).answers}
    assert answers == {text.id: "Une app", several.id: ["IA", "Data"], yes_no.id: False}


def test_a_cancelled_seat_is_offered_at_once_to_the_first_person_waiting(app):
    event = make_event(capacity=1)
    seat = sign_up(event, "a@example.be").registration
    first = sign_up(event, "b@example.be").registration
    sign_up(event, "c@example.be")
    now = utcnow()
    offers = waiting_list.cancel_registration(reload(seat), now=now)
    db.session.commit()
    assert [o.id for o in offers] == [first.id]
    first = reload(first)
    assert first.status == OFFERED
    assert first.offer_expires_at == pytest.approx(now + timedelta(hours=48), abs=timedelta(seconds=1))
    (offer,) = mails("registration_offer")
    assert offer.to_address == "b@example.be"
    assert tickets.manage_url(first) in offer.body_text
    (cancelled,) = mails("registration_cancelled")
    assert attachment_types(cancelled) == ["text/calendar; method=CANCEL; charset=utf-8"]
    assert "METHOD:CANCEL" in cancelled.attachments[0].content.decode()
    assert reload(seat).cancel_reason == "self"


def test_offers_end_before_the_event_and_none_is_made_in_its_last_hours(app):
    event = make_event(capacity=1, starts_at=utcnow() + timedelta(hours=20))
    seat = sign_up(event).registration
    waiting = sign_up(event).registration
    waiting_list.cancel_registration(reload(seat))
    db.session.commit()
    # 20 h before the start: the offer ends 2 h before it, not 48 h later.
    assert reload(waiting).offer_expires_at == pytest.approx(
        event.starts_at - timedelta(hours=2), abs=timedelta(seconds=1))

    soon = make_event(capacity=1, starts_at=utcnow() + timedelta(hours=2, minutes=30))
    seat = sign_up(soon).registration
    waiting = sign_up(soon).registration
    assert waiting_list.cancel_registration(reload(seat)) == []
    db.session.commit()
    assert reload(waiting).status == WAITLISTED
    # Nobody can be asked in time: the free seat goes to whoever signs up first.
    assert sign_up(soon).outcome == Outcome.CONFIRMED


def test_accepting_an_offer_confirms_the_seat_with_the_ticket(app):
    event = make_event(capacity=1)
    seat = sign_up(event).registration
    waiting = sign_up(event, "b@example.be").registration
    waiting_list.cancel_registration(reload(seat))
    db.session.commit()
    waiting_list.accept_offer(reload(waiting))
    db.session.commit()
    assert reload(waiting).status == CONFIRMED
    confirmation = mails("registration_confirmed", to="b@example.be")
    assert len(confirmation) == 1 and "image/png" in attachment_types(confirmation[0])
    waiting_list.accept_offer(reload(waiting))  # a second click changes nothing
    assert len(mails("registration_confirmed", to="b@example.be")) == 1


def test_an_expired_offer_cannot_be_accepted_even_before_the_worker_passes(app):
    event = make_event(capacity=1)
    seat = sign_up(event).registration
    waiting = sign_up(event).registration
    waiting_list.cancel_registration(reload(seat))
    db.session.commit()
    with pytest.raises(waiting_list.OfferExpired):
        waiting_list.accept_offer(reload(waiting), now=utcnow() + timedelta(hours=49))
    assert reload(waiting).status == OFFERED
    assert statuses(event) == {"cancelled": 1, "offered": 1}


def test_the_worker_expires_offers_and_offers_the_seat_to_the_next_person(app):
    event = make_event(capacity=1)
    seat = sign_up(event).registration
    first = sign_up(event, "first@example.be").registration
    second = sign_up(event, "second@example.be").registration
    waiting_list.cancel_registration(reload(seat))
    db.session.commit()
    assert jobs.expire_waitlist_offers(utcnow()) == 0  # not yet
    later = utcnow() + timedelta(hours=48, minutes=1)
    assert jobs.expire_waitlist_offers(later) == 1
    first, second = reload(first), reload(second)
    assert (first.status, first.cancel_reason) == (CANCELLED, "offer_expired")
    assert second.status == OFFERED
    assert [m.to_address for m in mails("registration_offer_expired")] == ["first@example.be"]
    assert [m.to_address for m in mails("registration_offer")] == [
        "first@example.be", "second@example.be"]
    assert jobs.expire_waitlist_offers(later) == 0  # each offer expires once


def test_declining_an_offer_passes_it_on(app):
    event = make_event(capacity=1)
    seat = sign_up(event).registration
    first = sign_up(event).registration
    second = sign_up(event).registration
    waiting_list.cancel_registration(reload(seat))
    db.session.commit()
    waiting_list.cancel_registration(reload(first), reason=CancelReason.OFFER_DECLINED)
    db.session.commit()
    assert reload(first).cancel_reason == "offer_declined"
    assert reload(second).status == OFFERED
    declined = mails("registration_cancelled")[-1]
    assert declined.attachments == []  # no seat, nothing in the calendar to remove


def test_leaving_the_waiting_list_frees_no_seat(app):
    event = make_event(capacity=1)
    sign_up(event)
    leaving = sign_up(event).registration
    staying = sign_up(event).registration
    assert waiting_list.cancel_registration(reload(leaving)) == []
    db.session.commit()
    assert waiting_list.waiting_position(reload(staying)) == 1


def test_participants_cannot_cancel_once_the_event_has_started(app):
    event = make_event(capacity=5)
    registration = sign_up(event).registration
    with pytest.raises(Conflict):
        waiting_list.cancel_registration(
            reload(registration), now=event.starts_at + timedelta(minutes=5)
        )
    assert reload(registration).status == CONFIRMED


def test_raising_the_capacity_offers_the_new_seats(app):
    event = make_event(capacity=1)
    sign_up(event)
    waiting = [sign_up(event).registration for _ in range(3)]
    editing.update_event(event, capacity=3)
    db.session.commit()
    assert [reload(r).status for r in waiting] == [OFFERED, OFFERED, WAITLISTED]
    assert len(mails("registration_offer")) == 2


def test_moving_the_event_tells_everyone_registered(app):
    event = make_event(capacity=1, venue="Salle A")
    confirmed = sign_up(event, "seat@example.be").registration
    sign_up(event, "queue@example.be")
    gone = sign_up(event, "gone@example.be").registration
    waiting_list.cancel_registration(reload(gone))
    db.session.commit()
    editing.update_event(event, venue="Salle B")
    db.session.commit()
    changed = {m.to_address: m for m in mails("event_changed")}
    assert set(changed) == {"seat@example.be", "queue@example.be"}
    assert "Salle B" in changed["seat@example.be"].body_text
    ics = changed["seat@example.be"].attachments[0].content.decode()
    assert "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics and "Salle B" in ics
    assert changed["queue@example.be"].attachments == []
    assert reload(confirmed).status == CONFIRMED
    editing.update_event(event, summary="Nouveau résumé")  # not a move: no mail
    db.session.commit()
    assert len(mails("event_changed")) == 2


def test_cancelling_the_event_tells_everyone_registered(app):
    event = make_event(capacity=1)
    sign_up(event, "seat@example.be")
    sign_up(event, "queue@example.be")
    editing.cancel_event(event)
    db.session.commit()
    cancelled = {m.to_address: m for m in mails("event_cancelled")}
    assert set(cancelled) == {"seat@example.be", "queue@example.be"}
    assert "METHOD:CANCEL" in cancelled["seat@example.be"].attachments[0].content.decode()


def test_reminders_go_once_to_confirmed_people_n_days_before(app):
    soon = make_event(capacity=1, starts_at=utcnow() + timedelta(days=1, hours=12))
    later = make_event(starts_at=utcnow() + timedelta(days=5))
    none = make_event(starts_at=utcnow() + timedelta(days=1))
    none.reminder_days_before = None
    db.session.commit()
    sign_up(soon, "seat@example.be")
    sign_up(soon, "queue@example.be")
    sign_up(later, "later@example.be")
    sign_up(none, "none@example.be")
    assert jobs.send_event_reminders(utcnow()) == 1
    assert [m.to_address for m in mails("registration_reminder")] == ["seat@example.be"]
    assert jobs.send_event_reminders(utcnow()) == 0
    assert jobs.send_event_reminders(utcnow() + timedelta(days=3, hours=1)) == 1
    assert [m.to_address for m in mails("registration_reminder")] == [
        "seat@example.be", "later@example.be"]


def test_a_reminder_changes_nothing_calendars_see(app):
    event = make_event(starts_at=utcnow() + timedelta(days=1))
    sign_up(event)
    before = reload_event(event).updated_at
    jobs.send_event_reminders(utcnow())
    event = reload_event(event)
    assert event.reminder_sent_at is not None and event.updated_at == before


def reload_event(event):
    from boostcamp.events.models import Event

    db.session.rollback()
    return db.session.get(Event, event.id)


def test_staff_registrations_count_in_the_seats(app):
    event = make_event(capacity=2)
    make_registration(event)
    make_registration(event, status=RegistrationStatus.OFFERED)
    assert sign_up(event).outcome == Outcome.WAITLISTED


def test_events_and_registrations_count_the_same_seats():
    # The events domain counts seats by table name (it may not import registrations).
    from boostcamp.registrations.models import HOLDING

    assert sorted(availability.HOLDING) == sorted(s.value for s in HOLDING)
