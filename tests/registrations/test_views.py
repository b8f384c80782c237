"""The sign-up form, its result page and the self-service pages, as a visitor sees them."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.registrations import waiting_list
from boostcamp.registrations.models import Registration, RegistrationStatus
from boostcamp.registrations.tokens import make_token
from tests.conftest import make_app
from tests.factories import make_event, make_person, make_question, sign_up
from tests.registrations.helpers import mails, reload, statuses


def form_data(email="marie@example.be", **kw):
    data = dict(first_name="Marie", last_name="Dupont", email=email, profile="entrepreneur",
                consent="y")  # fmt: skip
    data.update(kw)
    return data


def register(client, event, **kw):
    return client.post(f"/events/{event.slug}/register", data=form_data(**kw))


def manage_path(registration) -> str:
    return f"/r/{make_token(registration.id)}"


def test_the_form_asks_the_events_own_questions(client):
    event = make_event(capacity=10)
    make_question(event, "Votre projet en une phrase ?", required=True, help_text="Deux lignes suffisent.")
    make_question(event, "Sujets qui vous intéressent", kind="multiple_choice", choices=["IA", "Cloud"])
    make_question(event, "Repas végétarien ?", kind="yes_no")
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "<h1" in html and f"S’inscrire à {event.title}" in html
    for text in ("Prénom", "Vous êtes", "Étudiant", "Notice de confidentialité",
                 "Votre projet en une phrase ?", "Deux lignes suffisent.", "Cloud",
                 "Repas végétarien ?", "Oui", "Laissez ce champ vide"):  # fmt: skip
        assert text in html
    assert 'name="csrf_token"' in html or not client.application.config["WTF_CSRF_ENABLED"]


def test_signing_up_shows_the_confirmation_after_a_redirect(client):
    event = make_event(capacity=1)
    response = register(client, event)
    assert response.status_code == 302
    assert response.location.endswith(f"/events/{event.slug}/register/done")
    html = client.get(response.location).get_data(as_text=True)
    assert "Vous êtes inscrit !" in html
    assert statuses(event) == {"confirmed": 1}
    html = client.get(response.location).get_data(as_text=True)  # a reload sends nothing twice
    assert "Vous êtes inscrit !" in html and len(mails()) == 1


def test_a_full_event_says_so_and_gives_the_place_in_the_queue(client):
    event = make_event(capacity=1)
    sign_up(event)
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    assert "Cet événement est complet." in form and "S’inscrire sur la liste d’attente" in form
    html = client.get(register(client, event).location).get_data(as_text=True)
    assert "Vous êtes numéro 1 sur la liste d’attente." in html


def test_registering_twice_reveals_nothing_and_mails_the_link_again(client):
    event = make_event(capacity=1)
    person = make_person("marie@example.be", first_name="Marie-Claire", last_name="Lambotte",
                         phone="+32 470 12 34 56")  # fmt: skip
    sign_up(event, "other@example.be")
    sign_up(event, "marie@example.be")  # waitlisted
    response = register(client, event, email="MARIE@example.be", first_name="X", last_name="Y")
    html = client.get(response.location).get_data(as_text=True)
    assert "Consultez votre boîte mail" in html
    for secret in ("Marie-Claire", "Lambotte", "470", "attente", "numéro", "confirmée"):
        assert secret not in html.split('<main', 1)[1]
    assert [m.to_address for m in mails("registration_link")] == ["marie@example.be"]
    assert statuses(event) == {"confirmed": 1, "waitlisted": 1}
    assert reload(person.registrations[0]).person.first_name == "Marie-Claire"


def test_errors_are_shown_next_to_their_fields_and_nothing_is_saved(client):
    event = make_event()
    question = make_question(event, "Votre projet ?", required=True)
    response = register(client, event, email="pas-une-adresse", consent="", first_name="")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Votre inscription n’est pas encore envoyée." in html
    assert 'id="email-error"' in html and "Indiquez une adresse e-mail valide." in html
    assert 'id="consent-error"' in html and "Veuillez accepter la notice de confidentialité" in html
    assert 'id="first_name-error"' in html
    assert f'id="q_{question.id}-error"' in html and "Veuillez répondre à cette question." in html
    assert 'value="Dupont"' in html  # what was typed is kept
    assert statuses(event) == {} and mails() == []


def test_a_tampered_choice_is_refused(client):
    event = make_event()
    question = make_question(event, "Format ?", kind="single_choice", choices=["Atelier", "Conférence"])
    response = register(client, event, **{f"q_{question.id}": "<script>"})
    assert "Choisissez parmi les réponses proposées." in response.get_data(as_text=True)
    assert statuses(event) == {}


def test_answers_reach_the_registration(client):
    event = make_event()
    several = make_question(event, "Sujets ?", kind="multiple_choice", choices=["IA", "Cloud", "Data"])
    yes_no = make_question(event, "Végétarien ?", kind="yes_no", required=True)
    client.post(f"/events/{event.slug}/register",
                data={**form_data(), f"q_{several.id}": ["Data", "IA"], f"q_{yes_no.id}": "yes"})  # fmt: skip
    db.session.rollback()
    registration = db.session.scalar(sa.select(Registration).where(Registration.event_id == event.id))
    assert {a.question_id: a.value for a in registration.answers} == {
        several.id: ["IA", "Data"], yes_no.id: True}


def test_the_honeypot_pretends_success_and_saves_nothing(client):
    event = make_event()
    response = register(client, event, website="http://spam.example")
    assert response.status_code == 302
    assert "Vous êtes inscrit !" in client.get(response.location).get_data(as_text=True)
    assert statuses(event) == {} and mails() == []


@pytest.mark.parametrize(
    "status, window, text",
    [
        (EventStatus.CANCELLED, {}, "Cet événement a été annulé."),
        (EventStatus.PUBLISHED, {"registration_opens_at": utcnow() + timedelta(days=2)},
         "ne sont pas encore ouvertes"),
        (EventStatus.PUBLISHED, {"registration_closes_at": utcnow() - timedelta(hours=1)},
         "sont closes"),
    ],
)  # fmt: skip
def test_the_form_is_closed_outside_the_registration_window(client, status, window, text):
    event = make_event(**window)
    event.status = status
    db.session.commit()
    for response in (client.get(f"/events/{event.slug}/register"), register(client, event)):
        html = response.get_data(as_text=True)
        assert text in html and 'name="first_name"' not in html
    assert statuses(event) == {}


def test_drafts_take_no_registrations(client):
    event = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/events/{event.slug}/register").status_code == 404
    assert register(client, event).status_code == 404


def test_the_sign_up_is_rate_limited(database_url, app):
    limited = make_app(database_url, RATELIMIT_ENABLED=True, SIGNUP_RATE_LIMIT="3 per minute")
    event = make_event()
    client = limited.test_client()
    codes = [register(client, event, email=f"p{i}@example.be").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    assert client.get(f"/events/{event.slug}/register").status_code == 200  # reading is free
    assert statuses(event) == {"confirmed": 3}


def test_the_form_needs_its_csrf_token(database_url, app):
    protected = make_app(database_url, WTF_CSRF_ENABLED=True)
    event = make_event()
    client = protected.test_client()
    assert register(client, event).status_code == 400
    html = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    assert register(client, event, csrf_token=token).status_code == 302
    assert statuses(event) == {"confirmed": 1}


# ---------------------------------------------------------------- self-service


def test_the_self_service_page_shows_the_ticket(client):
    event = make_event(capacity=5)
    registration = sign_up(event, first_name="Amina").registration
    response = client.get(manage_path(registration))
    html = response.get_data(as_text=True)
    assert "Inscription : Amina Dupont" in html and "Votre place est confirmée." in html
    assert registration.ticket_code in html
    assert f"{manage_path(registration)}/qr.svg" in html
    assert f"/events/{event.slug}.ics" in html
    assert response.headers["Cache-Control"] == "no-store"
    qr = client.get(f"{manage_path(registration)}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def test_a_tampered_link_is_a_404(client):
    event = make_event()
    registration = sign_up(event).registration
    token = make_token(registration.id)
    other = sign_up(event).registration
    forged = f"{make_token(other.id).split('.')[0]}.{token.split('.')[1]}"  # someone else's id
    for path in (f"/r/{token[:-2]}xx", f"/r/{forged}", "/r/1"):
        response = client.get(path)  # a page that offers to mail the links again
        assert response.status_code == 404
        html = response.get_data(as_text=True)
        assert "Ce lien d’inscription ne fonctionne pas" in html
        assert registration.ticket_code not in html and other.ticket_code not in html
    response = client.get(f"/r/{token[:-2]}xx/qr.svg")
    assert response.status_code == 404 and "Page introuvable" in response.get_data(as_text=True)


def test_cancelling_asks_first_then_frees_the_seat_for_the_next_person(client):
    event = make_event(capacity=1)
    seat = sign_up(event, "seat@example.be").registration
    waiting = sign_up(event, "queue@example.be").registration
    page = client.get(f"{manage_path(seat)}/cancel").get_data(as_text=True)
    assert "Annuler votre inscription ?" in page and "Oui, annuler mon inscription" in page
    assert reload(seat).status == RegistrationStatus.CONFIRMED  # asking changes nothing
    response = client.post(f"{manage_path(seat)}/cancel")
    assert response.location.endswith(manage_path(seat))
    html = client.get(response.location).get_data(as_text=True)
    assert "Votre inscription est annulée." in html and "Cette inscription est annulée." in html
    assert reload(waiting).status == RegistrationStatus.OFFERED
    assert [m.to_address for m in mails("registration_offer")] == ["queue@example.be"]


def test_the_waiting_list_page_shows_the_position_and_lets_one_leave(client):
    event = make_event(capacity=1)
    sign_up(event)
    sign_up(event)
    waiting = sign_up(event).registration
    html = client.get(manage_path(waiting)).get_data(as_text=True)
    assert "Vous êtes sur la liste d’attente : numéro 2." in html
    client.post(f"{manage_path(waiting)}/cancel")
    assert reload(waiting).status == RegistrationStatus.CANCELLED
    assert "Vous avez quitté la liste d’attente." in client.get(manage_path(waiting)).get_data(as_text=True)


def test_an_offer_is_accepted_from_its_page(client):
    event = make_event(capacity=1)
    seat = sign_up(event).registration
    waiting = sign_up(event).registration
    waiting_list.cancel_registration(reload(seat))
    db.session.commit()
    html = client.get(manage_path(waiting)).get_data(as_text=True)
    assert "Une place s’est libérée pour vous !" in html and "Accepter la place" in html
    response = client.post(f"{manage_path(waiting)}/accept")
    html = client.get(response.location).get_data(as_text=True)
    assert "La place est à vous" in html and reload(waiting).ticket_code in html
    assert reload(waiting).status == RegistrationStatus.CONFIRMED


def test_an_expired_offer_gives_a_clear_page_and_no_seat(client):
    event = make_event(capacity=1)
    seat = sign_up(event).registration
    waiting = sign_up(event).registration
    waiting_list.cancel_registration(reload(seat))
    db.session.commit()
    offered = reload(waiting)
    offered.offer_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    html = client.get(manage_path(waiting)).get_data(as_text=True)
    assert "La place qui vous était proposée n’est plus disponible." in html
    assert "Accepter la place" not in html
    response = client.post(f"{manage_path(waiting)}/accept")
    html = client.get(response.location).get_data(as_text=True)
    assert "Cette proposition a expiré" in html
    assert reload(waiting).status == RegistrationStatus.OFFERED  # the worker passes it on


def test_a_cancelled_event_says_so_on_the_self_service_page(client):
    from boostcamp.events import editing

    event = make_event()
    registration = sign_up(event).registration
    editing.cancel_event(reload(registration).event)
    db.session.commit()
    html = client.get(manage_path(registration)).get_data(as_text=True)
    assert "Cet événement a été annulé par les organisateurs." in html
    assert "Annuler mon inscription" not in html
    assert client.post(f"{manage_path(registration)}/cancel").status_code == 302
    assert reload(registration).status == RegistrationStatus.CONFIRMED
