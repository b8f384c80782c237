"""The partner API on events: what each token sees, creates, changes, publishes and cancels."""

import pytest
import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.core.services import set_setting
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from tests.api.helpers import bearer, make_token, new_event
from tests.factories import at, make_centre, make_event, make_org, make_registration


def allow_partners_to_publish():
    set_setting("api_partner_may_publish", True)
    db.session.commit()


def test_partner_token_creates_a_draft_that_its_platform_co_organises(client):
    centre, partner = make_centre("MIC Mons"), make_org("Mind & Market")
    other = make_org("TRAKK")
    token = make_token(partner)
    response = client.post("/api/v1/events", headers=bearer(token),
                           json=new_event(co_organisers=["trakk"], published=True))  # fmt: skip
    assert response.status_code == 403  # only the centre chooses organisers
    response = client.post("/api/v1/events", headers=bearer(token),
                           json=new_event(published=True))  # fmt: skip
    assert response.status_code == 201, response.json
    body = response.json
    # The centre has not let partners publish: the event waits as a draft.
    assert body["status"] == "draft"
    assert body["host"] == {"slug": centre.slug, "name": "MIC Mons"}
    assert [o["slug"] for o in body["co_organisers"]] == [partner.slug]
    assert other.slug not in str(body)
    assert body["url"] == f"http://boostcamp.test/events/{body['slug']}"
    assert body["ics_url"] == body["url"] + ".ics"
    assert response.headers["Location"] == f"http://boostcamp.test/api/v1/events/{body['slug']}"
    assert body["seats_left"] == 20
    assert [s["title"] for s in body["sessions"]] == ["Jour 1", "Jour 2"]
    assert all(isinstance(s["id"], int) for s in body["sessions"])
    event = db.session.scalar(sa.select(Event).where(Event.slug == body["slug"]))
    assert event.status == EventStatus.DRAFT and event.capacity == 20
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.event_id == event.id))
    assert entry.action == "created" and entry.api_token_id is not None and entry.user_id is None


def test_partner_token_publishes_when_the_centre_allows_it(client):
    make_centre()
    token = make_token(make_org("Mind & Market"))
    allow_partners_to_publish()
    response = client.post("/api/v1/events", headers=bearer(token), json=new_event(published=True))
    assert response.status_code == 201
    assert response.json["status"] == "published"
    # Without asking, it stays a draft.
    response = client.post("/api/v1/events", headers=bearer(token), json=new_event())
    assert response.json["status"] == "draft"


def test_centre_token_publishes_its_events(client):
    centre = make_centre()
    token = make_token(centre)
    response = client.post("/api/v1/events", headers=bearer(token), json=new_event(published=True))
    assert response.json["status"] == "published"
    assert response.json["host"]["slug"] == centre.slug
    assert response.json["co_organisers"] == []


def test_times_are_answered_in_brussels_time_whatever_offset_was_sent(client):
    make_centre()
    token = make_token(make_org())
    response = client.post(
        "/api/v1/events", headers=bearer(token),
        json=new_event(starts_at="2030-03-30T08:00:00Z", ends_at="2030-03-31T15:00:00Z",
                       sessions=[{"title": "Jour 2", "starts_at": "2030-03-31T07:00:00Z",
                                  "ends_at": "2030-03-31T15:00:00Z"}]),
    )  # fmt: skip
    body = response.json
    # Summer time starts in the night of 30–31 March 2030.
    assert body["starts_at"] == "2030-03-30T09:00:00+01:00"
    assert body["ends_at"] == "2030-03-31T17:00:00+02:00"
    assert body["sessions"][0]["starts_at"] == "2030-03-31T09:00:00+02:00"


def test_each_token_sees_only_its_organisations_events(client):
    centre = make_centre()
    a, b = make_org("Partner A"), make_org("Partner B")
    of_a = make_event(host=centre, co_organisers=[a], title="Event of A")
    draft_of_a = make_event(
        host=centre, co_organisers=[a], title="Draft of A", status=EventStatus.DRAFT
    )
    make_event(host=centre, co_organisers=[b], title="Event of B")
    make_event(host=centre, title="Centre event")
    token_a, token_b, token_centre = make_token(a), make_token(b), make_token(centre)

    def titles(token):
        response = client.get("/api/v1/events", headers=bearer(token))
        assert response.status_code == 200
        return {e["title"] for e in response.json["items"]}

    assert titles(token_centre) == {"Event of A", "Draft of A", "Event of B", "Centre event"}
    assert titles(token_a) == {"Event of A", "Draft of A"}
    assert titles(token_b) == {"Event of B"}
    response = client.get(f"/api/v1/events/{draft_of_a.slug}", headers=bearer(token_a))
    assert response.status_code == 200
    # B is told the event does not exist, whatever it tries.
    for event in (of_a, draft_of_a):
        path = f"/api/v1/events/{event.slug}"
        answers = [
            client.get(path, headers=bearer(token_b)),
            client.patch(path, headers=bearer(token_b), json={"title": "Piraté"}),
            client.post(f"{path}/cancel", headers=bearer(token_b)),
        ]
        assert [r.status_code for r in answers] == [404, 404, 404]
        assert answers[0].json == client.get("/api/v1/events/nope", headers=bearer(token_b)).json
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    assert db.session.get(Event, of_a.id).title == "Event of A"
    assert db.session.get(Event, of_a.id).status == EventStatus.PUBLISHED


def test_patch_changes_the_given_fields_and_keeps_session_ids(client):
    centre, partner = make_centre(), make_org("Partner A")
    event = make_event(
        host=centre, co_organisers=[partner], title="Boostcamp Mons", starts_at=at(2030, 3, 30, 9),
        days=2, capacity=30,
        sessions=[("Jour 1", at(2030, 3, 30, 9), at(2030, 3, 30, 17)),
                  ("Jour 2", at(2030, 3, 31, 9), at(2030, 3, 31, 17))],
    )  # fmt: skip
    day1, day2 = (s.id for s in event.sessions)
    token = make_token(partner)
    response = client.patch(
        f"/api/v1/events/{event.slug}", headers=bearer(token),
        json={"title": "Boostcamp Mons — printemps", "capacity": 25, "sessions": [
            {"id": day1, "title": "Jour 1 — L’idée", "starts_at": "2030-03-30T09:30:00+01:00",
             "ends_at": "2030-03-30T17:00:00+01:00"},
            {"title": "Jour 2 — Pitch", "starts_at": "2030-03-31T09:00:00+02:00",
             "ends_at": "2030-03-31T17:00:00+02:00"},
        ]},
    )  # fmt: skip
    assert response.status_code == 200, response.json
    body = response.json
    assert body["title"] == "Boostcamp Mons — printemps"
    assert body["capacity"] == 25 and body["city"] == "Mons"  # what was not sent is unchanged
    assert body["sessions"][0] == {
        "id": day1, "title": "Jour 1 — L’idée", "venue": None,
        "texts": {"title": {"fr": "Jour 1 — L’idée"}},
        "starts_at": "2030-03-30T09:30:00+01:00", "ends_at": "2030-03-30T17:00:00+01:00",
    }  # fmt: skip
    assert body["sessions"][1]["id"] != day2  # not given its id: replaced
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    stored = db.session.get(Event, event.id)
    assert stored.sessions[0].id == day1
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.event_id == event.id, AuditEntry.action == "updated")
    )
    assert entry.api_token_id is not None and "title" in entry.changes


def test_a_partner_does_not_choose_the_co_organisers(client):
    centre, a, b = make_centre(), make_org("Partner A"), make_org("Partner B")
    event = make_event(host=centre, co_organisers=[a])
    response = client.patch(
        f"/api/v1/events/{event.slug}", headers=bearer(make_token(a)),
        json={"co_organisers": [b.slug]},
    )  # fmt: skip
    assert response.status_code == 403
    assert "co_organisers" in response.json["fields"]
    db.session.rollback()
    assert [o.slug for o in db.session.get(Event, event.id).co_organisers] == [a.slug]


def test_partner_may_publish_a_draft_only_when_the_centre_allows_it(client):
    centre, partner = make_centre(), make_org("Partner A")
    draft = make_event(host=centre, co_organisers=[partner], status=EventStatus.DRAFT)
    token = make_token(partner)
    path = f"/api/v1/events/{draft.slug}"
    data = {"published": True, "title": "Nouveau"}
    response = client.patch(path, headers=bearer(token), json=data)
    assert response.status_code == 403
    assert response.json["error"] == "forbidden" and "published" in response.json["fields"]
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    assert db.session.get(Event, draft.id).title != "Nouveau"  # nothing half-saved
    allow_partners_to_publish()
    response = client.patch(path, headers=bearer(token), json={"published": True})
    assert response.status_code == 200
    assert response.json["status"] == "published"


def test_a_published_event_does_not_go_back_to_draft(client):
    centre = make_centre()
    event = make_event(host=centre)
    response = client.patch(
        f"/api/v1/events/{event.slug}", headers=bearer(make_token(centre)),
        json={"published": False},
    )
    assert response.status_code == 409
    assert response.json["fields"] == {"published": response.json["message"]}


@pytest.mark.parametrize(
    ("status", "partners_may_publish", "expected"),
    [
        (EventStatus.DRAFT, False, 200),  # withdrawing its own draft harms nobody
        (EventStatus.PUBLISHED, False, 403),  # people may have registered: the centre decides
        (EventStatus.PUBLISHED, True, 200),
    ],
)
def test_partner_cancels_its_events_under_the_centres_rule(
    client, status, partners_may_publish, expected
):
    centre, partner = make_centre(), make_org("Partner A")
    event = make_event(host=centre, co_organisers=[partner], status=status)
    if partners_may_publish:
        allow_partners_to_publish()
    token = make_token(partner)
    response = client.post(f"/api/v1/events/{event.slug}/cancel", headers=bearer(token))
    assert response.status_code == expected, response.json
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    cancelled = db.session.get(Event, event.id).status == EventStatus.CANCELLED
    assert cancelled == (expected == 200)
    if expected == 200:
        assert response.json["status"] == "cancelled"


def test_centre_token_cancels_any_event_and_then_it_cannot_change(client):
    centre = make_centre()
    event = make_event(host=centre, co_organisers=[make_org()])
    token = make_token(centre)
    response = client.post(f"/api/v1/events/{event.slug}/cancel", headers=bearer(token))
    assert response.json["status"] == "cancelled"
    path = f"/api/v1/events/{event.slug}"
    response = client.patch(path, headers=bearer(token), json={"title": "X"})
    assert response.status_code == 409
    assert response.json["error"] == "conflict"


def test_event_json_gives_seats_left_status_and_organisers(client):
    centre, partner = make_centre("MIC Mons"), make_org("Mind & Market")
    event = make_event(host=centre, co_organisers=[partner], capacity=3)
    make_registration(event)
    body = client.get(f"/api/v1/events/{event.slug}", headers=bearer(make_token(partner))).json
    assert body["seats_left"] == 2
    assert body["status"] == "published"
    assert body["co_organisers"] == [{"slug": partner.slug, "name": "Mind & Market"}]
    assert body["timezone"] == "Europe/Brussels"


def test_list_is_paginated_and_filtered(client):
    centre = make_centre()
    token = make_token(centre)
    for day in range(1, 6):
        make_event(host=centre, title=f"Jour {day}", starts_at=at(2030, 5, day))
    make_event(host=centre, title="Brouillon", starts_at=at(2030, 5, 9), status=EventStatus.DRAFT)
    make_event(host=centre, title="Ancien", starts_at=at(2020, 5, 1))
    path = "/api/v1/events?per_page=2&page=2&from=2030-01-01"
    body = client.get(path, headers=bearer(token)).json
    assert [e["title"] for e in body["items"]] == ["Jour 3", "Jour 4"]
    assert body["pagination"] == {"page": 2, "per_page": 2, "total": 6, "pages": 3}
    body = client.get("/api/v1/events?status=draft", headers=bearer(token)).json
    assert [e["title"] for e in body["items"]] == ["Brouillon"]
    response = client.get("/api/v1/events?per_page=101", headers=bearer(token))
    assert response.status_code == 422 and "per_page" in response.json["fields"]


def test_list_costs_the_same_queries_for_few_and_many_events(client, count_queries):
    centre = make_centre()
    partners = [make_org(f"Partner {i}") for i in range(3)]
    token = make_token(centre)

    def add_events(n):
        for i in range(n):
            event = make_event(
                host=centre, co_organisers=partners[: i % 3], capacity=10,
                sessions=[("Jour 1", at(2030, 6, 1), at(2030, 6, 1, 17))], starts_at=at(2030, 6, 1),
            )  # fmt: skip
            make_registration(event)

    add_events(2)
    client.get("/api/v1/events", headers=bearer(token))  # notes the token's use, once a minute
    with count_queries() as few:
        assert len(client.get("/api/v1/events", headers=bearer(token)).json["items"]) == 2
    add_events(30)
    with count_queries() as many:
        response = client.get("/api/v1/events?per_page=100", headers=bearer(token))
    assert len(response.json["items"]) == 32
    assert many.count == few.count, many.statements
