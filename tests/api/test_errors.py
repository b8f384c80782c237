"""Bad input gets a JSON error naming the field, and nothing is half-saved. Never HTML."""

import pytest

from boostcamp.events.models import EventStatus
from tests.api.helpers import bearer, make_token, new_event, row_counts
from tests.factories import at, make_centre, make_event, make_org, make_registration

SESSION = {"title": "Jour 1", "starts_at": "2030-03-30T09:00:00+01:00",
           "ends_at": "2030-03-30T17:00:00+01:00"}  # fmt: skip

BAD_NEW_EVENTS = {
    "end before start": (new_event(ends_at="2030-03-29T17:00:00+01:00", sessions=[]), "ends_at"),
    "session outside the event": (
        new_event(sessions=[{**SESSION, "starts_at": "2030-04-02T09:00:00+02:00",
                             "ends_at": "2030-04-02T17:00:00+02:00"}]),
        "sessions.0.starts_at",
    ),
    "session ending before it starts": (
        new_event(sessions=[{**SESSION, "ends_at": "2030-03-30T08:00:00+01:00"}]),
        "sessions.0.ends_at",
    ),
    "negative capacity": (new_event(capacity=-5), "capacity"),
    "capacity as text": (new_event(capacity="twenty"), "capacity"),
    "capacity as a decimal": (new_event(capacity=20.5), "capacity"),
    "title as a number": (new_event(title=42), "title"),
    "published as text": (new_event(published="maybe"), "published"),
    "sessions not a list": (new_event(sessions="Jour 1"), "sessions"),
    "session title missing": (new_event(sessions=[{**SESSION, "title": None}]), "sessions.0.title"),
    "unknown kind": (new_event(kind="party"), "kind"),
    "time without offset": (new_event(starts_at="2030-03-30T09:00:00"), "starts_at"),
    "not a time": (new_event(ends_at="demain"), "ends_at"),
    "session time without offset": (
        new_event(sessions=[{**SESSION, "ends_at": "2030-03-30T17:00:00"}]), "sessions.0.ends_at"
    ),
    "title too long": (new_event(title="x" * 201), "title"),
    "city too long": (new_event(city="x" * 121), "city"),
    "venue too long": (new_event(venue="x" * 301), "venue"),
    "description too long": (new_event(description="x" * 50_001), "description"),
    "session title too long": (
        new_event(sessions=[{**SESSION, "title": "x" * 201}]), "sessions.0.title"
    ),
    "empty title": (new_event(title="  "), "title"),
    "title missing": ({k: v for k, v in new_event().items() if k != "title"}, "title"),
    "misspelt field": (new_event(capacitty=3), "capacitty"),
    "slug with a slash": (new_event(slug="a/b"), "slug"),
    "unknown time zone": (new_event(timezone="Mars/Olympus"), "timezone"),
}


@pytest.mark.parametrize(("data", "field"), BAD_NEW_EVENTS.values(), ids=BAD_NEW_EVENTS.keys())
def test_bad_new_event_is_refused_on_its_field_and_nothing_is_saved(client, data, field):
    make_centre()
    token = make_token(make_org("Partner A"))
    before = row_counts()
    response = client.post("/api/v1/events", headers=bearer(token), json=data)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "validation_failed"
    assert field in response.json["fields"], response.json
    assert response.json["fields"][field]
    assert row_counts() == before


def test_an_unknown_co_organiser_is_named(client):
    token = make_token(make_centre())
    before = row_counts()
    response = client.post("/api/v1/events", headers=bearer(token),
                           json=new_event(co_organisers=["nobody-here"]))  # fmt: skip
    assert response.status_code == 422
    assert "nobody-here" in response.json["fields"]["co_organisers"]
    assert row_counts() == before


def test_several_errors_are_reported_at_once(client):
    token = make_token(make_centre())  # only the centre chooses co-organisers
    data = new_event(
        ends_at="2030-03-29T17:00:00+01:00", capacity=-1, co_organisers=["ghost"], sessions=[]
    )
    response = client.post("/api/v1/events", headers=bearer(token), json=data)
    assert set(response.json["fields"]) == {"ends_at", "capacity", "co_organisers"}
    assert response.json["fields"]["co_organisers"] == "Organisation « ghost » inconnue."


def test_messages_follow_the_requests_language(client):
    make_centre()
    token = make_token(make_org())
    data = new_event(capacity=-1)
    french = client.post("/api/v1/events", headers=bearer(token), json=data).json
    english = client.post(
        "/api/v1/events", headers={**bearer(token), "Accept-Language": "en"}, json=data
    ).json
    assert french["fields"]["capacity"] == "La capacité ne peut pas être négative."
    assert english["fields"]["capacity"] == "The capacity cannot be negative."


def test_taken_slug_is_a_conflict(client):
    centre = make_centre()
    make_event(host=centre, slug="boostcamp-namur")
    token = make_token(centre)
    before = row_counts()
    data = new_event(slug="boostcamp-namur")
    response = client.post("/api/v1/events", headers=bearer(token), json=data)
    assert response.status_code == 409
    assert response.json["error"] == "conflict"
    assert "slug" in response.json["fields"]
    assert row_counts() == before


@pytest.mark.parametrize(
    ("body", "content_type"),
    [('{"title": "Boostcamp",', "application/json"), ("\xff\xfe", "application/json"),
     ("title=Boostcamp", "application/x-www-form-urlencoded")],
    ids=["cut JSON", "not UTF-8", "a form"],
)  # fmt: skip
def test_malformed_body_is_a_400(client, body, content_type):
    token = make_token(make_centre())
    before = row_counts()
    response = client.post(
        "/api/v1/events", headers={**bearer(token), "Content-Type": content_type},
        data=body.encode("latin-1"),
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json["error"] == "bad_json"
    assert row_counts() == before


def test_oversize_body_is_refused_before_it_is_read(client):
    token = make_token(make_centre())
    data = new_event(description="x" * 2_000_000)
    response = client.post("/api/v1/events", headers=bearer(token), json=data)
    assert response.status_code == 413
    assert response.json["error"] == "too_large"


def test_body_that_is_not_an_object_is_refused(client):
    token = make_token(make_centre())
    response = client.post("/api/v1/events", headers=bearer(token), json=[new_event()])
    assert response.status_code == 422
    assert "_" in response.json["fields"]


def test_capacity_cannot_go_below_the_seats_already_held(client):
    centre = make_centre()
    event = make_event(host=centre, capacity=10, title="Boostcamp Mons")
    for _ in range(3):
        make_registration(event)
    token = make_token(centre)
    before = row_counts()
    response = client.patch(
        f"/api/v1/events/{event.slug}", headers=bearer(token),
        json={"capacity": 2, "title": "Changed"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "3" in response.json["fields"]["capacity"]
    assert row_counts() == before
    assert event.title == "Boostcamp Mons" and event.capacity == 10  # reloaded by rollback


def test_patch_with_another_events_session_is_refused(client):
    centre = make_centre()
    session = [("Jour 1", at(2030, 3, 30, 9), at(2030, 3, 30, 17))]
    mine = make_event(host=centre, starts_at=at(2030, 3, 30, 9), sessions=session)
    other = make_event(host=centre, starts_at=at(2030, 3, 30, 9), sessions=session)
    response = client.patch(
        f"/api/v1/events/{mine.slug}", headers=bearer(make_token(centre)),
        json={"sessions": [{**SESSION, "id": other.sessions[0].id}]},
    )  # fmt: skip
    assert response.status_code == 422
    assert "sessions.0.id" in response.json["fields"]


def test_patch_with_nulls_for_required_fields_is_refused(client):
    centre = make_centre()
    event = make_event(host=centre)
    response = client.patch(
        f"/api/v1/events/{event.slug}", headers=bearer(make_token(centre)),
        json={"title": None, "starts_at": None},
    )  # fmt: skip
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"title", "starts_at"}


def test_partner_may_not_change_a_cancelled_event(client):
    centre, partner = make_centre(), make_org()
    event = make_event(host=centre, co_organisers=[partner], status=EventStatus.CANCELLED)
    response = client.patch(
        f"/api/v1/events/{event.slug}", headers=bearer(make_token(partner)), json={"title": "X"}
    )
    assert response.status_code == 403
    assert response.json["error"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [("get", "/api/v1/nothing-here", 404), ("get", "/api/v1/events/nope", 404),
     ("delete", "/api/v1/events", 405), ("put", "/api/v1/events/some-slug", 405),
     ("get", "/api/v2/events", 404)],
)  # fmt: skip
def test_every_error_is_json(client, method, path, status):
    token = make_token(make_centre())
    response = getattr(client, method)(path, headers=bearer(token))
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert set(response.json) == {"error", "message", "fields"}
    assert "<html" not in response.get_data(as_text=True)


def test_an_unexpected_failure_is_json_too_and_saves_nothing(client, monkeypatch):
    from boostcamp.events import editing

    token = make_token(make_centre())
    create_event = editing.create_event

    def create_then_fail(**kwargs):
        create_event(**kwargs)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(editing, "create_event", create_then_fail)
    before = row_counts()
    response = client.post("/api/v1/events", headers=bearer(token), json=new_event())
    assert response.status_code == 500
    assert response.json["error"] == "server_error"
    assert "disk" not in response.get_data(as_text=True)
    assert row_counts() == before
