"""The optional second factor: setting it up, signing in with a code or a recovery code
(each taken once), turning it off, and the centre requiring it of its staff."""

import re
import time

import pyotp
import pytest
import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.core.db import utcnow
from boostcamp.auth import services as auth_services
from boostcamp.auth import two_factor
from boostcamp.auth.models import MemberRole, StaffRole, User
from boostcamp.auth.tokens import make_link_token
from boostcamp.auth.two_factor_models import TwoFactor
from boostcamp.core.extensions import db
from tests.conftest import clear_tables, make_app
from tests.factories import PASSWORD, make_org, make_user

CODE_PAGE = "/auth/two-step/code"


@pytest.fixture
def staff(app):
    return make_user("staff@mic.test", role=StaffRole.STAFF)


def actions() -> list[str]:
    db.session.rollback()  # end this test's read transaction: see what the requests wrote
    return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def row(user: User) -> TwoFactor | None:
    db.session.rollback()
    return db.session.get(TwoFactor, user.id)


def password_step(client, email="staff@mic.test", **extra):
    return client.post("/auth/login", data={"email": email, "password": PASSWORD, **extra})


def turn_on(client, user: User) -> tuple[pyotp.TOTP, list[str]]:
    """Through the pages, signed in: the QR page, then the first code. Returns the app's
    TOTP and the recovery codes shown."""
    page = client.get("/auth/two-step/")
    assert page.status_code == 200
    secret = re.search(r"data-secret>([A-Z2-7]+)<", page.get_data(as_text=True)).group(1)
    totp = pyotp.TOTP(secret)
    response = client.post("/auth/two-step/", data={"code": totp.now()})
    assert response.status_code == 200
    codes = re.findall(r"<li class=\"col\">([0-9a-f]{8}-[0-9a-f]{8})</li>",
                       response.get_data(as_text=True))  # fmt: skip
    return totp, codes


def enable_directly(user: User) -> pyotp.TOTP:
    """Set up without the pages, a step in the past so that this step's code is new."""
    r = two_factor.start_setup(user)
    totp = pyotp.TOTP(r.secret)
    past = time.time() - 90
    assert two_factor._check_totp(r, totp.at(past), at=past)
    r.confirmed_at = utcnow()
    db.session.commit()
    return totp


def test_setting_up_shows_a_qr_code_and_turns_on_with_a_right_code(app, client, auth, staff):
    auth.login("staff@mic.test")
    first = client.get("/auth/two-step/").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in first and "autocomplete=\"one-time-code\"" in first
    again = client.get("/auth/two-step/").get_data(as_text=True)
    secret = re.search(r"data-secret>([A-Z2-7]+)<", first).group(1)
    assert secret in again  # a reload keeps the key the app may have scanned
    assert not two_factor.enabled(staff)

    wrong = client.post("/auth/two-step/", data={"code": "000000"})
    assert wrong.status_code == 422 and "code-error" in wrong.get_data(as_text=True)
    assert row(staff).confirmed_at is None and "two_factor_enabled" not in actions()

    totp, codes = turn_on(client, staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = row(staff)
    assert stored.confirmed_at is not None and len(stored.recovery_codes) == 10
    assert not any(c in stored.recovery_codes for c in codes)  # kept hashed only
    assert actions().count("two_factor_enabled") == 1


def test_turning_it_on_ends_the_other_sessions_of_the_account(app, client, auth, staff):
    stolen = app.test_client()
    password_step(stolen)
    assert stolen.get("/staff/").status_code == 200
    auth.login("staff@mic.test")
    turn_on(client, staff)
    assert stolen.get("/staff/").status_code == 302  # must now sign in again, with a code
    assert client.get("/staff/").status_code == 200  # the browser that turned it on goes on


@pytest.mark.both_engines  # a row lock
def test_sign_in_asks_the_code_and_a_code_is_taken_once(app, client, staff):
    totp = enable_directly(staff)
    response = password_step(client)
    assert response.status_code == 302 and response.location.endswith(CODE_PAGE)
    assert client.get("/staff/").status_code == 302  # a right password alone opens nothing

    wrong = client.post(CODE_PAGE, data={"code": "123456"})
    assert wrong.status_code == 422
    assert client.get("/staff/").status_code == 302

    code = totp.now()
    assert client.post(CODE_PAGE, data={"code": code}).status_code == 302
    assert client.get("/staff/").status_code == 200

    # The same code, overheard, does not open a second sign-in.
    thief = app.test_client()
    assert password_step(thief).status_code == 302
    assert thief.post(CODE_PAGE, data={"code": code}).status_code == 422
    assert thief.get("/staff/").status_code == 302


@pytest.mark.both_engines  # a row lock
def test_a_recovery_code_signs_in_once(app, client, auth, staff):
    auth.login("staff@mic.test")
    _, codes = turn_on(client, staff)
    auth.logout()
    fresh = app.test_client()
    password_step(fresh)
    assert fresh.post(CODE_PAGE, data={"code": codes[3].upper()}).status_code == 302
    assert fresh.get("/staff/").status_code == 200
    assert len(row(staff).recovery_codes) == 9
    assert "two_factor_recovery_code_used" in actions()

    other = app.test_client()
    password_step(other)
    assert other.post(CODE_PAGE, data={"code": codes[3]}).status_code == 422
    assert other.get("/staff/").status_code == 302
    assert len(row(staff).recovery_codes) == 9


def test_the_code_page_without_a_right_password_or_after_sign_out_everywhere(app, client, staff):
    enable_directly(staff)
    assert client.get(CODE_PAGE).status_code == 302  # nothing pending: to the sign-in page
    password_step(client)
    staff.revoke_sessions()  # e.g. the password was reset meanwhile
    db.session.commit()
    response = client.post(CODE_PAGE, data={"code": "000000"})
    assert response.status_code == 302 and "/auth/login" in response.location


def test_an_invitation_link_does_not_skip_the_second_factor(app, client, staff):
    enable_directly(staff)
    token = make_link_token(staff, auth_services.INVITATION)
    response = client.post(f"/auth/invitation/{token}",
                           data={"password": "a new long passphrase", "confirm":
                                 "a new long passphrase"})  # fmt: skip
    assert response.status_code == 302 and "/auth/login" in response.location
    assert client.get("/staff/").status_code == 302


def test_turning_off_needs_the_password_and_a_code(app, client, auth, staff):
    auth.login("staff@mic.test")
    totp, codes = turn_on(client, staff)
    refused = client.post("/auth/two-step/off", data={"password": "wrong password",
                                                      "code": codes[0]}, follow_redirects=True)
    assert 'alert-danger" role="status"' in refused.get_data(as_text=True)
    assert row(staff) is not None
    client.post("/auth/two-step/off", data={"password": PASSWORD, "code": "000000"})
    assert row(staff) is not None and "two_factor_disabled" not in actions()
    client.post("/auth/two-step/off", data={"password": PASSWORD, "code": codes[0]})
    assert row(staff) is None
    assert actions()[-1] == "two_factor_disabled"
    # Signing in again is one step.
    auth.logout()
    assert password_step(app.test_client()).location.endswith("/staff/")


def test_new_recovery_codes_replace_the_old_ones(app, client, auth, staff):
    auth.login("staff@mic.test")
    totp, old = turn_on(client, staff)
    r = row(staff)
    r.last_step = 0  # the setup's code step, so the test needs not wait 30 s
    db.session.commit()
    refused = client.post("/auth/two-step/recovery-codes", data={"code": "000000"},
                          follow_redirects=True)  # fmt: skip
    assert 'alert-danger" role="status"' in refused.get_data(as_text=True)
    assert "two_factor_recovery_codes_renewed" not in actions()
    response = client.post("/auth/two-step/recovery-codes", data={"code": totp.now()})
    new = re.findall(r"([0-9a-f]{8}-[0-9a-f]{8})", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    db.session.rollback()  # a fresh read (SQLite keeps the snapshot of the last one)
    assert not two_factor.verify(staff, old[0]) and two_factor.verify(staff, new[0])
    assert "two_factor_recovery_codes_renewed" in actions()


def test_the_centre_can_require_it_of_its_staff(app, client, auth, staff):
    admin = make_user("admin@mic.test", role=StaffRole.ADMIN)
    org = make_org("Mind & Market")
    make_user("manager@mm.test", org=org, org_role=MemberRole.MANAGER)
    enable_directly(admin)

    # Staff may not change the rule.
    auth.login("staff@mic.test")
    assert client.post("/auth/two-step/policy", data={"required": "y"}).status_code == 403
    assert not two_factor.required_setting()
    auth.logout()

    admin_client = app.test_client()
    password_step(admin_client, "admin@mic.test")
    admin_client.post(CODE_PAGE, data={"code": pyotp.TOTP(row(admin).secret).now()})
    assert admin_client.post("/auth/two-step/policy", data={"required": "y"}).status_code == 302
    assert "two_factor_required_for_staff" in actions()
    assert two_factor.required_setting()

    auth.login("staff@mic.test")
    response = client.get("/staff/")
    assert response.status_code == 302 and response.location.endswith("/auth/two-step/")
    turn_on(client, staff)
    assert client.get("/staff/").status_code == 200

    partner = app.test_client()  # partners' people are not centre staff: not required
    password_step(partner, "manager@mm.test")
    assert partner.get("/staff/").status_code == 200

    # A lost phone: the admin turns it off, and the staff member is asked to set it up again.
    assert admin_client.post(f"/auth/two-step/users/{staff.id}/off").status_code == 302
    assert row(staff) is None and actions()[-1] == "two_factor_disabled"
    assert client.get("/staff/").location.endswith("/auth/two-step/")


def test_wrong_codes_are_limited_per_account(database_url):
    app = make_app(database_url, RATELIMIT_ENABLED=True, TWO_FACTOR_RATE_LIMIT="3 per minute")
    with app.app_context():
        clear_tables()
        user = make_user("staff@mic.test", role=StaffRole.STAFF)
        totp = enable_directly(user)
        for _ in range(3):
            client = app.test_client()  # a new browser each time: the limit follows the account
            password_step(client)
            assert client.post(CODE_PAGE, data={"code": "000000"}).status_code == 422
        client = app.test_client()
        password_step(client)
        assert client.post(CODE_PAGE, data={"code": totp.now()}).status_code == 429
        assert client.get("/staff/").status_code == 302
        clear_tables()


def test_the_command_line_turns_it_off_for_a_locked_out_admin(app, runner):
    admin = make_user("admin@mic.test", role=StaffRole.ADMIN)
    result = runner.invoke(args=["users", "two-step-off", "admin@mic.test"])
    assert result.exit_code != 0 and "no two-step" in result.output
    enable_directly(admin)
    result = runner.invoke(args=["users", "two-step-off", "ADMIN@mic.test"])
    assert result.exit_code == 0, result.output
    assert row(admin) is None and actions()[-1] == "two_factor_disabled"
