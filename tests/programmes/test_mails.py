"""A programme's sign-up is one mail, with every event's QR ticket and calendar invitation,
through the real SMTP test server; an event's own sign-up and its later changes keep their
own mails."""

from datetime import timedelta

import pytest

from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.programmes import enrolment
from boostcamp.programmes.models import ProgrammeRegistration
from boostcamp.registrations import waiting_list
from boostcamp.registrations.models import Registration
from boostcamp.registrations.signup import SignUp
from boostcamp.registrations.waiting_list import CancelReason
from tests.factories import make_centre, make_event, make_programme
from tests.registrations.test_mail_flow import received, register, send_mails, text_of

FORM = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.be",
        "profile": "job_seeker", "consent": "y"}  # fmt: skip
DUTCH = {"Accept-Language": "nl-BE,nl;q=0.9"}


def soon(days: int):
    return (utcnow() + timedelta(days=days)).replace(hour=9, minute=0, second=0, microsecond=0)


@pytest.fixture
def path(app):
    centre = make_centre("MIC Mons")
    events = [
        make_event(host=centre, title="Boostcamp", starts_at=soon(10), days=2, capacity=10),
        make_event(host=centre, title="Atelier", starts_at=soon(20), capacity=1),
        make_event(host=centre, title="Examen", starts_at=soon(30), capacity=10),
    ]
    for event in events:
        event.translations = {"nl": {"title": f"{event.title} NL"}}
    db.session.commit()
    return make_programme(events, title="Parcours printemps"), events


def attachments(message) -> dict[str, list]:
    found: dict[str, list] = {}
    for part in message.iter_attachments():
        found.setdefault(part.get_content_type(), []).append(part)
    return found


def test_a_programme_sign_up_is_one_mail_with_every_ticket_and_invitation(client, path,
                                                                           smtp_server):  # fmt: skip
    programme, events = path
    response = client.post(f"/programmes/{programme.slug}/register", data=FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    send_mails()
    (mail,) = smtp_server.messages  # no mail per event
    assert mail["Subject"] == "Inscription confirmée : Parcours printemps"
    parts = attachments(mail)
    assert sorted(parts) == ["image/png", "text/calendar"]
    assert len(parts["image/png"]) == 3 and len(parts["text/calendar"]) == 3
    tickets = {r.event_id: r.ticket_code for r in db.session.scalars(db.select(Registration))}
    assert {p.get_filename() for p in parts["image/png"]} == {
        f"ticket-{code}.png" for code in tickets.values()}
    for event, ics in zip(events, parts["text/calendar"]):  # in the order of the events
        calendar = ics.get_content()
        assert ics.get_filename() == f"{event.slug}.ics"
        assert "METHOD:REQUEST" in calendar and event.title in calendar
        assert "mailto:lea@example.be" in calendar
    text = text_of(mail)
    assert [text.index(e.title) for e in events] == sorted(text.index(e.title) for e in events)
    assert all(code in text for code in tickets.values())
    assert "ci-dessous" in text and "suit pour chaque événement" not in text
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert all(f'src="cid:ticket-{code}.png"' in html for code in tickets.values())


def test_an_event_alone_still_has_its_own_mail(client, path, smtp_server):
    _programme, events = path
    register(client, events[2], "solo@example.be")
    send_mails()
    (mail,) = received(smtp_server, "solo@example.be")
    assert mail["Subject"] == "Votre place pour Examen est confirmée"
    assert sorted(attachments(mail)) == ["image/png", "text/calendar"]


def test_cancelling_one_event_later_mails_that_event_alone(client, path, smtp_server):
    programme, events = path
    result = enrolment.sign_up(programme, SignUp(email="lea@example.be", first_name="Léa",
                                                 last_name="Martin", consent=True))  # fmt: skip
    db.session.commit()
    send_mails()
    waiting_list.cancel_registration(result.registrations[2], reason=CancelReason.STAFF)
    db.session.commit()
    send_mails()
    first, cancelled = received(smtp_server, "lea@example.be")
    assert len(attachments(first)["image/png"]) == 3
    assert cancelled["Subject"] == "Annulation : Examen"
    (ics,) = attachments(cancelled)["text/calendar"]
    assert "METHOD:CANCEL" in ics.get_content()


def test_a_seat_cancelled_before_the_mail_is_written_has_no_ticket_in_it(path, smtp_server):
    programme, events = path
    result = enrolment.sign_up(programme, SignUp(email="lea@example.be", first_name="Léa",
                                                 last_name="Martin", consent=True))  # fmt: skip
    waiting_list.cancel_registration(result.registrations[2], reason=CancelReason.STAFF)
    db.session.commit()
    send_mails()
    first, _cancelled = received(smtp_server, "lea@example.be")
    assert len(attachments(first)["image/png"]) == 2
    assert result.registrations[2].ticket_code not in text_of(first)


@pytest.mark.both_engines  # row locks, the queue's order
def test_a_person_promoted_from_the_waiting_list_gets_one_mail(path, smtp_server):
    programme, events = path
    first = enrolment.sign_up(programme, SignUp(email="first@example.be", first_name="Ana",
                                                last_name="D", consent=True))  # fmt: skip
    db.session.commit()
    waiting = enrolment.sign_up(programme, SignUp(email="next@example.be", first_name="Ben",
                                                  last_name="D", consent=True))  # fmt: skip
    db.session.commit()
    assert waiting.outcome == enrolment.Outcome.WAITLISTED
    send_mails()
    smtp_server.messages.clear()
    enrolment.cancel(first.programme_registration)
    db.session.commit()
    send_mails()
    (mail,) = received(smtp_server, "next@example.be")
    assert mail["Subject"].startswith("Une place à chaque événement")
    parts = attachments(mail)
    assert len(parts["image/png"]) == 3 and len(parts["text/calendar"]) == 3
    assert len(received(smtp_server, "first@example.be")) == 3  # a cancellation per event


def test_the_mail_is_in_the_persons_language(client, path, smtp_server):
    programme, events = path
    response = client.post(f"/programmes/{programme.slug}/register", data=FORM, headers=DUTCH)
    assert response.status_code == 302, response.get_data(as_text=True)
    send_mails()
    (mail,) = smtp_server.messages
    assert mail["Content-Language"] == "nl"
    assert mail["Subject"] == "Ingeschreven: Parcours printemps"
    text = text_of(mail)
    assert "Beste Léa," in text and "Uw ticket voor elk evenement" in text
    assert all(f"{e.title} NL" in text for e in events)  # the events' titles in Dutch
    for ics in attachments(mail)["text/calendar"]:
        assert " NL" in ics.get_content()


def test_a_partners_sign_up_says_who_did_it_in_the_one_mail(path, smtp_server):
    programme, _events = path
    enrolment.sign_up(programme, SignUp(
        email="lea@example.be", first_name="Léa", last_name="Martin", consent=True,
        source=enrolment.RegistrationSource.API, registered_by="Partenaire A"))  # fmt: skip
    db.session.commit()
    send_mails()
    (mail,) = smtp_server.messages
    text = text_of(mail)
    assert "Partenaire A a fait votre inscription à ce programme." in text
    assert "/my-data/" in text or "/r/" in text
    entry = db.session.scalars(db.select(ProgrammeRegistration)).one()
    assert entry.status.value == "confirmed"


def test_the_waiting_list_mail_names_the_full_events_in_the_persons_language(client, path,
                                                                              smtp_server):  # fmt: skip
    programme, events = path
    enrolment.sign_up(programme, SignUp(email="first@example.be", first_name="Ana",
                                        last_name="D", consent=True))  # fmt: skip
    db.session.commit()
    client.post(f"/programmes/{programme.slug}/register", data=FORM, headers=DUTCH)
    send_mails()
    (mail,) = received(smtp_server, "lea@example.be")
    assert mail["Subject"] == "U staat op de wachtlijst voor Parcours printemps"
    assert "Atelier NL" in text_of(mail)
    assert list(mail.iter_attachments()) == []


def test_seats_given_by_staff_are_one_mail_too(path, smtp_server):
    programme, events = path
    first = enrolment.sign_up(programme, SignUp(email="first@example.be", first_name="Ana",
                                                last_name="D", consent=True))  # fmt: skip
    entry = enrolment.sign_up(programme, SignUp(email="lea@example.be", first_name="Léa",
                                                last_name="M", consent=True)).programme_registration  # fmt: skip
    db.session.commit()
    waiting_list.cancel_registration(first.registrations[1], reason=CancelReason.STAFF)
    enrolment.give_seats(entry)  # before the worker's job would promote her
    db.session.commit()
    send_mails()
    waitlisted, mail = received(smtp_server, "lea@example.be")
    assert mail["Subject"] == "Inscription confirmée : Parcours printemps"
    assert len(attachments(mail)["image/png"]) == 3
