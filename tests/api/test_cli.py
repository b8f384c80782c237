"""flask api-token create / list / revoke."""

import hashlib

import sqlalchemy as sa

from boostcamp.auth.models import ApiToken
from boostcamp.core.extensions import db
from tests.api.helpers import bearer
from tests.factories import make_centre, make_event, make_org


def test_created_token_is_on_the_last_line_and_opens_the_api(runner, client):
    partner = make_org("Mind & Market", slug="mind-and-market")
    make_event(host=make_centre(), co_organisers=[partner], title="Boostcamp LLN")
    result = runner.invoke(args=["api-token", "create", "mind-and-market", "--name", "Site web"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("bct_") and " " not in secret
    response = client.get("/api/v1/events", headers=bearer(secret))
    assert response.status_code == 200
    assert [e["title"] for e in response.json["items"]] == ["Boostcamp LLN"]


def test_token_is_stored_only_hashed(runner):
    make_org("Mind & Market", slug="mind-and-market")
    secret = runner.invoke(args=["api-token", "create", "mind-and-market"]).output.splitlines()[-1]
    token = db.session.scalar(sa.select(ApiToken))
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.name == "API"
    stored = [str(v) for v in db.session.execute(sa.select(ApiToken.__table__)).one()]
    assert secret not in stored
    listing = runner.invoke(args=["api-token", "list"]).output
    assert token.hint in listing and secret not in listing
    assert "mind-and-market" in listing and "active" in listing


def test_revoke_stops_the_token(runner, client):
    make_org("Mind & Market", slug="mind-and-market")
    secret = runner.invoke(args=["api-token", "create", "mind-and-market"]).output.splitlines()[-1]
    token_id = db.session.scalar(sa.select(ApiToken.id))
    result = runner.invoke(args=["api-token", "revoke", str(token_id)])
    assert result.exit_code == 0, result.output
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 401
    assert "revoked" in runner.invoke(args=["api-token", "list"]).output


def test_unknown_organisation_or_token_exits_non_zero(runner):
    result = runner.invoke(args=["api-token", "create", "nowhere"])
    assert result.exit_code != 0
    assert "nowhere" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
    result = runner.invoke(args=["api-token", "revoke", "999"])
    assert result.exit_code != 0
    assert "No such token" in result.output
