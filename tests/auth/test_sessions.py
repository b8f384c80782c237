"""Sessions that can be ended: a replayed cookie after sign-out, after a new password or past
its age gets the sign-in page; the remember cookie is HttpOnly, SameSite=Lax and expires."""

from datetime import timedelta

import pytest

from boostcamp.auth.models import StaffRole
from boostcamp.core.extensions import db
from tests.factories import PASSWORD, make_user

COOKIES = ("session", "remember_token")


@pytest.fixture
def staff(app):
    return make_user("staff@mic.test", role=StaffRole.STAFF)


def sign_in(client) -> dict[str, str]:
    response = client.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD,
                                                 "remember": "y"})  # fmt: skip
    assert response.status_code == 302
    return {name: cookie(client, name) for name in COOKIES if cookie(client, name)}


def cookie(client, name: str) -> str | None:
    found = client.get_cookie(name, domain="boostcamp.test")
    return found.value if found else None


def replay(app, cookies: dict[str, str], only: str | None = None) -> int:
    """/staff/ with these cookies in a fresh browser: 200 or 302 to the sign-in page."""
    other = app.test_client()
    for name, value in cookies.items():
        if only is None or name == only:
            other.set_cookie(name, value, domain="boostcamp.test")
    return other.get("/staff/").status_code


def test_both_cookies_open_the_staff_area_until_sign_out(app, client, staff):
    cookies = sign_in(client)
    assert set(cookies) == set(COOKIES)
    assert replay(app, cookies, "session") == 200
    assert replay(app, cookies, "remember_token") == 200
    client.post("/auth/logout")
    for name in COOKIES:
        assert replay(app, cookies, name) == 302, name


def test_signing_out_on_one_device_ends_the_others(app, client, staff):
    laptop = sign_in(client)
    phone_client = app.test_client()
    phone = sign_in(phone_client)
    assert replay(app, phone) == 200
    client.post("/auth/logout")
    assert replay(app, phone) == 302 and replay(app, laptop) == 302
    assert sign_in(phone_client) and replay(app, {"session": cookie(phone_client, "session")}) == 200


def test_a_new_password_ends_every_session(app, client, staff):
    from boostcamp.auth import services

    cookies = sign_in(client)
    services.choose_password(db.session.merge(staff), "un tout nouveau mot de passe")
    db.session.commit()
    for name in COOKIES:
        assert replay(app, cookies, name) == 302, name


def test_a_session_ends_after_its_time_whatever_the_cookie_says(app, client, staff):
    cookies = sign_in(client)
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(seconds=-1)
    assert replay(app, cookies, "remember_token") == 302
    assert replay(app, cookies, "session") == 302


def test_an_old_style_or_forged_cookie_id_is_refused(app, staff):
    with app.test_request_context():
        from flask import session

        other = app.test_client()
        with other.session_transaction() as sess:
            sess["_user_id"] = str(staff.id)  # what the cookie held before: the id alone
            sess["_fresh"] = True
        assert other.get("/staff/").status_code == 302
        assert session is not None


def test_the_remember_cookie_is_http_only_same_site_and_expires(client, staff):
    response = client.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD,
                                                 "remember": "y"})  # fmt: skip
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Expires=" in header
    assert "Secure" not in header  # over http here; https deployments: test below


def test_cookies_are_secure_when_served_over_https(database_url):
    from tests.conftest import make_app

    app = make_app(database_url, PREFERRED_URL_SCHEME="https")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
