"""The partner API on registrations: the list a platform reads, and registering its members."""

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.registrations.models import (
    Person,
    Registration,
    RegistrationAnswer,
    RegistrationSource,
)
from tests.api.helpers import bearer, make_token
from tests.factories import make_centre, make_event, make_org, make_question, sign_up


def url(event) -> str:
    return f"/api/v1/events/{event.slug}/registrations"


def member(**overrides) -> dict:
    """The JSON of a platform's member who registers."""
    data = {
        "first_name": "Amina",
        "last_name": "Benali",
        "email": "amina@startup.be",
        "profile": "entrepreneur",
        "organisation": "Tiny Robots",
        "phone": "+32 470 12 34 56",
        "consent": True,
        "consent_followup": True,
        "language": "en",
    }
    data.update(overrides)
    return data


def counts() -> dict[str, int]:
    """Rows a registration may write, to prove that a refused request saved nothing."""
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Person, Registration, RegistrationAnswer, OutboxMessage)
    }


def mails_to(address: str) -> list[str]:
    db.session.rollback()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage.kind)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )


@pytest.fixture
def partner():
    return make_org("Mind & Market")


@pytest.fixture
def event(partner):
    """A published event that the partner co-organises, with two seats."""
    return make_event(host=make_centre(), co_organisers=[partner], capacity=2)


# ---------------------------------------------------------------- the list


def test_list_shows_each_person_with_status_ticket_answers_and_place_in_line(
    client, partner, event
):
    project = make_question(event, "Votre projet ?")
    topics = make_question(
        event, "Thèmes", kind="multiple_choice", choices=["IA", "Cloud", "Data"]
    )
    answers = {project.id: "Une app de covoiturage", topics.id: ["Data", "IA"]}
    first = sign_up(event, "lea@example.be", first_name="Léa", last_name="Martin", answers=answers)
    sign_up(event, "tom@example.be")
    waiting = sign_up(event, "zoe@example.be", first_name="Zoé")
    assert waiting.outcome == "waitlisted"

    response = client.get(url(event), headers=bearer(make_token(partner)))
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [i["email"] for i in items] == ["lea@example.be", "tom@example.be", "zoe@example.be"]
    lea = items[0]
    assert lea["first_name"] == "Léa" and lea["last_name"] == "Martin"
    assert lea["status"] == "confirmed" and lea["waiting_position"] is None
    assert lea["ticket"] == first.registration.ticket_code
    assert lea["answers"] == {
        str(project.id): "Une app de covoiturage", str(topics.id): ["IA", "Data"]
    }
    assert lea["source"] == "form" and lea["profile"] == "entrepreneur"
    created = datetime.fromisoformat(lea["created_at"])
    assert created.utcoffset() is not None  # given with its offset
    assert abs(created - utcnow()) < timedelta(minutes=5)
    assert items[2]["status"] == "waitlisted" and items[2]["waiting_position"] == 1
    assert response.json["pagination"] == {"page": 1, "per_page": 20, "total": 3, "pages": 1}


def test_list_keeps_one_status_when_asked(client, partner, event):
    for n in range(3):
        sign_up(event, f"p{n}@example.be")
    response = client.get(url(event) + "?status=waitlisted", headers=bearer(make_token(partner)))
    assert [i["email"] for i in response.json["items"]] == ["p2@example.be"]
    response = client.get(url(event) + "?status=cancelled", headers=bearer(make_token(partner)))
    assert response.json["items"] == []
    response = client.get(url(event) + "?status=maybe", headers=bearer(make_token(partner)))
    assert response.status_code == 422
    assert response.json["fields"] == {"status": "Statut inconnu."}


def test_list_is_paginated(client, partner):
    event = make_event(host=make_centre(), co_organisers=[partner])
    for n in range(5):
        sign_up(event, f"p{n}@example.be")
    token = make_token(partner)
    response = client.get(url(event) + "?per_page=2&page=3", headers=bearer(token))
    assert [i["email"] for i in response.json["items"]] == ["p4@example.be"]
    assert response.json["pagination"] == {"page": 3, "per_page": 2, "total": 5, "pages": 3}
    response = client.get(url(event) + "?per_page=101", headers=bearer(token))
    assert response.status_code == 422 and "per_page" in response.json["fields"]


def test_list_costs_the_same_queries_for_few_and_many_registrations(
    client, count_queries, partner
):
    event = make_event(host=make_centre(), co_organisers=[partner], capacity=3)
    questions = [make_question(event, f"Question {n}") for n in range(2)]
    token = make_token(partner)

    def add(n, start):
        for i in range(start, start + n):
            sign_up(event, f"p{i}@example.be", answers={q.id: "oui" for q in questions})

    address = url(event)
    add(4, 0)  # confirmed and waiting
    client.get(address, headers=bearer(token))  # notes the token's use, once a minute
    with count_queries() as few:
        assert len(client.get(address, headers=bearer(token)).json["items"]) == 4
    add(30, 4)
    with count_queries() as many:
        response = client.get(address + "?per_page=100", headers=bearer(token))
    assert len(response.json["items"]) == 34
    assert response.json["items"][-1]["waiting_position"] == 31
    assert many.count == few.count, many.statements


# ---------------------------------------------------------------- who may


def test_each_token_sees_only_the_registrations_of_its_events(client, partner, event):
    sign_up(event, "lea@example.be")
    centre_token, own = make_token(event.host), make_token(partner)
    other = make_token(make_org("TRAKK"))
    assert client.get(url(event), headers=bearer(centre_token)).json["items"][0]["email"] == (
        "lea@example.be"
    )
    assert len(client.get(url(event), headers=bearer(own)).json["items"]) == 1
    # Another platform learns nothing, not even that the event exists.
    before = counts()
    for response in (
        client.get(url(event), headers=bearer(other)),
        client.post(url(event), headers=bearer(other), json=member()),
        client.get("/api/v1/events/no-such-event/registrations", headers=bearer(centre_token)),
    ):
        assert response.status_code == 404
        assert response.json["error"] == "not_found"
    assert counts() == before
    assert client.get(url(event)).status_code == 401


def test_centre_token_registers_on_any_event(client):
    event = make_event(host=make_centre(), co_organisers=[make_org("TRAKK")])
    response = client.post(url(event), headers=bearer(make_token(event.host)), json=member())
    assert response.status_code == 201
    assert response.json["status"] == "confirmed"


# ---------------------------------------------------------------- registering


def test_partner_registers_its_members_confirmed_then_waitlisted_with_the_forms_mails(
    client, partner, event
):
    question = make_question(event, "Votre projet ?", required=True)
    token = make_token(partner)
    answers = {str(question.id): "Des robots"}
    first = client.post(url(event), headers=bearer(token), json=member(answers=answers))
    assert first.status_code == 201, first.json
    body = first.json
    assert body["status"] == "confirmed" and body["waiting_position"] is None
    assert body["email"] == "amina@startup.be" and body["organisation"] == "Tiny Robots"
    assert body["answers"] == answers and body["source"] == "api"
    assert len(body["ticket"]) == 12
    second = client.post(url(event), headers=bearer(token),
                         json=member(email="bob@startup.be", answers=answers))  # fmt: skip
    assert second.json["status"] == "confirmed"
    third = client.post(url(event), headers=bearer(token),
                        json=member(email="Chloe@Startup.be", answers=answers))  # fmt: skip
    assert third.status_code == 201
    assert third.json["status"] == "waitlisted" and third.json["waiting_position"] == 1

    db.session.rollback()
    registration = db.session.scalar(
        sa.select(Registration).where(Registration.ticket_code == body["ticket"])
    )
    assert registration.source == RegistrationSource.API
    assert registration.consent_at is not None and registration.consent_followup
    assert registration.person.language == "en" and registration.person.phone
    # The form's mails, and a notice that the partner registered them (privacy, issue 14).
    assert mails_to("amina@startup.be") == ["registration_notice", "registration_confirmed"]
    assert mails_to("chloe@startup.be") == ["registration_notice", "registration_waitlisted"]


def test_an_address_already_registered_gets_no_second_registration(client, partner, event):
    token = make_token(partner)
    first = client.post(url(event), headers=bearer(token), json=member())
    before = counts()
    again = client.post(
        url(event), headers=bearer(token),
        json=member(email=" AMINA@startup.be", first_name="Someone", last_name="Else"),
    )  # fmt: skip
    # The registration as it was: a retried request is harmless.
    assert again.status_code == 200, again.json
    assert again.json["ticket"] == first.json["ticket"]
    assert again.json["first_name"] == "Amina"
    after = counts()
    assert after["Registration"] == before["Registration"]
    assert after["Person"] == before["Person"]
    # As on the form, they get their personal link again.
    assert mails_to("amina@startup.be") == [
        "registration_notice", "registration_confirmed", "registration_link"]


@pytest.mark.parametrize(
    ("status", "change"),
    [
        ("closed", dict(registration_closes_at=utcnow() - timedelta(hours=1))),
        ("draft", dict(status=EventStatus.DRAFT)),
        ("cancelled", dict(status=EventStatus.CANCELLED)),
    ],
)
def test_nobody_is_registered_when_registration_is_not_open(client, partner, status, change):
    event = make_event(host=make_centre(), co_organisers=[partner], **change)
    before = counts()
    response = client.post(url(event), headers=bearer(make_token(partner)), json=member())
    assert response.status_code == 409, status
    assert response.json["error"] == "registration_closed"
    assert response.json["message"].startswith(("Les inscriptions", "Cet événement"))
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"consent": None}, {"consent"}),  # left out
        ({"consent": False}, {"consent"}),
        ({"email": "amina@"}, {"email"}),
        ({"first_name": "  ", "profile": "astronaut"}, {"first_name", "profile"}),
        ({"first_name": 42, "consent": "maybe"}, {"first_name", "consent"}),
        ({"answers": ["Des robots"]}, {"answers"}),
        ({"answers": {"999999": "Des robots"}}, {"answers"}),
        ({"last_name": "x" * 101}, {"last_name"}),
        ({"organisation": "x" * 201}, {"organisation"}),
        ({"language": "de"}, {"language"}),
        ({"nickname": "Ami"}, {"nickname"}),
    ],
)
def test_invalid_input_is_refused_field_by_field_and_saves_nothing(
    client, partner, event, change, fields
):
    data = member(**change)
    data = {k: v for k, v in data.items() if v is not None}
    before = counts()
    response = client.post(url(event), headers=bearer(make_token(partner)), json=data)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_failed"
    assert set(response.json["fields"]) == fields
    assert counts() == before


def test_answers_follow_the_rules_of_the_events_questions(client, partner, event):
    required = make_question(event, "Votre projet ?", required=True)
    long = make_question(event, "Décrivez", kind="long_text")
    before = counts()
    response = client.post(
        url(event), headers=bearer(make_token(partner)),
        json=member(answers={str(long.id): "x" * 5001}),
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json["fields"] == {
        f"answers.{required.id}": "Veuillez répondre à cette question.",
        f"answers.{long.id}": "5000 caractères au maximum.",
    }
    assert counts() == before


def test_messages_are_those_of_the_form_in_french(client, partner, event):
    response = client.post(
        url(event), headers=bearer(make_token(partner)), json=member(consent=False, email="x")
    )
    assert response.json["fields"] == {
        "email": "Indiquez une adresse e-mail valide.",
        "consent": "Veuillez accepter la notice de confidentialité pour vous inscrire.",
    }
    response = client.post(
        url(event), headers=bearer(make_token(partner)),
        json=member(language="de", answers=["Des robots"]),
    )  # fmt: skip
    assert response.json["fields"] == {
        "language": "Choisissez fr, nl ou en.",
        "answers": "Donnez les réponses sous forme d’objet, "
        "de l’identifiant de la question à la réponse.",
    }


def test_malformed_json_is_a_bad_request(client, partner, event):
    response = client.post(
        url(event), headers={**bearer(make_token(partner)), "Content-Type": "application/json"},
        data='{"email": "amina@startup.be",',
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json["error"] == "bad_json"


# ---------------------------------------------------------------- the documentation


def test_openapi_document_describes_both_registration_endpoints(client):
    document = client.get("/api/v1/openapi.json").json
    path = document["paths"]["/api/v1/events/{slug}/registrations"]
    assert set(path) >= {"get", "post"}
    assert {p["name"] for p in path["get"]["parameters"]} >= {"page", "per_page", "status"}
    assert {"200", "201", "409", "422"} <= set(path["post"]["responses"])
    schemas = document["components"]["schemas"]
    new = schemas["NewRegistration"]
    assert {"first_name", "last_name", "email", "consent"} <= set(new["required"])
    assert new["properties"]["first_name"]["maxLength"] == 100
    out = schemas["RegistrationOut"]["properties"]
    assert {"status", "ticket", "email", "answers", "waiting_position"} <= set(out)
    assert set(out["status"]["enum"]) == {"confirmed", "waitlisted", "offered", "cancelled",
                                          "applied", "rejected"}  # fmt: skip


# ---------------------------------------------------------------- the questions


def test_a_platform_reads_the_questions_then_registers_with_the_answers(client, partner, event):
    sector = make_question(event, "Votre secteur ?", kind="single_choice",
                           choices=["Numérique", "Santé"], required=True, position=1)
    pitch = make_question(event, "Votre projet en une phrase ?", position=0)  # fmt: skip
    token = make_token(partner)
    response = client.get(f"/api/v1/events/{event.slug}/questions", headers=bearer(token))
    assert response.status_code == 200
    assert response.json == [
        {"id": pitch.id, "label": "Votre projet en une phrase ?", "help_text": None,
         "kind": "short_text", "choices": [], "required": False, "for_reviewers": False},
        {"id": sector.id, "label": "Votre secteur ?", "help_text": None,
         "kind": "single_choice", "choices": ["Numérique", "Santé"], "required": True,
         "for_reviewers": False},
    ]  # fmt: skip
    answers = {str(q["id"]): "Santé" for q in response.json if q["kind"] == "single_choice"}
    created = client.post(url(event), headers=bearer(token), json=member(answers=answers))
    assert created.status_code == 201
    assert created.json["answers"] == {str(sector.id): "Santé"}


def test_another_platform_cannot_read_the_questions(client, event):
    other = make_token(make_org("TRAKK"))
    response = client.get(f"/api/v1/events/{event.slug}/questions", headers=bearer(other))
    assert response.status_code == 404
    assert client.get(f"/api/v1/events/{event.slug}/questions").status_code == 401
