import pytest

from boostcamp.auth.models import StaffRole
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, make_centre, make_event, make_org, make_user

pytestmark = pytest.mark.browser


def test_visitor_sees_upcoming_events_on_a_phone(phone, app):
    centre = make_centre("MIC Mons")
    make_event(host=centre, co_organisers=[make_org("Mind & Market")], title="Boostcamp Louvain-la-Neuve", city="Louvain-la-Neuve")
    phone.goto("/")
    assert phone.get_by_role("heading", name="Événements à venir").is_visible()
    card = phone.get_by_role("link", name="Boostcamp Louvain-la-Neuve")
    assert card.is_visible()
    # Laid out for the phone, not a shrunken desktop page.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    card.click()
    phone.wait_for_url("**/events/*")
    assert phone.get_by_role("heading", level=1).inner_text().startswith("Boostcamp Louvain-la-Neuve")


def test_staff_member_signs_in_and_sees_the_dashboard(page, app):
    make_event(title="Formation Azure")
    make_user("staff@mic-mons.test", role=StaffRole.STAFF)
    page.goto("/staff/")
    page.wait_for_url("**/auth/login?next=%2Fstaff%2F")
    page.get_by_label("E-mail").fill("staff@mic-mons.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_role("heading", name="Espace organisateurs").is_visible()
    assert page.get_by_role("link", name="Formation Azure").is_visible()


def test_wrong_password_shows_the_error_next_to_the_field(page, app):
    make_user("staff@mic-mons.test", role=StaffRole.STAFF)
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill("staff@mic-mons.test")
    page.get_by_label("Mot de passe").fill("not-it")
    page.keyboard.press("Enter")
    error = page.locator("#password-error")
    assert error.inner_text() == "E-mail ou mot de passe incorrect."
    assert page.get_by_label("Mot de passe").get_attribute("aria-describedby") == "password-error"


def test_language_switch_to_english(page, app):
    page.goto("/")
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Upcoming events").is_visible()


def test_menu_opens_on_a_phone(phone, app):
    phone.goto("/")
    sign_in = phone.get_by_role("link", name="Connexion organisateurs")
    assert not sign_in.is_visible()
    phone.get_by_role("button", name="Menu").click()
    sign_in.wait_for(state="visible")


@pytest.mark.parametrize("path", ["/", "/auth/login", "/events/missing"])
def test_pages_have_no_accessibility_violations(a11y_page, app, path):
    make_event(host=make_centre(), co_organisers=[make_org("Mind & Market")], capacity=10)
    a11y_page.goto(path)
    assert axe_violations(a11y_page) == []


def test_dashboard_has_no_accessibility_violations(a11y_page, app):
    make_event(title="Formation Azure")
    make_user("staff@mic-mons.test", role=StaffRole.STAFF)
    a11y_page.goto("/auth/login")
    a11y_page.get_by_label("E-mail").fill("staff@mic-mons.test")
    a11y_page.get_by_label("Mot de passe").fill(PASSWORD)
    a11y_page.get_by_role("button", name="Se connecter").click()
    a11y_page.wait_for_url("**/staff/")
    assert axe_violations(a11y_page) == []
