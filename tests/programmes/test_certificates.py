"""The programme certificate: earned by the programme's rule (all events, or N of them, each
with the share of sessions an attendance certificate needs), a PDF with the total training
hours, and a code anyone can check."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.programmes import certificates, enrolment
from boostcamp.programmes.tokens import make_token
from boostcamp.registrations.models import Registration
from boostcamp.registrations.signup import SignUp
from tests.factories import make_centre, make_check_in, make_event, make_programme


def soon(days: int, hour: int = 9):
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def entry(app):
    centre = make_centre("MIC Mons")
    boostcamp = make_event(host=centre, title="Boostcamp", starts_at=soon(10), days=2, sessions=[
        ("Jour 1", soon(10), soon(10, 17)), ("Jour 2", soon(11), soon(11, 17))])
    workshop = make_event(host=centre, title="Atelier", starts_at=soon(20))  # 9 hours, no agenda
    programme = make_programme([boostcamp, workshop], title="Parcours")
    entry = enrolment.sign_up(programme, SignUp(email="lea@example.be", first_name="Léa",
                                               last_name="Martin", consent=True)).programme_registration
    db.session.commit()
    return entry


def attend(entry, title, session_index=None):
    registration = db.session.scalars(sa.select(Registration).join(Registration.event).where(
        Registration.person_id == entry.person_id, sa.text("event.title = :t")).params(t=title)).one()
    session = registration.event.sessions[session_index] if session_index is not None else None
    make_check_in(registration, session)


def test_the_certificate_needs_every_event_by_default(client, entry):
    url = f"/programmes/{entry.programme.slug}/p/{make_token(entry.id)}/certificate.pdf"
    attend(entry, "Boostcamp", 0)  # half of the Boostcamp: it counts (50 %)
    response = client.get(url)
    assert response.status_code == 409
    assert "2 de ses événements ; 1 pour l’instant" in response.get_data(as_text=True)
    attend(entry, "Atelier")
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    achievement = certificates.achievement_of(entry)
    assert achievement.hours == 8 + 9  # a Boostcamp day and the workshop
    code = certificates.verification_code(entry)
    page = client.get(f"/programmes/certificates/{code}")
    assert page.status_code == 200 and "Léa Martin" in page.get_data(as_text=True)


def test_n_of_m_events_is_enough_when_the_programme_says_so(client, entry):
    entry.programme.required_events = 1
    db.session.commit()
    attend(entry, "Atelier")
    assert certificates.achievement_of(entry).earned


@pytest.mark.parametrize("code", ["P1-0000000000", "1-ABC", "P99999999999999999999-AB", "", "P-"])
def test_a_wrong_code_is_not_a_certificate(client, entry, code):
    assert client.get(f"/programmes/certificates/{code}x").status_code == 404
    assert certificates.entry_id_from_code(code) is None
