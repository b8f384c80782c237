"""After sign-up the answer page carries the ticket and the link of the registration just
made (never of one that existed before); a lost or broken link leads to a page that mails the
links of an address's registrations again."""

import sqlalchemy as sa

from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration
from boostcamp.registrations.tokens import make_token
from tests.conftest import make_app
from tests.factories import make_event
from tests.registrations.helpers import mails
from tests.registrations.test_views import register


def the_registration(email: str) -> Registration:
    db.session.rollback()
    from boostcamp.registrations.models import Person

    return db.session.scalars(
        sa.select(Registration).join(Person).where(Person.email == email)
    ).one()


def test_the_answer_page_shows_the_ticket_and_the_link(client):
    event = make_event(title="Boostcamp Mons")
    assert register(client, event, email="ana@example.be").status_code == 302
    html = client.get(f"/events/{event.slug}/register/done").get_data(as_text=True)
    registration = the_registration("ana@example.be")
    token = make_token(registration.id)
    assert registration.ticket_code in html
    assert f"/r/{token}/qr.svg" in html
    assert f'href="/r/{token}"' in html
    assert client.get(f"/r/{token}/qr.svg").status_code == 200


def test_a_waitlisted_person_gets_the_link_but_no_ticket(client):
    event = make_event(capacity=1)
    register(client.application.test_client(), event, email="first@example.be")
    register(client, event, email="second@example.be")
    html = client.get(f"/events/{event.slug}/register/done").get_data(as_text=True)
    registration = the_registration("second@example.be")
    assert f'href="/r/{make_token(registration.id)}"' in html
    assert registration.ticket_code not in html and "qr.svg" not in html


def test_an_address_already_registered_gets_no_link_on_the_page(client, app):
    event = make_event()
    register(app.test_client(), event, email="ana@example.be")
    registration = the_registration("ana@example.be")
    register(client, event, email="ana@example.be")  # someone else types her address
    html = client.get(f"/events/{event.slug}/register/done").get_data(as_text=True)
    assert make_token(registration.id) not in html
    assert registration.ticket_code not in html and "qr.svg" not in html
    assert "/r/" not in html
    assert len(mails("registration_link", to="ana@example.be")) == 1


def test_a_broken_link_offers_to_send_the_links_again(client):
    event = make_event(title="Boostcamp Mons")
    other = make_event(title="Atelier pitch")
    register(client, event, email="ana@example.be")
    register(client, other, email="ana@example.be")
    token = make_token(the_registration_any("ana@example.be"))
    response = client.get(f"/r/{token[:-3]}xyz")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'action="/registrations/lost-link"' in html and 'name="email"' in html

    before = len(mails("registration_link"))
    answer = client.post("/registrations/lost-link", data={"email": " Ana@Example.be "})
    assert answer.status_code == 200
    sent = mails("registration_link", to="ana@example.be")
    assert len(sent) - before == 2
    assert {m.subject for m in sent} == {"Votre inscription à Boostcamp Mons",
                                         "Votre inscription à Atelier pitch"}  # fmt: skip
    # The same answer for an address nobody registered with, and nothing is sent.
    unknown = client.post("/registrations/lost-link", data={"email": "nobody@example.be"})
    assert unknown.status_code == 200
    assert _answer(unknown) == _answer(answer)
    assert mails("registration_link", to="nobody@example.be") == []
    # Asked again at once: no second mail per registration.
    client.post("/registrations/lost-link", data={"email": "ana@example.be"})
    assert len(mails("registration_link", to="ana@example.be")) == 2


def test_a_bad_address_is_a_field_error(client):
    response = client.post("/registrations/lost-link", data={"email": "not an address"})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True) or "is-invalid" in (
        response.get_data(as_text=True)
    )


def test_sending_the_links_again_is_rate_limited(database_url, app):
    limited = make_app(database_url, RATELIMIT_ENABLED=True, LOST_LINK_RATE_LIMIT="2 per minute")
    client = limited.test_client()
    codes = [
        client.post("/registrations/lost-link", data={"email": f"p{i}@example.be"}).status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def the_registration_any(email: str) -> int:
    db.session.rollback()
    from boostcamp.registrations.models import Person

    return db.session.scalars(
        sa.select(Registration.id).join(Person).where(Person.email == email).limit(1)
    ).one()


def _answer(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]
