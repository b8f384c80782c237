"""A Dutch participant's attendance certificate is in Dutch through and through: the
event's and its sessions' Dutch titles, no French left over."""

from boostcamp.registrations.tokens import make_token
from tests.factories import make_person, make_registration
from tests.outcomes.test_certificates import attend, boostcamp_with_sessions, pdf_text


def test_a_dutch_certificate_names_the_event_and_sessions_in_dutch(app, client):
    event = boostcamp_with_sessions(2)
    event.translations = {"nl": {"title": "Boostcamp Digitale Zomer"}}
    for i, session in enumerate(event.sessions):
        session.translations = {"nl": {"title": f"Dag {i + 1}"}}
    registration = make_registration(event, make_person(first_name="Lotte", language="nl"))
    attend(registration, event.sessions)
    response = client.get(f"/r/{make_token(registration.id)}/certificate.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Boostcamp Digitale Zomer" in text and "Dag 1" in text and "Dag 2" in text
    for french in ("Été", "Jour", "Attestation", "Organisé", "Délivré", "Code de vérification"):
        assert french not in text, french
