"""The five journeys of issue 23 in real Chromium, in French and in English, every page looked
at 390 px (a phone) and 1280 px (a laptop) wide: nothing may scroll sideways, the main
navigation stays on one line at 1280 px, and axe-core finds no WCAG 2.1 A/AA violation —
signed-in pages included. One browser, one page per journey (resized, not reloaded)."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import targets as outcomes
from tests.browser.conftest import put_axe
from tests.factories import (
    PASSWORD,
    make_centre,
    make_check_in,
    make_event,
    make_org,
    make_person,
    make_registration,
    make_user,
)
from tests.outcomes.helpers import world

pytestmark = pytest.mark.browser
LOCALES = {"fr": "fr-BE", "en": "en-GB"}
SIZES = ({"width": 390, "height": 844}, {"width": 1280, "height": 800})
PERIOD = "from=2010-01-01&to=2010-12-31"

# The navigation is on one line when its entries share one top and none is taller than the
# shortest (an entry whose words wrap is taller).
MEASURE = """() => {
  const links = [...document.querySelectorAll("#nav > ul > .nav-item > .nav-link")]
    .filter(a => a.offsetParent !== null).map(a => a.getBoundingClientRect());
  const tops = new Set(links.map(r => Math.round(r.top / 8)));
  const shortest = Math.min(...links.map(r => r.height));
  const tallest = Math.max(...links.map(r => r.height));
  return {scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth,
          navLines: Math.max(tops.size, Math.round(tallest / shortest))};
}"""
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag",
      values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).slice(0, 3));
}"""


@pytest.fixture(params=sorted(LOCALES))
def journey(request, browser, live_server):
    """A page in one language, with touch, whose context lets axe-core in past our CSP."""
    context = browser.new_context(
        base_url=live_server, locale=LOCALES[request.param], viewport=SIZES[0], has_touch=True,
        bypass_csp=True,
    )  # fmt: skip
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.lang = request.param
    yield page
    context.close()
    assert errors == [], f"the page logged errors: {errors}"


def looks_right(page, what: str) -> None:
    """The page as it is now, at both widths: fits, one-line navigation, no axe violation."""
    problems = []
    for size in SIZES:
        page.set_viewport_size(size)
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)))")
        m = page.evaluate(MEASURE)
        if m["scroll"] > m["inner"]:
            problems.append(f"scrolls sideways: {m['scroll']} px in {m['inner']}")
        if size["width"] == 1280 and m["navLines"] > 1:
            problems.append(f"the main navigation takes {m['navLines']} lines")
        put_axe(page)
        problems += page.evaluate(AXE_RUN)
        if problems:
            page.screenshot(path=f"/tmp/journey-{what}-{page.lang}-{size['width']}.png",
                            full_page=True)  # fmt: skip
            raise AssertionError(f"{what} ({page.lang}, {size['width']} px): {problems}")
    page.set_viewport_size(SIZES[0])


def sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/**")


# Slow by design: a whole journey in a real Chromium, each page checked at both widths by
# axe-core (about 0.2 s of CPU per check).
def test_a_job_seeker_on_a_phone_finds_an_event_signs_up_and_gets_the_ticket(journey, app):
    page = journey
    centre = make_centre("Microsoft Innovation Center Mons")
    event = make_event(host=centre, co_organisers=[make_org("Mind & Market")], capacity=20,
                       title="Formation Microsoft 365 pour demandeurs d’emploi", days=3,
                       summary="Trois jours pour prendre en main Word, Excel et Teams.",
                       sessions=[])  # fmt: skip
    make_event(host=centre, title="Formation Power BI", status=EventStatus.CANCELLED)
    page.goto("/")
    looks_right(page, "catalogue")
    page.locator(f"main a[href='/events/{event.slug}']").first.click()
    page.wait_for_url(f"**/events/{event.slug}")
    looks_right(page, "event")
    page.locator(f"main a[href='/events/{event.slug}/register']").first.click()
    page.wait_for_url(f"**/events/{event.slug}/register")
    looks_right(page, "sign-up form")
    page.locator("#first_name").fill("Amina")
    page.locator("#last_name").fill("El Idrissi")
    page.locator("#email").fill("amina@example.be")
    page.locator("input[name=profile][value=job_seeker]").check()
    page.locator("#consent").check()
    page.locator("#signup-form button[type=submit]").click()
    page.wait_for_url("**/register/done")
    looks_right(page, "sign-up done")
    expect(page.locator("main img[src*='/qr']")).to_be_visible()  # the ticket's QR code
    page.locator("main a[href^='/r/']").first.click()
    page.wait_for_url("**/r/**")
    looks_right(page, "ticket")


# Slow by design: a whole journey in a real Chromium, each page checked at both widths by
# axe-core (about 0.2 s of CPU per check).
def test_a_partners_manager_sees_their_events_participants_and_exports(journey, app):
    page = journey
    partner = make_org("Mind & Market")
    make_user("manager@mind.test", org=partner, org_role=MemberRole.MANAGER)
    event = make_event(host=make_centre(), co_organisers=[partner], capacity=25,
                       title="Boostcamp Louvain-la-Neuve avec Mind & Market",
                       sessions=[])  # fmt: skip
    for first, last in (("Léa", "Martin"), ("Tom", "Peeters"), ("Inès", "Dubois-Van Der Elst")):
        make_registration(event, make_person(f"{first.lower()}@example.be", first, last),
                          organisation_name="Circuits courts en Wallonie")  # fmt: skip
    sign_in(page, "manager@mind.test")
    looks_right(page, "dashboard")
    page.locator(f"main a[href='/staff/events/{event.slug}']").first.click()
    page.wait_for_url(f"**/staff/events/{event.slug}")
    looks_right(page, "staff event")
    page.locator(f"main a[href='/staff/events/{event.slug}/registrations']").first.click()
    looks_right(page, "registrations")
    expect(page.locator("th[scope=row]", has_text="Dubois-Van Der Elst")).to_be_visible()
    if page.lang == "fr":  # elided before a vowel
        expect(page.get_by_role("link", name="Changer l’inscription d’Inès")).to_have_count(1)
    with page.expect_download() as download:
        page.locator(f"main a[href^='/staff/events/{event.slug}/registrations.csv']").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.goto(f"/staff/events/{event.slug}/attendance")
    looks_right(page, "attendance")


def test_door_staff_on_a_tablet_check_people_in_and_see_who_has_not_arrived(journey, app):
    page = journey
    partner = make_org("Mind & Market")
    make_user("checkin@mind.test", org=partner, org_role=MemberRole.CHECKIN)
    start = utcnow().replace(second=0, microsecond=0) - timedelta(hours=1)
    event = make_event(host=make_centre(), co_organisers=[partner], starts_at=start,
                       title="Boostcamp express Mind & Market",
                       sessions=[("Jour 1", start, start + timedelta(hours=8))])  # fmt: skip
    lea = make_registration(event, make_person("lea@example.be", "Léa", "Martin"))
    make_registration(event, make_person("tom@example.be", "Tom", "Peeters"))
    make_check_in(lea, event.sessions[0])
    sign_in(page, "checkin@mind.test")
    page.goto(f"/staff/events/{event.slug}/checkin")
    looks_right(page, "check-in screen")
    page.locator("#lookup").fill("Peeters")
    expect(page.get_by_text("Tom Peeters").first).to_be_visible()
    looks_right(page, "check-in search")
    page.locator("a[href*='/checkin/not-arrived']").click()
    page.wait_for_url("**/checkin/not-arrived**")
    expect(page.get_by_text("Peeters")).to_be_visible()
    expect(page.get_by_text("Martin")).to_have_count(0)
    looks_right(page, "not arrived")


# Slow by design: a whole journey in a real Chromium, each page checked at both widths by
# axe-core (about 0.2 s of CPU per check).
def test_the_centres_management_reads_impact_start_ups_and_the_print_report(journey, app):
    page = journey
    w = world()
    outcomes.create_target(label="Emplois 2008–2011", metric="jobs", value=16,
                           period_from=date(2008, 1, 1), period_to=date(2011, 12, 31))
    db.session.commit()
    make_user("admin@mic.test", role=StaffRole.ADMIN)
    sign_in(page, "admin@mic.test")
    page.goto(f"/staff/impact?{PERIOD}")
    looks_right(page, "impact")
    page.goto(f"/staff/impact/startups?{PERIOD}")
    looks_right(page, "credited start-ups")
    page.locator(f"main a[href='/staff/outcomes/startups/{w['startup_a'].id}']").first.click()
    page.wait_for_url(f"**/staff/outcomes/startups/{w['startup_a'].id}")
    credited = page.locator(f"#credited-events + p + ul a[href='/events/{w['of_a'].slug}']")
    expect(credited).to_be_visible()
    looks_right(page, "start-up")
    page.goto("/staff/outcomes/startups")
    looks_right(page, "start-ups")
    page.goto(f"/staff/impact/print?{PERIOD}")
    looks_right(page, "print report")


# Slow by design: a whole journey in a real Chromium, each page checked at both widths by
# axe-core (about 0.2 s of CPU per check).
def test_a_staff_member_creates_an_event_and_the_errors_lead_to_their_fields(journey, app):
    page = journey
    make_centre()
    make_org("Centre de compétences numériques de Liège")
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(page, "staff@mic.test")
    looks_right(page, "dashboard")
    page.locator("main a[href='/staff/events/new']").first.click()
    page.wait_for_url("**/staff/events/new")
    looks_right(page, "new event")
    day = date.today() + timedelta(days=40)
    page.locator("#title_fr").fill("Atelier financement")
    page.locator("#starts_at").fill(f"{day}T09:00")
    page.locator("#sessions-0-title").fill("Matin")
    page.locator("#sessions-0-starts_at").fill(f"{day}T09:00")
    page.locator("#sessions-0-ends_at").fill(f"{day + timedelta(days=1)}T12:00")  # after the end
    page.locator("main form button[type=submit]").first.click()  # no city, no end
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    # The form declares the city before the dates; the page shows it after them.
    links = summary.locator("a").evaluate_all("links => links.map(a => a.hash)")
    assert links == ["#ends_at", "#city"]
    looks_right(page, "new event with errors")
    summary.locator("a[href='#city']").click()
    expect(page.locator("#city")).to_be_focused()
    page.locator("#city").fill("Liège")
    page.locator("#ends_at").fill(f"{day}T17:00")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(summary).to_be_focused()  # the session ends after the event: its end is wrong
    expect(page.locator("#sessions-0-ends_at")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#sessions-0-starts_at")).not_to_have_attribute("aria-invalid", "true")
    summary.locator("a[href='#sessions-0-ends_at']").click()
    expect(page.locator("#sessions-0-ends_at")).to_be_focused()
    page.locator("#sessions-0-ends_at").fill(f"{day}T12:00")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/staff/events/atelier-financement-*")
    looks_right(page, "event created")
    page.goto("/staff/organisations/")
    looks_right(page, "organisations")
    page.goto("/auth/account")
    looks_right(page, "my account")


def test_a_banner_on_a_form_without_javascript_still_links_its_fields(browser, live_server, app):
    """The links are plain anchors: with JavaScript off they still reach the field."""
    context = browser.new_context(base_url=live_server, locale="fr-BE", java_script_enabled=False)
    page = context.new_page()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(page, "staff@mic.test")
    page.goto("/staff/organisations/new")
    page.locator("main form button[type=submit]").first.click()
    link = page.locator("#error-summary a").first
    target = link.get_attribute("href")
    assert page.locator(target).count() == 1
    context.close()

