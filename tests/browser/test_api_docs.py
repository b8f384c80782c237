import pytest

from tests.api.helpers import make_token
from tests.factories import make_centre, make_event

pytestmark = pytest.mark.browser


def test_api_docs_render_and_try_a_request(page, app):
    centre = make_centre()
    make_event(host=centre, title="Boostcamp Mons")
    secret = make_token(centre)
    page.goto("/api/v1/docs")
    operation = page.locator(".opblock-get", has_text="/api/v1/events").first
    operation.wait_for()
    assert page.get_by_role("heading", name="API partenaires").is_visible()
    # Authorise with the token, then send GET /api/v1/events from the page itself.
    page.get_by_role("button", name="Authorize").first.click()
    page.get_by_label("auth-bearer-value").fill(secret)
    page.get_by_role("button", name="Apply credentials").click()
    page.locator(".auth-btn-wrapper").get_by_role("button", name="Close").click()
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert status.inner_text().strip().startswith("200")
    assert "Boostcamp Mons" in page.locator(".live-responses-table").inner_text()
