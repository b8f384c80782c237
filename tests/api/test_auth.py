"""Only a valid, unrevoked organisation token opens the API."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.api import services
from boostcamp.auth.models import ApiToken, StaffRole
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from tests.api.helpers import bearer, make_token, new_event
from tests.factories import make_centre, make_org, make_user


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer bct_not-a-real-token"},
     {"Authorization": "Basic c3RhZmY6cGFzc3dvcmQ="}],
    ids=["no header", "no token", "unknown token", "another scheme"],
)  # fmt: skip
def test_requests_without_a_valid_token_get_a_json_401(client, headers):
    make_centre()
    response = client.get("/api/v1/events", headers=headers)
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_stops_working_at_once(client):
    centre = make_centre()
    secret = make_token(centre)
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 200
    services.revoke_token(db.session.query(ApiToken).one())
    db.session.commit()
    response = client.get("/api/v1/events", headers=bearer(secret))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_signed_in_staff_member_still_needs_a_token(client, auth):
    make_centre()
    make_user("s@mic.test", role=StaffRole.STAFF)
    auth.login("s@mic.test")
    assert client.get("/api/v1/events").status_code == 401


def test_the_api_sets_no_cookie_and_is_not_cached(client):
    secret = make_token(make_centre())
    response = client.get("/api/v1/events", headers=bearer(secret))
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_last_use_is_noted_at_most_once_a_minute(client):
    secret = make_token(make_centre())
    token = db.session.query(ApiToken).one()
    assert token.last_used_at is None
    client.get("/api/v1/events", headers=bearer(secret))
    db.session.rollback()
    first_use = token.last_used_at
    assert first_use is not None
    client.get("/api/v1/events", headers=bearer(secret))
    db.session.rollback()
    assert token.last_used_at == first_use  # no write for a second request within the minute
    token.last_used_at = first_use - timedelta(minutes=2)
    db.session.commit()
    client.get("/api/v1/events", headers=bearer(secret))
    db.session.rollback()
    assert token.last_used_at > first_use


def test_last_use_is_kept_when_the_request_then_fails(client):
    secret = make_token(make_centre())
    token = db.session.query(ApiToken).one()
    response = client.post("/api/v1/events", headers=bearer(secret), json={"title": ""})
    assert response.status_code == 422, response.json  # refused: nothing of the request kept
    db.session.rollback()
    assert token.last_used_at is not None  # …but the token was used, and that is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_api_needs_no_csrf_token_even_where_forms_do(database_url, app):
    from tests.conftest import make_app

    make_centre()
    secret = make_token(make_org("Mind & Market"))
    client = make_app(database_url, WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/api/v1/events", headers=bearer(secret), json=new_event())
    assert response.status_code == 201, response.json
    # …while the staff forms still refuse a post without one.
    assert client.post("/staff/api/settings").status_code == 400
