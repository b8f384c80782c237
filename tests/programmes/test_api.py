"""/api/v1/programmes: list, create (the centre's token), read, and one registration for all
the events of a programme; a partner's token sees and manages only its own programmes."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes import jobs
from boostcamp.programmes.models import Programme
from boostcamp.registrations import waiting_list
from boostcamp.registrations.models import Consent, ConsentChannel, Person, Registration
from boostcamp.registrations.waiting_list import CancelReason
from tests.api.helpers import bearer, make_token
from tests.factories import make_centre, make_event, make_org, make_programme, make_registration
from tests.registrations.test_mail_flow import received, send_mails, text_of
from tests.test_hostile_partner import snapshot

PERSON = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.be", "consent": True,
          "profile": "job_seeker"}  # fmt: skip


def soon(days: int):
    return (utcnow() + timedelta(days=days)).replace(hour=8, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    a, b = make_org("Mind & Market"), make_org("Namur coworking")
    events_a = [make_event(host=centre, co_organisers=[a], title=f"A{i}", starts_at=soon(10 * i),
                           capacity=5) for i in (1, 2)]  # fmt: skip
    event_b = make_event(host=centre, co_organisers=[b], title="B1", starts_at=soon(40))
    programme_a = make_programme(events_a, host=centre, co_organisers=[a], title="Parcours A")
    programme_b = make_programme([event_b], host=centre, co_organisers=[b], title="Parcours B")
    return {"centre": make_token(centre), "a": make_token(a), "events_a": events_a,
            "event_b": event_b, "programme_a": programme_a, "programme_b": programme_b}  # fmt: skip


def test_a_partner_lists_and_reads_only_its_programmes(client, world):
    listing = client.get("/api/v1/programmes", headers=bearer(world["a"])).json
    assert [p["title"] for p in listing["items"]] == ["Parcours A"]
    assert listing["pagination"]["total"] == 1
    one = client.get(f"/api/v1/programmes/{world['programme_a'].slug}", headers=bearer(world["a"]))
    assert one.status_code == 200
    assert [e["title"] for e in one.json["events"]] == ["A1", "A2"]
    assert one.json["events"][0]["seats_left"] == 5 and one.json["ics_url"].endswith(".ics")
    other = client.get(f"/api/v1/programmes/{world['programme_b'].slug}", headers=bearer(world["a"]))
    assert other.status_code == 404 and "Parcours B" not in other.get_data(as_text=True)
    assert len(client.get("/api/v1/programmes", headers=bearer(world["centre"])).json["items"]) == 2


def test_the_centre_creates_a_programme_and_a_partner_may_not(client, world):
    data = {"title": "Parcours été", "events": [e.slug for e in world["events_a"]],
            "co_organisers": ["mind-market"], "published": True}  # fmt: skip
    before = snapshot()
    refused = client.post("/api/v1/programmes", headers=bearer(world["a"]), json=data)
    assert refused.status_code == 403 and snapshot() == before
    made = client.post("/api/v1/programmes", headers=bearer(world["centre"]), json=data)
    assert made.status_code == 201, made.json
    assert made.json["status"] == "published" and made.json["host"]["slug"] == "mic-mons"
    assert made.headers["Location"].endswith(f"/api/v1/programmes/{made.json['slug']}")


@pytest.mark.parametrize("change, field", [
    ({"events": ["no-such-event"]}, "events"),
    ({"co_organisers": ["nobody"]}, "co_organisers"),
    ({"title": ""}, "title"),
    ({"required_events": 0}, "required_events"),
    ({"title": "x" * 201}, "title"),
])  # fmt: skip
def test_bad_programmes_are_field_errors(client, world, change, field):
    data = {"title": "Parcours", "events": [world["events_a"][0].slug], **change}
    before = snapshot()
    response = client.post("/api/v1/programmes", headers=bearer(world["centre"]), json=data)
    assert response.status_code == 422, response.json
    assert field in response.json["fields"]
    assert snapshot() == before


def test_overlapping_events_are_a_field_error(client, world):
    clash = make_event(host=world["events_a"][0].host, title="Même jour",
                       starts_at=world["events_a"][0].starts_at)  # fmt: skip
    response = client.post("/api/v1/programmes", headers=bearer(world["centre"]), json={
        "title": "Parcours", "events": [world["events_a"][0].slug, clash.slug]})
    assert response.status_code == 422 and "events" in response.json["fields"]


def test_one_registration_through_the_api_and_again(client, world):
    url = f"/api/v1/programmes/{world['programme_a'].slug}/registrations"
    response = client.post(url, headers=bearer(world["a"]), json=PERSON)
    assert response.status_code == 201, response.json
    assert response.json["status"] == "confirmed"
    assert [r["event"] for r in response.json["registrations"]] == [e.slug for e in world["events_a"]]
    again = client.post(url, headers=bearer(world["a"]), json=PERSON)
    assert again.status_code == 200 and again.json["status"] == "confirmed"
    db.session.rollback()
    sources = {r.source.value for r in db.session.scalars(sa.select(Registration))}
    assert sources == {"api"}


def test_a_full_event_puts_the_person_on_the_programmes_waiting_list(client, world):
    for _ in range(5):
        make_registration(world["events_a"][1])
    url = f"/api/v1/programmes/{world['programme_a'].slug}/registrations"
    response = client.post(url, headers=bearer(world["a"]), json=PERSON)
    assert response.status_code == 201
    assert response.json["status"] == "waitlisted" and response.json["registrations"] == []
    assert response.json["full"] == [world["events_a"][1].slug]


def test_a_partner_cannot_register_anyone_for_another_partners_programme(client, world):
    before = snapshot()
    url = f"/api/v1/programmes/{world['programme_b'].slug}/registrations"
    assert client.post(url, headers=bearer(world["a"]), json=PERSON).status_code == 404
    assert snapshot() == before


def test_a_partner_does_not_learn_the_name_someone_gave_elsewhere(client, world):
    client.post(f"/api/v1/events/{world['event_b'].slug}/registrations",
                headers=bearer(make_token(world["event_b"].co_organisers[0], "B")),
                json={**PERSON, "first_name": "Léa-Secrète"})  # fmt: skip
    response = client.post(f"/api/v1/programmes/{world['programme_a'].slug}/registrations",
                           headers=bearer(world["a"]), json={**PERSON, "first_name": "L."})
    assert response.status_code == 201 and response.json["first_name"] == "L."
    assert "Secrète" not in response.get_data(as_text=True)


def test_closed_programmes_and_questions_are_refused(client, world):
    url = f"/api/v1/programmes/{world['programme_a'].slug}/registrations"
    response = client.post(url, headers=bearer(world["a"]), json={**PERSON, "answers": {"1": "x"}})
    assert response.status_code == 422 and "answers" in response.json["fields"]
    db.session.rollback()  # SQLite: the test's snapshot predates the request
    world["programme_a"].status = EventStatus.CANCELLED
    db.session.commit()
    response = client.post(url, headers=bearer(world["a"]), json=PERSON)
    assert response.status_code == 409 and response.json["error"] == "registration_closed"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Programme.id))) == 2


def consents_to(email: str) -> list:
    db.session.rollback()
    return list(db.session.scalars(
        sa.select(Consent).join(Person, Person.id == Consent.person_id).where(Person.email == email)
        .order_by(Consent.id)))  # fmt: skip


def test_a_programme_sign_up_through_the_api_records_who_asserted_the_consent(client, world,
                                                                              smtp_server):  # fmt: skip
    event_url = f"/api/v1/events/{world['event_b'].slug}/registrations"
    token_b = make_token(world["event_b"].co_organisers[0], "B")
    assert client.post(event_url, headers=bearer(token_b),
                       json={**PERSON, "email": "ev@example.be"}).status_code == 201
    (alone,) = consents_to("ev@example.be")
    url = f"/api/v1/programmes/{world['programme_a'].slug}/registrations"
    assert client.post(url, headers=bearer(world["a"]), json=PERSON).status_code == 201
    rows = consents_to("lea@example.be")
    assert len(rows) == 2  # one per event of the programme
    assert {(r.channel, r.asserted_by) for r in rows} == {
        (ConsentChannel.API, "API token “Site web” (Mind & Market)")}
    assert (alone.channel, alone.asserted_by) == (ConsentChannel.API, "API token “B” (Namur coworking)")
    # the one mail says who registered them, as the event's notice does
    send_mails()
    (mail,) = received(smtp_server, "lea@example.be")
    assert "Mind & Market a fait votre inscription à ce programme." in text_of(mail)


@pytest.mark.both_engines
def test_seats_given_later_from_the_waiting_list_keep_who_asserted_the_consent(client, world):
    for _ in range(5):
        make_registration(world["events_a"][1])
    url = f"/api/v1/programmes/{world['programme_a'].slug}/registrations"
    response = client.post(url, headers=bearer(world["a"]), json=PERSON)
    assert response.json["status"] == "waitlisted"
    db.session.rollback()
    holder = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == world["events_a"][1].id)).first()  # fmt: skip
    waiting_list.cancel_registration(holder, reason=CancelReason.STAFF)
    db.session.commit()
    assert jobs.promote_programme_waiting_lists(utcnow()) == 1
    rows = consents_to("lea@example.be")
    assert len(rows) == 2 and {r.asserted_by for r in rows} == {
        "API token “Site web” (Mind & Market)"}
