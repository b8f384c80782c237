import pytest

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from tests.conftest import make_app
from tests.factories import PASSWORD, make_centre, make_org, make_user


def test_staff_signs_in_and_lands_on_the_dashboard(client, auth):
    make_centre()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    response = auth.login("Staff@MIC.test")  # e-mails are not case-sensitive
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "Espace organisateurs" in page.get_data(as_text=True)


@pytest.mark.parametrize("email,password", [("staff@mic.test", "wrong-password"), ("nobody@mic.test", PASSWORD)])
def test_a_failed_sign_in_says_the_same_whatever_was_wrong(client, auth, email, password):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    response = auth.login(email, password)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "E-mail ou mot de passe incorrect." in html
    assert client.get("/staff/").status_code == 302


def test_an_inactive_account_cannot_sign_in(client, auth):
    user = make_user("old@mic.test", role=StaffRole.STAFF)
    user.active = False
    db.session.commit()
    assert auth.login("old@mic.test").status_code == 200
    assert client.get("/staff/").status_code == 302


def test_empty_form_gets_field_errors_not_a_500(client):
    response = client.post("/auth/login", data={})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Saisissez votre adresse e-mail." in html
    assert "Saisissez votre mot de passe." in html


@pytest.mark.parametrize(
    "next_url,expected",
    [
        ("/events/x", "/events/x"),
        ("https://evil.example/", "/staff/"),
        ("//evil.example/", "/staff/"),
        ("/\\evil.example", "/staff/"),
        ("javascript:alert(1)", "/staff/"),
    ],
)
def test_next_redirects_stay_on_the_site(client, next_url, expected):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    response = client.post(
        "/auth/login", data={"email": "staff@mic.test", "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?next=%2Fstaff%2F"


def test_sign_out(client, auth):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_signing_out_again_says_you_are_signed_out(client, auth):
    # A second tap, or another tab already signed out: the same answer, not the sign-in page.
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    client.post("/auth/logout")
    again = client.post("/auth/logout")
    assert again.status_code == 302 and again.headers["Location"] == "/"
    assert "Vous êtes déconnecté" in client.get("/").get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_someone_without_any_role_cannot_even_sign_in(client, auth):
    make_user("nobody@mic.test")
    response = auth.login("nobody@mic.test")
    assert response.status_code == 200  # the form again, with the one message for any failure
    assert "Adresse e-mail ou mot de passe incorrect" in response.get_data(as_text=True) or (
        "incorrect" in response.get_data(as_text=True))
    assert client.get("/staff/").status_code == 302  # to the sign-in page


def test_repeated_failures_are_slowed_but_good_sign_ins_are_not(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with app.app_context():
        from tests.conftest import clear_tables

        clear_tables()
        make_user("staff@mic.test", role=StaffRole.STAFF)
        client = app.test_client()
        for _ in range(4):  # successes do not count against the limit
            assert client.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD}).status_code == 302
            client.post("/auth/logout")
        for _ in range(3):
            assert client.post("/auth/login", data={"email": "staff@mic.test", "password": "bad"}).status_code == 200
        blocked = client.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD})
        assert blocked.status_code == 429
        assert "Trop de tentatives" in blocked.get_data(as_text=True)
        clear_tables()
        db.engine.dispose()


def test_partner_member_sees_the_dashboard(client, auth):
    platform = make_org("Mind & Market")
    make_user("m@mm.test", org=platform, org_role=MemberRole.MANAGER)
    auth.login("m@mm.test")
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "Mind &amp; Market" in page.get_data(as_text=True)
