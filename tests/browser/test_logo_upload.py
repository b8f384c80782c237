"""A partner's manager uploads its logo in real Chromium: a preview before saving (no inline
script under the CSP), then the logo served by the app on the organisation's page."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from boostcamp.auth.models import MemberRole
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from tests.browser.test_staff import sign_in
from tests.factories import make_centre, make_org, make_user

pytestmark = pytest.mark.browser


def test_a_partner_previews_then_saves_its_logo(page, app):
    make_centre("MIC Mons")
    partner = make_org("Mind & Market")
    make_user("manager@mind.test", org=partner, org_role=MemberRole.MANAGER)
    logo = io.BytesIO()
    Image.new("RGB", (640, 320), (120, 30, 90)).save(logo, "PNG")

    sign_in(page, "manager@mind.test")
    page.goto(f"/staff/organisations/{partner.slug}/edit")
    preview = page.locator("#logo-preview")
    expect(preview).to_be_hidden()
    page.get_by_label("Logo", exact=True).set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": logo.getvalue()}])
    expect(preview).to_be_visible()
    expect(preview).to_have_attribute("src", "data:image/png;base64," + __import__(
        "base64").b64encode(logo.getvalue()).decode())
    db.session.rollback()
    assert db.session.scalar(sa.select(Organisation.logo_sha256)
                             .where(Organisation.id == partner.id)) is None  # not saved yet

    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_url("**/members")
    db.session.rollback()
    sha = db.session.scalar(sa.select(Organisation.logo_sha256)
                            .where(Organisation.id == partner.id))  # fmt: skip
    assert sha
    page.goto(f"/organisations/{partner.slug}")
    img = page.get_by_role("img", name="Logo de Mind & Market")
    expect(img).to_have_attribute("src", f"/logos/{sha}.png")
    assert page.evaluate("document.querySelector('img.org-logo').naturalWidth") == 512
