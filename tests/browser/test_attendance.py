"""The attendance pages in real Chromium: accessible, and the sheet prints on one page."""

import pytest

from boostcamp.auth.models import MemberRole, StaffRole
from tests.browser.conftest import axe_violations
from tests.browser.test_staff import sign_in
from tests.factories import (
    at,
    make_centre,
    make_check_in,
    make_event,
    make_org,
    make_person,
    make_registration,
    make_user,
)

pytestmark = pytest.mark.browser


def test_attendance_pages_have_no_accessibility_violations(a11y_page, app):
    partner = make_org("Mind & Market")
    event = make_event(make_centre(), co_organisers=[partner], title="Boostcamp Mons",
                       starts_at=at(2030, 3, 4), days=2, sessions=[
                           ("Jour 1", at(2030, 3, 4, 9), at(2030, 3, 4, 17)),
                           ("Jour 2", at(2030, 3, 5, 9), at(2030, 3, 5, 17))])  # fmt: skip
    lea = make_registration(event, make_person(first_name="Léa", last_name="Martin"))
    make_registration(event, make_person(first_name="Tom", last_name="Peeters"))
    make_check_in(lea, event.sessions[0])
    make_user("staff@mic.test", role=StaffRole.STAFF)
    make_user("checkin@mm.test", org=partner, org_role=MemberRole.CHECKIN)
    base = f"/staff/events/{event.slug}/attendance"
    day1 = event.sessions[0].id

    sign_in(a11y_page, "staff@mic.test")
    for path in (f"{base}?session={day1}", f"{base}?session={day1}&came=no",
                 f"{base}/sheet?session={day1}"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path

    # Printed, the sheet shows the people and not the site's menus.
    menu = a11y_page.get_by_role("navigation", name="Principal")
    assert menu.is_visible() and a11y_page.get_by_role("button", name="Imprimer").is_visible()
    a11y_page.emulate_media(media="print")
    assert menu.is_hidden()
    assert a11y_page.get_by_role("button", name="Imprimer").is_hidden()
    assert a11y_page.get_by_text("MARTIN Léa").is_visible()
