"""The impact dashboard in real Chromium: accessible, on a desk and on a phone."""

from datetime import date

import pytest
from playwright.sync_api import expect

from boostcamp.auth.models import StaffRole
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import targets
from tests.browser.conftest import axe_violations
from tests.browser.test_staff import sign_in
from tests.factories import make_user
from tests.outcomes.helpers import world

pytestmark = pytest.mark.browser
PERIOD = "from=2010-01-01&to=2010-12-31"


# Slow by design: axe-core checks eight pages in a real Chromium (about 0.2 s of CPU each).
def test_impact_pages_have_no_accessibility_violations(a11y_page, app):
    w = world()
    target = targets.create_target(label="Emplois 2010", metric="jobs", value=16,
                                    period_from=date(2010, 1, 1),
                                    period_to=date(2010, 12, 31))  # fmt: skip
    db.session.commit()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(a11y_page, "staff@mic.test")
    for path in (f"/staff/impact?{PERIOD}", f"/staff/impact/print?{PERIOD}",
                 f"/staff/impact/startups?{PERIOD}", f"/staff/impact/people?{PERIOD}",
                 f"/staff/impact/certifications?{PERIOD}&credited=0", "/staff/impact/targets",
                 f"/staff/impact/targets/{target.id}/edit",
                 "/staff/impact?from=2010-13-01"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path

    # From the headline to the list behind it, as a person would.
    a11y_page.goto(f"/staff/impact?{PERIOD}")
    a11y_page.get_by_role("link", name="2", exact=True).first.click()
    heading = a11y_page.get_by_role("heading", name="Start-ups attribuées aux événements")
    expect(heading).to_be_visible()
    expect(a11y_page.get_by_text(w["startup_a"].name)).to_be_visible()


def test_the_dashboard_fits_a_phone(phone, app):
    world()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(phone, "staff@mic.test")
    phone.goto(f"/staff/impact?{PERIOD}")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]
