"""A new member follows the invitation mail on a phone, chooses a password and reaches the
dashboard; the account pages have no accessibility violations."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from boostcamp.auth.models import MemberRole
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.organisations import services as org_services
from tests.browser.conftest import axe_violations
from tests.factories import make_centre, make_org

pytestmark = pytest.mark.browser


@pytest.fixture
def phone_a11y(browser, live_server):
    """A phone whose context ignores our CSP, so that axe-core can be injected."""
    context = browser.new_context(
        base_url=live_server, locale="fr-BE", viewport={"width": 390, "height": 844},
        is_mobile=True, has_touch=True, bypass_csp=True,
    )  # fmt: skip
    yield context.new_page()
    context.close()


def test_a_new_member_follows_the_invitation_on_a_phone(phone_a11y, app):
    phone = phone_a11y
    make_centre("MIC Mons")
    partner = make_org("Mind & Market")
    org_services.add_member(partner, "nora@mind.test", MemberRole.CHECKIN, name="Nora")
    db.session.commit()
    body = db.session.scalar(sa.select(OutboxMessage.body_text))
    path = re.search(r"https?://[^/\s]+(/auth/invitation/\S+)", body).group(1)

    phone.goto(path)
    expect(phone.get_by_role("heading", name="Choisissez votre mot de passe")).to_be_visible()
    assert axe_violations(phone) == []
    phone.get_by_label("Nouveau mot de passe").fill("password12345")
    phone.get_by_label("Le même mot de passe, encore une fois").fill("password12345")
    phone.get_by_role("button", name="Enregistrer mon mot de passe").click()
    expect(phone.locator("#password-error")).to_contain_text("trop facile")
    assert axe_violations(phone) == []  # the form with its error, too
    phone.get_by_label("Nouveau mot de passe").fill("trois mots pour Nora")
    phone.get_by_label("Le même mot de passe, encore une fois").fill("trois mots pour Nora")
    phone.get_by_role("button", name="Enregistrer mon mot de passe").click()
    phone.wait_for_url("**/staff/")
    expect(phone.get_by_text("Votre mot de passe est enregistré")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the dashboard overflows the phone's width"

    for path in ("/auth/account", "/auth/reset"):
        phone.goto(path)
        assert axe_violations(phone) == [], path
