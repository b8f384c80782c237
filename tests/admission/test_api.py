"""The partner API on applications: the admission mode on events, the new statuses in the
list, the decision endpoint (409 `capacity` when full), partners' boundaries; arbitrary
decision bodies (hypothesis) never give a 5xx nor change anything when refused."""

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boostcamp.admission import decisions, review_settings, reviews
from boostcamp.admission.models import Review
from boostcamp.core.extensions import db
from boostcamp.registrations.models import RegistrationStatus
from tests.api.helpers import bearer, make_token, new_event
from tests.factories import make_centre, make_event, make_org, make_user, sign_up
from tests.registrations.helpers import mails, reload, statuses
from tests.test_hostile_partner import snapshot

BOUNDED = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip


@pytest.fixture
def world(app):
    centre = make_centre()
    a, b = make_org("Partner A"), make_org("Partner B")
    event = make_event(host=centre, co_organisers=[a], capacity=1, admission="application")
    people = [sign_up(event, f"api{i}@example.be").registration for i in range(3)]
    return dict(event=event, people=people, a=make_token(a), b=make_token(b),
                centre=make_token(centre), org_a=a)  # fmt: skip


def decide(client, world, registration, body, token="a"):
    return client.post(
        f"/api/v1/events/{world['event'].slug}/registrations/{registration.id}/decision",
        json=body, headers=bearer(world[token]),
    )  # fmt: skip


def test_events_are_created_and_shown_with_their_admission(app, client):
    secret = make_token(make_centre())
    response = client.post("/api/v1/events", headers=bearer(secret), json=new_event(
        admission="application", applications_close_at="2030-03-01T12:00:00+01:00"))
    assert response.status_code == 201, response.json
    assert response.json["admission"] == "application"
    assert response.json["applications_close_at"].startswith("2030-03-01T12:00:00+01:00")
    slug = response.json["slug"]
    assert client.patch(f"/api/v1/events/{slug}", headers=bearer(secret),
                        json={"admission": "lottery"}).status_code == 422  # fmt: skip
    assert client.get(f"/api/v1/events/{slug}", headers=bearer(secret)).json["admission"] == "application"


def test_the_list_filters_the_new_statuses_and_shows_no_scores(app, client, world):
    review_settings.ensure_criteria(world["event"])
    reviews.save_review(world["people"][0], make_user(), note="secret note",
                        values={c.id: 5 for c in review_settings.criteria(world["event"])})  # fmt: skip
    decisions.decide(world["people"][1], "reject")
    db.session.commit()
    url = f"/api/v1/events/{world['event'].slug}/registrations"
    applied = client.get(url, query_string={"status": "applied"}, headers=bearer(world["a"])).json
    assert [r["id"] for r in applied["items"]] == [world["people"][0].id, world["people"][2].id]
    rejected = client.get(url, query_string={"status": "rejected"}, headers=bearer(world["a"])).json
    assert [r["status"] for r in rejected["items"]] == ["rejected"]
    assert "score" not in str(applied) and "secret note" not in str(applied)


def test_a_decision_answers_the_registration_and_a_full_event_409_capacity(app, client, world):
    first, second, _ = world["people"]
    response = decide(client, world, first, {"decision": "accept"})
    assert response.status_code == 200 and response.json["status"] == "confirmed"
    assert response.json["id"] == first.id
    before = snapshot()
    response = decide(client, world, second, {"decision": "accept"})
    assert response.status_code == 409
    assert response.json["error"] == "capacity" and "capacity" in response.json["fields"]
    assert snapshot() == before
    response = decide(client, world, second, {"decision": "accept", "over_capacity": True})
    assert response.status_code == 200 and statuses(world["event"])["confirmed"] == 2
    response = decide(client, world, world["people"][2],
                      {"decision": "reject", "message": "Merci pour votre dossier."})  # fmt: skip
    assert response.json["status"] == "rejected"
    assert "Merci pour votre dossier." in mails("application_rejected")[0].body_text


def test_deciding_on_a_withdrawn_application_is_409(app, client, world):
    from boostcamp.registrations import waiting_list

    waiting_list.cancel_registration(world["people"][0])
    db.session.commit()
    response = decide(client, world, reload(world["people"][0]), {"decision": "accept"})
    assert response.status_code == 409 and response.json["error"] == "conflict"


def test_another_partners_token_gets_404_and_changes_nothing(app, client, world):
    before = snapshot()
    assert decide(client, world, world["people"][0], {"decision": "accept"}, token="b").status_code == 404
    assert snapshot() == before
    other = make_event(co_organisers=[world["org_a"]], admission="application")
    theirs = sign_up(other, "ailleurs@example.be").registration
    before = snapshot()
    # An id of another event's registration under this event: no such application.
    assert decide(client, world, theirs, {"decision": "accept"}).status_code == 404
    assert snapshot() == before
    assert reload(theirs).status == RegistrationStatus.APPLIED


def test_an_open_event_has_no_applications_to_decide(app, client):
    a = make_org()
    event = make_event(co_organisers=[a], capacity=3)
    registration = sign_up(event).registration
    response = client.post(f"/api/v1/events/{event.slug}/registrations/{registration.id}/decision",
                           json={"decision": "reject"}, headers=bearer(make_token(a)))  # fmt: skip
    assert response.status_code == 404


BODIES = st.one_of(
    st.dictionaries(st.sampled_from(["decision", "message", "over_capacity", "score", "x"]),
                    st.one_of(st.text(max_size=3000), st.integers(), st.booleans(), st.none(),
                              st.sampled_from(["accept", "reject", "waitlist", "ACCEPT"])),
                    max_size=4),
    st.lists(st.integers(), max_size=3), st.text(max_size=20), st.integers(),
)  # fmt: skip


def test_any_decision_body_is_answered_without_a_server_error(app, client, world):
    registration = world["people"][0]
    path = f"/api/v1/events/{world['event'].slug}/registrations/{registration.id}/decision"

    @BOUNDED
    @given(body=BODIES)
    def attempt(body):
        db.session.rollback()
        status = reload(registration).status
        response = client.post(path, json=body, headers=bearer(world["a"]))
        assert response.status_code < 500, response.json
        if response.status_code != 200:
            assert reload(registration).status == status
        else:
            assert body["decision"] in ("accept", "reject", "waitlist")

    attempt()
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0
