"""Every staff form sent back with errors opens with the same banner: each error a link to its
own field, and every link reaches a field of the page (the browser test checks the focus)."""

import re

import pytest

from boostcamp.auth.models import MemberRole, StaffRole
from tests.factories import make_centre, make_event, make_org, make_startup, make_user


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    partner = make_org("Mind & Market")
    make_user("staff@mic.test", role=StaffRole.ADMIN)
    make_user("manager@mind.test", org=partner, org_role=MemberRole.MANAGER)
    event = make_event(host=centre, co_organisers=[partner], title="Boostcamp Mons", capacity=20)
    startup = make_startup("Alpha")
    return dict(event=event, partner=partner, startup=startup)


# (path, form data) — what a careless click sends: empty or wrong fields.
def cases(w):
    slug, org, startup = w["event"].slug, w["partner"].slug, w["startup"].id
    return [
        ("/staff/events/new", {"title_fr": "", "kind": "boostcamp", "language": "fr",
                               "starts_at": "2030-05-06T09:00",
                               "ends_at": "2030-05-06T17:00", "city": "",
                               "sessions-0-title": "Matin", "sessions-0-starts_at": "2030-05-06T09:00",
                               "sessions-0-ends_at": "2030-05-07T12:00"}),
        (f"/staff/events/{slug}/duplicate", {"starts_at": ""}),
        ("/staff/organisations/new", {"name": ""}),
        (f"/staff/organisations/{org}/members/add", {"email": "not an address", "role": "manager"}),
        (f"/staff/events/{slug}/registrations/new", {"email": ""}),
        (f"/staff/events/{slug}/questions/new", {"label": ""}),
        (f"/staff/events/{slug}/message", {"subject": "", "body": ""}),
        ("/staff/outcomes/startups/new", {"name": "", "enterprise_number": "123"}),
        (f"/staff/outcomes/startups/{startup}/jobs", {"on": "", "headcount": "-1"}),
        ("/staff/outcomes/certifications/new", {"person": "", "name": ""}),
        ("/staff/impact/targets", {"label": "", "metric": "jobs", "value": "x"}),
        ("/staff/api/tokens", {"name": ""}),
        ("/auth/account", {"current_password": "", "password": "short"}),
    ]  # fmt: skip


def test_every_staff_form_links_each_error_to_its_field(client, auth, world):
    auth.login("staff@mic.test")
    for path, data in cases(world):
        response = client.post(path, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code in (200, 400, 422), (path, response.status_code)
        banner = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S)
        assert banner, f"{path}: no error banner"
        targets = re.findall(r'href="#([^"]+)"', banner.group(0))
        assert targets, f"{path}: the banner links no field"
        for target in targets:
            assert page.count(f'id="{target}"') == 1, f"{path}: #{target} is not a field of the page"


def test_a_session_error_names_its_row_and_lands_on_the_field_that_is_wrong(client, auth, world):
    auth.login("staff@mic.test")
    path, data = cases(world)[0]
    data = {**data, "title_fr": "Atelier", "city": "Mons"}  # only the session's end is wrong
    page = client.post(path, data=data).get_data(as_text=True)
    banner = re.search(r'<div class="alert alert-danger error-summary".*?</div>', page, re.S).group(0)
    assert '<a href="#sessions-0-ends_at" class="alert-link">Session 1 – Fin</a>' in banner, banner
    assert 'href="#sessions-0-starts_at"' not in page
