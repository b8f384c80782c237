"""Input anyone can send is refused cleanly — a 4xx naming the field, or harmless — never a
500, on SQLite and PostgreSQL (issue 15: each input found under test is a case here)."""

import json

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import StaffRole
from boostcamp.checkin.models import CheckIn
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person, Registration
from tests.api.helpers import bearer, make_token, new_event
from tests.factories import make_centre, make_event, make_org, make_registration, make_user

HUGE = "99999999999999999999999"


@pytest.fixture
def world(app):
    partner = make_org("Partner")
    event = make_event(partner, title="Atelier IA", capacity=10)
    make_registration(event)
    return {"slug": event.slug, "org": partner.slug, "token": make_token(partner)}


@pytest.mark.parametrize(
    "path",
    [
        "/certificates/²-ABC",
        "/certificates/" + "9" * 5000 + "-AB",
        "/certificates/١٢-AB",  # Arabic-Indic digits are digits to str.isdigit()
        "/?q=%00",
        "/?city=a%00b",
        "/events/archive?q=%00",
        "/events/{slug}%00",
        "/events/{slug}%00.ics",
        "/organisations/{org}%00",
        "/organisations/{org}%00/calendar.ics",
        "/events/{slug}/register?x=%00",
        "/?page=" + HUGE,
        "/?page=-5",
        "/events/archive?page=" + HUGE,
    ],
)
def test_public_pages_refuse_without_an_error(client, world, path):
    response = client.get(path.format(**world))
    assert response.status_code in (200, 400, 404), response.status_code


def sign_up_form(**overrides):
    form = {"first_name": "Marie", "last_name": "Dupont", "email": "marie@example.be",
            "profile": "student", "consent": "y"}  # fmt: skip
    form.update(overrides)
    return form


@pytest.mark.parametrize(
    "field, value",
    [
        ("first_name", "Ma\x00rie"),
        ("last_name", "Du\x07pont"),
        ("first_name", "Marie\nDupont"),
        ("organisation", "ACME\x00"),
        ("email", "marie\x00@example.be"),
    ],
)
def test_public_sign_up_refuses_control_characters_with_a_field_error(client, world, field, value):
    response = client.post(f"/events/{world['slug']}/register", data=sign_up_form(**{field: value}))
    assert response.status_code in (200, 422), response.status_code
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Person.id)).where(
        Person.last_name.like("Du%"), Person.email.like("marie%"))) == 0  # fmt: skip
    assert b"control characters" in response.data or b"caract" in response.data


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"capacity": 2**31}, "capacity"),
        ({"capacity": 10**30}, "capacity"),
        ({"title": "Atelier\ud800"}, "title"),
        ({"title": "Atelier\r\nBcc: x"}, "title"),
        ({"title": "Atelier\x00"}, "title"),
        ({"city": "Na\x1bmur"}, "city"),
        ({"starts_at": "1578-03-30T09:00:00+01:00", "sessions": []}, "starts_at"),
        ({"ends_at": "5258-03-30T09:00:00+01:00", "sessions": []}, "ends_at"),
        ({"starts_at": "0001-01-01T00:00:00+00:00", "sessions": []}, "starts_at"),
        ({"ends_at": "9999-12-31T23:59:59+00:00", "sessions": []}, "ends_at"),
    ],
)
def test_api_event_values_no_one_should_store_are_422_naming_the_field(
    client, world, overrides, field
):
    before = db.session.scalar(sa.select(sa.func.count(Event.id)))
    response = client.post("/api/v1/events", headers=bearer(world["token"]),
                           json=new_event(**overrides))  # fmt: skip
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == before


def test_api_description_keeps_newlines_and_tabs(client, world):
    response = client.post("/api/v1/events", headers=bearer(world["token"]),
                           json=new_event(description="Jour 1\n\tAccueil\r\nJour 2"))  # fmt: skip
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events?page=" + HUGE,
        "/api/v1/events?from=0001-01-01",
        "/api/v1/events?from=9999-12-31",
        "/api/v1/events/{slug}/registrations?page=" + HUGE,
        "/api/v1/events/{slug}/checkin-list?since=0001-01-01T00:00:00%2B00:00",
        "/api/v1/events/{slug}/checkin-list?since=9999-12-31T23:59:59%2B00:00",
        "/api/v1/events/{slug}/checkin-list?q=%00",
        "/api/v1/impact?from=0001-01-01",
        "/api/v1/impact?from=9999-12-31&to=9999-12-31",
        "/api/v1/events/{slug}%00",
    ],
)
def test_api_queries_answer_without_an_error(client, world, path):
    response = client.get(path.format(**world), headers=bearer(world["token"]))
    assert response.status_code in (200, 400, 404, 422), response.status_code
    assert response.is_json


def test_deep_json_is_a_400(client, world):
    body = "[" * 50_000 + "]" * 50_000
    response = client.post("/api/v1/events", headers={**bearer(world["token"]),
                           "Content-Type": "application/json"}, data=body)  # fmt: skip
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_json"


def test_a_lone_surrogate_escaped_in_json_is_a_422(client, world):
    body = json.dumps(new_event()).replace('"Boostcamp Namur"', '"Boostcamp \\ud800"')
    response = client.post("/api/v1/events", headers={**bearer(world["token"]),
                           "Content-Type": "application/json"}, data=body)  # fmt: skip
    assert response.status_code == 422
    assert "title" in response.get_json()["fields"]


def test_empty_patch_is_a_422(client, world):
    response = client.patch(
        f"/api/v1/events/{world['slug']}", headers=bearer(world["token"]), json={}
    )
    assert response.status_code == 422


@pytest.mark.parametrize("scanned_at", ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00"])
def test_scanned_at_outside_any_sane_date_is_a_422(client, world, scanned_at):
    registration = db.session.scalars(sa.select(Registration)).first()
    response = client.post("/api/v1/checkins", headers=bearer(world["token"]), json={
        "event": world["slug"], "ticket": registration.ticket_code, "nonce": "n-1",
        "scanned_at": scanned_at})  # fmt: skip
    assert response.status_code == 422, response.get_json()
    assert "scanned_at" in response.get_json()["fields"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(CheckIn.id))) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/staff/?page=" + HUGE,
        "/staff/organisations/?page=" + HUGE,
        "/staff/outbox/?page=" + HUGE,
        "/staff/api/?page=" + HUGE,
        "/staff/events/{slug}/registrations?page=" + HUGE,
        "/staff/events/{slug}/history?page=" + HUGE,
        "/staff/events/{slug}/attendance?page=" + HUGE,
        "/staff/outcomes/startups?page=" + HUGE,
        "/staff/outcomes/certifications?page=" + HUGE,
        "/staff/impact?from=9999-12-31&to=9999-12-31",
        "/staff/impact?from=0001-01-01",
        "/staff/impact/people?from=9999-12-31&to=9999-12-31",
        "/staff/?q=%00",
        "/staff/events/{slug}/registrations?q=%00",
    ],
)
def test_staff_lists_answer_without_an_error(client, auth, world, path):
    make_user("staff@mic.test", role=StaffRole.ADMIN)
    auth.login("staff@mic.test")
    response = client.get(path.format(**world))
    assert response.status_code in (200, 400, 404), response.status_code


def test_a_page_beyond_the_last_shows_the_last(client, auth, world):
    make_user("staff@mic.test", role=StaffRole.ADMIN)
    auth.login("staff@mic.test")
    response = client.get("/staff/?page=" + HUGE)
    assert response.status_code == 200
    assert "Atelier IA" in response.get_data(as_text=True)


STAFF_FORM_INPUT = [
    ({"title": "Boostcamp\x00"}, "title_fr", "caractères de contrôle"),
    ({"title_nl": "Boostcamp\x00"}, "title_nl", "caractères de contrôle"),
    ({"description_en": "Day \x1b one"}, "description_en", "caractères de contrôle"),
    ({"city": "Mo\x1bns"}, "city", "caractères de contrôle"),
    ({"sessions-0-title": "Jour\x00 1"}, "sessions-0-title", "caractères de contrôle"),
    ({"starts_at": "1578-03-30T09:00", "sessions-0-starts_at": None, "sessions-0-ends_at": None,
      "sessions-0-title": None, "sessions-1-title": None, "sessions-1-starts_at": None,
      "sessions-1-ends_at": None}, "starts_at", "Indiquez une date entre"),
    ({"ends_at": "5258-03-31T17:00"}, "ends_at", "Indiquez une date entre"),
    ({"starts_at": "1995-03-30T09:00", "sessions-0-starts_at": None, "sessions-0-ends_at": None,
      "sessions-0-title": None, "sessions-1-title": None, "sessions-1-starts_at": None,
      "sessions-1-ends_at": None}, "starts_at", "entre 2000 et 2100"),
    ({"capacity": "99999999999"}, "capacity", "trop grand"),
]  # fmt: skip


@pytest.mark.parametrize("overrides, field_id, message", STAFF_FORM_INPUT)
def test_staff_event_form_refuses_with_a_field_error(
    client, auth, world, overrides, field_id, message
):
    from tests.events.test_staff_views import error_of, event_data

    make_centre()
    make_user("staff@mic.test", role=StaffRole.ADMIN)
    auth.login("staff@mic.test")
    before = db.session.scalar(sa.select(sa.func.count(Event.id)))
    response = client.post("/staff/events/new", data=event_data(**overrides))
    assert response.status_code == 200
    assert message in (error_of(response.get_data(as_text=True), field_id) or "")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == before


def test_every_form_has_the_input_hygiene():
    import flask_wtf

    from boostcamp.core.forms import FlaskForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    bypassing = [
        f"{c.__module__}.{c.__qualname__}" for c in subclasses(flask_wtf.FlaskForm)
        if c.__module__.startswith("boostcamp.") and not issubclass(c, FlaskForm)
    ]  # fmt: skip
    assert bypassing == [], "import FlaskForm from boostcamp.core.forms"


def test_a_body_larger_than_the_limit_is_a_413_page(client, world):
    response = client.post(f"/events/{world['slug']}/register",
                           data={"first_name": "x" * (3 * 1024 * 1024)})  # fmt: skip
    assert response.status_code == 413
    assert "trop volumineux" in response.get_data(as_text=True)


def test_a_body_larger_than_the_limit_is_a_413_json_in_the_api(client, world):
    response = client.post("/api/v1/events", headers=bearer(world["token"]),
                           json=new_event(description="x" * (2 * 1024 * 1024)))  # fmt: skip
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


def other_spellings(token: str) -> list[str]:
    """The same bytes in base64url spelt otherwise: padded, or with stray low bits."""
    payload, _dot, signature = token.rpartition(".")
    spellings = [f"{payload}=.{signature}", f"{payload}.{signature}=", f"{payload}.{signature}=="]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    if len(signature) % 4:  # the last character carries unused bits: flip the lowest one
        last = alphabet.index(signature[-1])
        spellings.append(f"{payload}.{signature[:-1]}{alphabet[last ^ 1]}")
    return spellings


def test_a_self_service_link_has_one_spelling(client, world):
    from boostcamp.registrations.tokens import make_token as link_token

    registration = db.session.scalars(sa.select(Registration)).first()
    token = link_token(registration.id)
    assert client.get(f"/r/{token}").status_code == 200
    for spelling in other_spellings(token):
        assert client.get(f"/r/{spelling}").status_code == 404, spelling


def test_a_survey_link_has_one_spelling(app, client):
    from tests.outcomes.test_surveys import sent_survey

    _survey, token, _registration = sent_survey()
    assert client.get(f"/survey/{token}").status_code == 200
    for spelling in other_spellings(token):
        assert client.get(f"/survey/{spelling}").status_code in (400, 404), spelling


@pytest.mark.parametrize("scanned_at", ["9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z"])
def test_the_check_in_screen_refuses_a_scan_time_no_clock_gives(
    client, auth, world, scanned_at
):
    from tests.checkin.test_screen_views import scan

    make_user("staff@mic.test", role=StaffRole.ADMIN)
    auth.login("staff@mic.test")
    registration = db.session.scalars(sa.select(Registration)).first()
    response = client.post(f"/staff/events/{world['slug']}/checkin/scans", json={
        "scans": [scan(registration.ticket_code, scanned_at=scanned_at)]})  # fmt: skip
    assert response.status_code < 500
    assert "scanned_at" in response.get_json()["results"][0]["fields"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(CheckIn.id))) == 0


@pytest.mark.parametrize("kind, answer", [("short_text", "x\x00y"), ("short_text", "a\nb"),
                                          ("long_text", "a\x1bb")])  # fmt: skip
def test_api_answers_refuse_control_characters(client, world, kind, answer):
    from tests.factories import make_question

    event = db.session.scalars(sa.select(Event)).first()
    question = make_question(event, kind=kind)
    before = db.session.scalar(sa.select(sa.func.count(Registration.id)))
    response = client.post(f"/api/v1/events/{world['slug']}/registrations",
                           headers=bearer(world["token"]), json={
        "first_name": "Léa", "last_name": "Martin", "email": "lea@example.be", "consent": True,
        "answers": {str(question.id): answer}})  # fmt: skip
    assert response.status_code == 422, response.get_json()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == before


def test_the_check_in_screen_refuses_control_characters(client, auth, world):
    from tests.checkin.test_screen_views import scan

    make_user("staff@mic.test", role=StaffRole.ADMIN)
    auth.login("staff@mic.test")
    registration = db.session.scalars(sa.select(Registration)).first()
    scans = client.post(f"/staff/events/{world['slug']}/checkin/scans", json={"scans": [
        scan(registration.ticket_code, nonce="nonce\x00nonce"),
        scan(registration.ticket_code, device="porte\x00A")]})  # fmt: skip
    assert scans.status_code < 500
    assert [set(r["fields"]) for r in scans.get_json()["results"]] == [{"nonce"}, {"device"}]
    before = db.session.scalar(sa.select(sa.func.count(Person.id)))
    walk_in = client.post(f"/staff/events/{world['slug']}/checkin/walk-in", json={
        "nonce": "walk-in-0001", "first_name": "Zo\x00é", "last_name": "Lambert",
        "email": "zoe@example.be", "consent": True})  # fmt: skip
    assert walk_in.status_code == 422 and "first_name" in walk_in.get_json()["fields"]
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(CheckIn.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == before
