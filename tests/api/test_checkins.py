"""The partner API on check-in: scanning tickets and the list a device downloads."""

import pytest
import sqlalchemy as sa

from boostcamp.checkin.models import CheckIn, CheckInMethod
from boostcamp.core.extensions import db
from boostcamp.registrations.models import RegistrationStatus
from tests.api.helpers import bearer, make_token
from tests.factories import (
    at,
    make_check_in,
    make_event,
    make_org,
    make_person,
    make_question,
    make_registration,
)


def rows() -> int:
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))


@pytest.fixture
def door(app):
    """A partner's two-day event with one confirmed person, and the partner's token."""
    partner = make_org("Mind & Market")
    event = make_event(partner, starts_at=at(2030, 3, 4), days=2, sessions=[
        ("Jour 1", at(2030, 3, 4, 9), at(2030, 3, 4, 17)),
        ("Jour 2", at(2030, 3, 5, 9), at(2030, 3, 5, 17)),
    ])  # fmt: skip
    registration = make_registration(
        event, make_person(first_name="Hélène", last_name="Lefèvre"), note="Oratrice"
    )
    return event, registration, bearer(make_token(partner))


def post(client, headers, **data):
    return client.post("/api/v1/checkins", json=data, headers=headers)


@pytest.mark.both_engines  # insert-or-ignore
def test_a_scan_checks_in_then_says_already(client, door):
    event, registration, headers = door
    day2 = event.sessions[1]
    body = dict(event=event.slug, ticket=registration.ticket_code.lower(), session=day2.id,
                scanned_at="2030-03-05T09:12:00+01:00")  # fmt: skip
    response = post(client, headers, nonce="n1", **body)
    assert response.status_code == 200, response.json
    data = response.json
    assert data["result"] == "ok" and data["session"] == day2.id and not data["replayed"]
    assert data["checked_in_at"] == "2030-03-05T09:12:00+01:00"
    person = data["person"]
    assert person["last_name"] == "Lefèvre" and person["note"] == "Oratrice"
    assert person["checked_in_at"] == "2030-03-05T09:12:00+01:00"
    assert person["checked_in_by"] == "Site web"  # the token's name

    again = post(client, headers, nonce="n2", **{**body, "scanned_at": None}).json
    assert again["result"] == "already_checked_in"
    assert again["checked_in_at"] == "2030-03-05T09:12:00+01:00"
    replay = post(client, headers, nonce="n1", **body).json
    assert replay["result"] == "ok" and replay["replayed"]
    assert rows() == 2
    row = db.session.scalar(sa.select(CheckIn).order_by(CheckIn.id))
    assert row.method == CheckInMethod.API and row.api_token_id and row.user_id is None


def test_without_a_session_the_scan_time_chooses_it(client, door):
    event, registration, headers = door
    data = post(client, headers, nonce="n", event=event.slug, ticket=registration.ticket_code,
                scanned_at="2030-03-04T10:00:00+01:00").json  # fmt: skip
    assert data["result"] == "ok" and data["session"] == event.sessions[0].id


@pytest.mark.parametrize(
    "status, result",
    [(RegistrationStatus.CANCELLED, "cancelled"), (RegistrationStatus.WAITLISTED, "waitlisted")],
)
def test_no_seat_no_attendance(client, door, status, result):
    event, _registration, headers = door
    other = make_registration(event, status=status)
    data = post(client, headers, nonce="n", event=event.slug, ticket=other.ticket_code).json
    assert data["result"] == result and data["person"]["status"] == status.value
    assert data["checked_in_at"] is None and rows() == 0


def test_unknown_and_other_events_tickets_show_nobody(client, door):
    event, _registration, headers = door
    elsewhere = make_registration(make_event())
    for ticket, result in (("NOPE-NOPE", "unknown_ticket"), (elsewhere.ticket_code, "wrong_event")):
        data = post(client, headers, nonce=ticket, event=event.slug, ticket=ticket).json
        assert data == {"result": result, "person": None, "checked_in_at": None,
                        "session": data["session"], "replayed": False}  # fmt: skip
    assert rows() == 0


def test_a_nonce_of_another_events_scan_shows_nobody(client, door):
    event, registration, headers = door
    elsewhere = make_registration(make_event())
    make_check_in(elsewhere, nonce="theirs")
    data = post(client, headers, nonce="theirs", event=event.slug,
                ticket=registration.ticket_code).json  # fmt: skip
    assert data["error"] == "conflict" and "nonce" in data["fields"]
    assert rows() == 1


def test_another_partners_event_is_not_found_and_nothing_is_written(client, door):
    event, registration, _headers = door
    stranger = bearer(make_token(make_org("Other platform")))
    response = post(client, stranger, nonce="n", event=event.slug, ticket=registration.ticket_code)
    assert response.status_code == 404 and response.json["error"] == "not_found"
    response = client.get(f"/api/v1/events/{event.slug}/checkin-list", headers=stranger)
    assert response.status_code == 404
    assert rows() == 0


def test_a_co_organiser_and_the_centre_may_check_in(client, door):
    event, registration, _headers = door
    co = make_org("Co")
    centre_event = make_event(co_organisers=[co], sessions=[])
    person = make_registration(centre_event)
    data = post(client, bearer(make_token(co)), nonce="n", event=centre_event.slug,
                ticket=person.ticket_code).json  # fmt: skip
    assert data["result"] == "ok"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"ticket": "X", "nonce": "n"}, "event"),
        ({"event": "{slug}", "nonce": "n"}, "ticket"),
        ({"event": "{slug}", "ticket": "X"}, "nonce"),
        ({"event": "{slug}", "ticket": "X", "nonce": "x" * 65}, "nonce"),
        ({"event": "{slug}", "ticket": "X", "nonce": "n", "session": "two"}, "session"),
        ({"event": "{slug}", "ticket": "X", "nonce": "n", "session": 999999}, "session"),
        ({"event": "{slug}", "ticket": "X", "nonce": "n", "scanned_at": "yesterday"},
         "scanned_at"),
        ({"event": "{slug}", "ticket": "X", "nonce": "n", "scanned_at": "2030-03-04T10:00"},
         "scanned_at"),
        ({"event": "{slug}", "ticket": "X", "nonce": "n", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_a_json_error_and_writes_nothing(client, door, body, field):
    event, _registration, headers = door
    body = {k: v.format(slug=event.slug) if isinstance(v, str) else v for k, v in body.items()}
    response = client.post("/api/v1/checkins", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_failed" and field in response.json["fields"]
    assert rows() == 0


def test_not_json_is_refused(client, door):
    _event, _registration, headers = door
    response = client.post("/api/v1/checkins", data="{nope", headers={
        **headers, "Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 400 and response.json["error"] == "bad_json"
    response = client.post("/api/v1/checkins", json={"event": "x"})  # no token
    assert response.status_code == 401
    assert rows() == 0


def test_the_checkin_list(client, door, count_queries):
    event, registration, headers = door
    day1 = event.sessions[0]
    question = make_question(event, label="Régime", show_at_checkin=True)
    from boostcamp.registrations.models import RegistrationAnswer

    db.session.add(RegistrationAnswer(registration_id=registration.id, question_id=question.id,
                                      value="végétarien"))  # fmt: skip
    db.session.commit()
    cancelled = make_registration(event, make_person(last_name="Zed"),
                                  status=RegistrationStatus.CANCELLED)  # fmt: skip
    make_check_in(registration, day1)

    url = f"/api/v1/events/{event.slug}/checkin-list?session={day1.id}"
    data = client.get(url, headers=headers).json
    assert data["session"]["id"] == day1.id
    assert data["counters"] == {"checked_in": 1, "expected": 1}
    first, last = data["items"]
    assert first["ticket"] == registration.ticket_code and first["checked_in_at"]
    assert first["answers"] == [{"label": "Régime", "value": "végétarien"}]
    assert last["registration_id"] == cancelled.id and last["status"] == "cancelled"

    with count_queries() as small:
        client.get(url, headers=headers)
    db.session.rollback()  # the first request noted the token's use
    for n in range(15):
        make_check_in(make_registration(event, make_person(last_name=f"P{n}")), day1)
    with count_queries() as large:
        assert len(client.get(url, headers=headers).json["items"]) == 17
    assert large.count == small.count

    found = client.get(url + "&q=LEFEVRE", headers=headers).json["items"]
    assert [p["registration_id"] for p in found] == [registration.id]

    response = client.get(f"/api/v1/events/{event.slug}/checkin-list?session=0", headers=headers)
    assert response.status_code == 422 and "session" in response.json["fields"]


@pytest.mark.both_engines  # instants compared in SQL
def test_the_checkin_list_since_its_as_of_has_only_the_changes(client, door):
    from datetime import timedelta

    from boostcamp.core.db import utcnow
    from boostcamp.registrations.models import Person, Registration

    event, registration, headers = door
    other = make_registration(event, make_person(last_name="Zed"))
    for model in (Registration, Person):
        db.session.execute(sa.update(model).values(updated_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    url = f"/api/v1/events/{event.slug}/checkin-list"
    full = client.get(url, headers=headers).json
    assert full["complete"] and len(full["items"]) == 2
    unchanged = client.get(url, query_string={"since": full["as_of"]}, headers=headers).json
    assert unchanged["items"] == [] and not unchanged["complete"]
    assert unchanged["counters"] == full["counters"] and unchanged["session"] == full["session"]
    db.session.rollback()  # the requests noted the token's use
    make_check_in(other, event.sessions[0])
    changes = client.get(url, query_string={"since": full["as_of"]}, headers=headers).json
    assert not changes["complete"] and [p["registration_id"] for p in changes["items"]] == [other.id]
    assert changes["as_of"] > full["as_of"]
    searched = client.get(url, query_string={"since": full["as_of"], "q": "lefevre"},
                          headers=headers).json  # fmt: skip
    assert [p["registration_id"] for p in searched["items"]] == [registration.id]

    response = client.get(url, query_string={"since": "2030-03-04T09:00"}, headers=headers)
    assert response.status_code == 422 and "since" in response.json["fields"]


def test_openapi_documents_check_in(client):
    document = client.get("/api/v1/openapi.json").json
    assert "post" in document["paths"]["/api/v1/checkins"]
    assert "get" in document["paths"]["/api/v1/events/{slug}/checkin-list"]
    schemas = document["components"]["schemas"]
    assert {"event", "ticket", "nonce"} <= set(schemas["NewCheckIn"]["required"])
    assert {"result", "person", "checked_in_at"} <= set(schemas["CheckInOut"]["properties"])
