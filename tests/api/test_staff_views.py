"""The centre's staff manage the API tokens and the partners' right to publish."""

import re

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import ApiToken, MemberRole, StaffRole, hash_token
from boostcamp.core.services import get_setting
from boostcamp.core.extensions import db
from tests.api.helpers import bearer, make_token
from tests.factories import make_centre, make_org, make_user


def sign_in_staff(auth):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")


def test_list_shows_hints_never_secrets(client, auth):
    partner = make_org("Mind & Market")
    secret = make_token(partner, "Site web")
    sign_in_staff(auth)
    html = client.get("/staff/api/").get_data(as_text=True)
    assert "Mind &amp; Market" in html and "Site web" in html
    assert secret[:12] in html
    assert secret not in html


def test_created_token_is_shown_once(client, auth):
    partner = make_org("Mind & Market")
    sign_in_staff(auth)
    response = client.post("/staff/api/tokens", data={"organisation": partner.id, "name": "CRM"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    secret = re.search(r'value="(bct_[^"]+)"', html).group(1)
    assert "ne pourra plus être affiché" in html
    assert response.headers["Cache-Control"] == "no-store"
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    token = db.session.scalar(sa.select(ApiToken))
    assert token.token_hash == hash_token(secret) and token.organisation_id == partner.id
    assert secret not in client.get("/staff/api/").get_data(as_text=True)
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 200


def test_create_without_organisation_or_name_shows_field_errors(client, auth):
    sign_in_staff(auth)
    response = client.post("/staff/api/tokens", data={"organisation": "0", "name": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Choisissez une organisation." in html
    assert "Donnez un nom au jeton." in html
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoke_stops_the_token(client, auth):
    secret = make_token(make_org("Mind & Market"), "Site web")
    token_id = db.session.scalar(sa.select(ApiToken.id))
    sign_in_staff(auth)
    response = client.post(f"/staff/api/tokens/{token_id}/revoke", follow_redirects=True)
    assert "est révoqué" in response.get_data(as_text=True)
    assert client.get("/api/v1/events", headers=bearer(secret)).status_code == 401
    db.session.rollback()
    assert db.session.get(ApiToken, token_id).revoked_at is not None


def test_staff_lets_partners_publish(client, auth):
    sign_in_staff(auth)

    def checkbox():
        html = client.get("/staff/api/").get_data(as_text=True)
        return re.search(r'<input[^>]*id="partner_may_publish"[^>]*>', html).group(0)

    assert "checked" not in checkbox()  # off by default
    client.post("/staff/api/settings", data={"partner_may_publish": "y"})
    assert "checked" in checkbox()
    db.session.rollback()
    assert get_setting("api_partner_may_publish") is True
    client.post("/staff/api/settings", data={})
    db.session.rollback()
    assert get_setting("api_partner_may_publish") is False


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/staff/api/"), ("post", "/staff/api/tokens"), ("post", "/staff/api/tokens/1/revoke"),
     ("post", "/staff/api/settings")],
)  # fmt: skip
def test_partner_manager_is_refused(client, auth, method, path):
    partner = make_org("Mind & Market")
    make_token(partner)
    make_user("m@mm.test", org=partner, org_role=MemberRole.MANAGER)
    auth.login("m@mm.test")
    response = getattr(client, method)(path, data={"organisation": partner.id, "name": "Mine",
                                                   "partner_may_publish": "y"})  # fmt: skip
    assert response.status_code == 403
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 1
    assert db.session.scalar(sa.select(ApiToken.revoked_at)) is None
    assert get_setting("api_partner_may_publish") is False


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/staff/api/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_token_list_costs_the_same_queries_for_few_and_many(client, auth, count_queries):
    orgs = [make_centre()] + [make_org(f"Partner {i}") for i in range(3)]
    sign_in_staff(auth)

    def add_tokens(n):
        for i in range(n):
            make_token(orgs[i % 4], f"Token {i}")

    add_tokens(2)
    with count_queries() as few:
        assert client.get("/staff/api/").status_code == 200
    add_tokens(30)
    with count_queries() as many:
        assert client.get("/staff/api/").status_code == 200
    assert many.count == few.count, many.statements
