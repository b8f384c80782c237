"""Two-step sign-in in real Chromium on a phone: set up from the page's key, keep the
recovery codes, sign in again with a code; axe finds nothing on the three pages."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from boostcamp.auth.models import StaffRole
from tests.browser.conftest import axe_violations, open_menu
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def password_step(page, email="staff@mic.test"):
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_staff_turn_it_on_and_sign_in_with_a_code_on_a_phone(phone, app):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    password_step(phone)
    phone.wait_for_url("**/staff/")
    open_menu(phone)
    phone.get_by_role("link", name="Mon compte").click()
    phone.get_by_role("link", name="Connexion en deux étapes").click()
    qr = phone.get_by_role("img", name="Code QR pour ajouter Boostcamp")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.naturalWidth") > 0  # the page's CSP lets the QR code show
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # On the phone itself, scanning its own screen is impossible: a link opens the app.
    expect(phone.get_by_role("link", name="Ouvrir dans l’application")).to_have_attribute(
        "href", re.compile(r"^otpauth://totp/Boostcamp:staff%40mic.test\?secret="))
    totp = pyotp.TOTP(phone.locator("[data-secret]").inner_text())
    phone.get_by_label("Code de l’application").fill(totp.now())
    phone.get_by_role("button", name="Activer la connexion en deux étapes").click()
    expect(phone.get_by_text("La connexion en deux étapes est activée.")).to_be_visible()
    expect(phone.locator("[data-recovery-codes] li")).to_have_count(10)
    recovery = phone.locator("[data-recovery-codes] li").first.inner_text()

    phone.context.clear_cookies()
    password_step(phone)
    phone.wait_for_url("**/auth/two-step/code")
    phone.get_by_label("Code de l’application, ou un code de secours").fill(recovery)
    phone.get_by_role("button", name="Se connecter").click()
    phone.wait_for_url("**/staff/")


def test_two_step_pages_have_no_accessibility_violations(a11y_page, app):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    page = a11y_page
    password_step(page)
    page.wait_for_url("**/staff/")
    page.goto("/auth/two-step/")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Activer la connexion en deux étapes").click()
    expect(page.locator(".invalid-feedback")).to_be_visible()  # a code is required
    assert axe_violations(page) == []
    totp = pyotp.TOTP(page.locator("[data-secret]").inner_text())
    page.get_by_label("Code de l’application").fill(totp.now())
    page.get_by_role("button", name="Activer la connexion en deux étapes").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    assert axe_violations(page) == []
    page.goto("/auth/two-step/")
    assert axe_violations(page) == []
    page.context.clear_cookies()
    password_step(page)
    page.wait_for_url("**/auth/two-step/code")
    assert axe_violations(page) == []
