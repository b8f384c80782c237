"""Password reset by mail, password change, sign out everywhere, and sign-in limits per
account and per client behind a proxy."""

import re

import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.mail.worker import Worker
from tests.conftest import make_app
from tests.factories import PASSWORD, make_org, make_user

RESET_LINK = re.compile(r"https?://[^/\s]+(/auth/reset/\S+)")


def test_a_reset_mail_arrives_by_smtp_and_its_link_works_once(app, client, smtp_server):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    old_session = app.test_client()
    old_session.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD})
    response = client.post("/auth/reset", data={"email": "Staff@MIC.test"})
    assert response.status_code == 302
    Worker().run_pass()
    [received] = smtp_server.wait_for(1)
    assert received["To"].endswith("<staff@mic.test>")
    link = RESET_LINK.search(received.get_body(("plain",)).get_content()).group(1)
    assert "Choisissez votre mot de passe" in client.get(link).get_data(as_text=True)
    response = client.post(link, data={"password": "un nouveau mot de passe", "confirm":
                                       "un nouveau mot de passe"})  # fmt: skip
    assert response.status_code == 302 and client.get("/staff/").status_code == 200
    assert client.get(link).status_code == 404  # used
    assert old_session.get("/staff/").status_code == 302  # the other session ended
    db.session.rollback()
    actions = set(db.session.scalars(sa.select(AuditEntry.action)))
    assert {"password_reset_asked", "password_reset"} <= actions


def test_a_reset_request_answers_the_same_for_any_address(app, client):
    from boostcamp.mail.models import OutboxMessage

    make_user("staff@mic.test", role=StaffRole.STAFF)
    known = client.post("/auth/reset", data={"email": "staff@mic.test"}, follow_redirects=True)
    unknown = client.post("/auth/reset", data={"email": "nobody@mic.test"}, follow_redirects=True)
    main = [r.get_data(as_text=True).split("<main", 1)[1] for r in (known, unknown)]
    assert main[0] == main[1]
    db.session.rollback()
    assert [m.to_address for m in db.session.scalars(sa.select(OutboxMessage))] == [
        "staff@mic.test"]


def test_a_reset_link_expires(app, client):
    import time

    from boostcamp.mail.models import OutboxMessage

    make_user("staff@mic.test", role=StaffRole.STAFF)
    client.post("/auth/reset", data={"email": "staff@mic.test"})
    db.session.rollback()
    body = db.session.scalar(sa.select(OutboxMessage.body_text))
    link = RESET_LINK.search(body).group(1)
    app.config["PASSWORD_RESET_MINUTES"] = 0
    time.sleep(1.1)
    response = client.get(link)
    assert response.status_code == 410 and "Demander un nouveau lien" in response.get_data(as_text=True)


def test_changing_the_password_asks_the_current_one_and_ends_other_sessions(app, client, auth):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    elsewhere = app.test_client()
    elsewhere.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD})
    auth.login("staff@mic.test")
    wrong = client.post("/auth/account", data={"current": "pas le bon", "password": "nouveau mot de passe",
                                               "confirm": "nouveau mot de passe"})  # fmt: skip
    assert "Ce n’est pas votre mot de passe actuel." in wrong.get_data(as_text=True)
    assert elsewhere.get("/staff/").status_code == 200  # nothing changed
    right = client.post("/auth/account", data={"current": PASSWORD, "password": "nouveau mot de passe",
                                               "confirm": "nouveau mot de passe"})  # fmt: skip
    assert right.status_code == 302
    assert client.get("/staff/").status_code == 200  # this device stays signed in
    assert elsewhere.get("/staff/").status_code == 302
    auth.logout()
    assert auth.login("staff@mic.test", "nouveau mot de passe").status_code == 302


def test_sign_out_everywhere(app, client, auth):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    elsewhere = app.test_client()
    elsewhere.post("/auth/login", data={"email": "staff@mic.test", "password": PASSWORD})
    auth.login("staff@mic.test")
    assert client.post("/auth/account/sign-out-everywhere").status_code == 302
    assert client.get("/staff/").status_code == 302 and elsewhere.get("/staff/").status_code == 302


def test_behind_a_proxy_one_attacker_locks_out_neither_other_accounts_nor_other_visitors(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, PROXY_FIX_X_FOR=1,
                   LOGIN_RATE_LIMIT="3 per 5 minutes", LOGIN_IP_RATE_LIMIT="5 per 5 minutes")  # fmt: skip
    with app.app_context():
        from tests.conftest import clear_tables

        clear_tables()
        make_user("staff@mic.test", role=StaffRole.STAFF)
        make_user("m@mm.test", org=make_org("Mind & Market"), org_role=MemberRole.MANAGER)
        client = app.test_client()
        attacker = {"X-Forwarded-For": "203.0.113.9"}
        colleague = {"X-Forwarded-For": "198.51.100.7"}

        def sign_in(email, password, headers):
            return client.post("/auth/login", data={"email": email, "password": password},
                               headers=headers).status_code  # fmt: skip

        # A made-up address, over and over: that address is blocked, not the real accounts.
        assert [sign_in("ghost@mic.test", "x", attacker) for _ in range(4)] == [200, 200, 200, 429]
        assert sign_in("staff@mic.test", PASSWORD, attacker) == 302
        client.post("/auth/logout")
        # Many accounts from one address: that client is stopped, the others are not.
        answers = [sign_in(f"guess{n}@mic.test", "x", attacker) for n in range(4)]
        assert 429 in answers and answers.index(429) <= 2, answers  # 5 failures from it at most
        assert sign_in("staff@mic.test", "bad", colleague) == 200
        assert sign_in("m@mm.test", PASSWORD, colleague) == 302
        # The account under attack: blocked for everyone after 3 failures, its owner too.
        client.post("/auth/logout")
        for _ in range(2):
            sign_in("staff@mic.test", "bad", {"X-Forwarded-For": "192.0.2.1"})
        assert sign_in("staff@mic.test", PASSWORD, colleague) == 429
        clear_tables()
        db.engine.dispose()


def test_a_chosen_password_is_long_and_not_common(app):
    import pytest

    from boostcamp.auth import services
    from boostcamp.core.errors import DomainError

    user = make_user("staff@mic.test", role=StaffRole.STAFF)
    for weak, says in (("court", "12"), ("password123456", "easy"),
                       ("azertyuiop12", "easy"), ("staff@mic.test1", "easy")):  # fmt: skip
        with pytest.raises(DomainError) as e:
            services.choose_password(user, weak)
        assert e.value.field == "password" and says in str(e.value.errors["password"]), weak
    services.choose_password(user, "trois mots bien à moi")
