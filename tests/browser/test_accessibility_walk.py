"""Every page of the app, found in `app.url_map` (not a hand-picked list), checked with axe-core
(WCAG 2.1 A and AA) in real Chromium, on the demo data: signed out, signed in as centre staff
and as a partner's manager; at 1280 px and at 390 px (a phone); in French, Dutch and English.

Each page of each role is loaded once and checked at both widths, in one language, turning
through the three (route n in LANGUAGES[(n + role) % 3]: every route is seen in each language,
by one role or another), and in every other language whose page differs from that one by more
than its words. Why this loses nothing that the whole matrix (every route × 3 languages × 2
widths × 3 roles, loaded one by one, which took nine minutes) would find:
- Widths: a page narrowed from 1280 to 390 px is the same HTML; only the CSS differs (the menu
  folds into a button, columns hide, wide tables scroll: page.js names the scrolling boxes on
  `resize`), which axe sees once the page is laid out again at the new width.
- Languages: the three answers of a route come from one template and the same data, and
  differ by their words only (every string is translated, none empty:
  tests/core/test_translations.py; `<html lang>` is checked on every page loaded). What axe
  finds that a language could change lives in the markup: the three are compared without
  their words (`skeleton`: elements, `lang`, ids, classes, roles, states), and each language
  whose markup differs is checked too: an event described in French only, read in Dutch,
  carries a note and `lang="fr"` on its passage. The menu's own language switch differs in
  each language and is checked in each, on a third of the pages of every role. What is given
  up: words long enough in one language to spill onto another background (color-contrast)
  are seen in the languages checked only (`make test PYTEST_ARGS=--axe-everywhere` walks the
  whole matrix, as before a release).

Roles: a page whose body (the skeleton again, the menu left out) one role has checked in a
language is not checked again by the next role in that language. The roles' answers to a
public page differ by the menu only, unless the page shows a role more (an edit button, a
staff note), which changes the skeleton and is checked; each role's menu is checked on the
pages that only it sees. The three roles' walks share what they checked within one process
(`CHECKED`); each walk alone checks everything it reaches.

A route is walked unless it is listed in NOT_PAGES with the reason (files, JSON, redirects).
A new GET route that is in neither fails the test, so the walk keeps up with the app. Pages
reached twice (a staff page redirecting a visitor to the sign-in page) are checked once per
language; an error page (403, 404) once per role, status and language.
"""

import contextlib
import sqlite3
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from werkzeug.routing import Rule
from werkzeug.serving import make_server

from boostcamp.demo import data as demo
from boostcamp.core.extensions import db
from tests.browser.conftest import put_axe
from tests.conftest import make_app

pytestmark = pytest.mark.browser

LANGUAGES = ("fr", "nl", "en")
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ROLES = {
    "visitor": None,
    "centre staff": ("staff@mic-mons.example", "demo-staff"),
    "partner manager": ("manager@mind-and-market.example", "demo-partner"),
}
# GET routes that are not pages a person reads, and why.
NOT_PAGES = {
    "static": "files (CSS, scripts, images)",
    "core.favicon": "an icon file",
    "core.health": "JSON for the load balancer",
    "core.set_language": "sets the language and redirects to the page asked for",
    "api-docs.openapi_json": "JSON: the OpenAPI document",
    "api.list_events": "JSON (partner API)",
    "api.get_event": "JSON (partner API)",
    "api.checkin_list": "JSON (partner API)",
    "api.list_questions": "JSON (partner API)",
    "api.list_registrations": "JSON (partner API)",
    "api.get_impact": "JSON (partner API)",
    "api.get_organisation": "JSON (partner API)",
    "ical.calendar_feed": "an iCalendar file",
    "ical.personal_feed": "an iCalendar file",
    "ical.download_event": "an iCalendar file",
    "ical.organisation_feed": "an iCalendar file",
    "ical.staff_feed": "an iCalendar file",
    "logos.show_logo": "a PNG image",
    "registrations.ticket_qr": "an SVG image (the ticket's QR code)",
    "surveys.attendance_certificate": "a PDF",
    "admission.export_csv": "a CSV file",
    "admission.export_xlsx": "an XLSX file",
    "api.list_programmes": "JSON (partner API)",
    "api.get_programme": "JSON (partner API)",
    "programmes.programme_calendar": "an iCalendar file",
    "programmes.certificate": "a PDF",
    "staff_privacy.processing_activities": "a CSV file",
    "privacy.download_csv": "a CSV file",
    "privacy.download_json": "a JSON file",
    "staff_checkin.export_csv": "a CSV file",
    "staff_checkin.export_xlsx": "an XLSX file",
    "staff_checkin.attendance_sheet": "a PDF",
    "staff_registrations.export_csv": "a CSV file",
    "staff_registrations.export_xlsx": "an XLSX file",
    "staff_impact.export_csv": "a CSV file",
    "staff_impact.export_xlsx": "an XLSX file",
    "staff_impact.print_report": "a PDF",
    "outcomes_records.export_table": "CSV and XLSX files",
    "outcomes_records.download_certificate": "a PDF",
    "staff_people.export_person": "a JSON file",
    "checkin_screen.service_worker": "a script (the check-in screen's service worker)",
    "checkin_screen.counters": "JSON for the check-in screen",
    "checkin_screen.checkin_list": "JSON for the check-in screen",
    "checkin_screen.search": "JSON for the check-in screen",
}
# Pages that no rule's parameters reach but that show what this issue is about: an event
# described in French only (the fallback note) and a cancelled one (its badge).
EXTRA_PATHS = ["/events/atelier-pitch-mons", "/events/formation-power-bi-mons"]


@dataclass
class Demo:
    """Values for the rules' parameters, taken from the demo's records."""

    values: dict[str, object]

    def path(self, app, rule: Rule) -> str:
        args = {}
        for name in rule.arguments:
            key = f"{rule.endpoint}:{name}"
            args[name] = self.values.get(key, self.values.get(name, "x"))
        with app.test_request_context():
            return app.url_for(rule.endpoint, **args).replace("http://boostcamp.test", "")


def demo_values() -> dict[str, object]:
    from boostcamp.auth.models import User
    from boostcamp.events.models import Event
    from boostcamp.mail.models import OutboxMessage
    from boostcamp.outcomes.certificates import services as certificates
    from boostcamp.registrations import tokens
    from boostcamp.registrations.models import EventQuestion, Person, Registration

    def first(query):
        return db.session.scalar(query.limit(1))

    event = db.session.scalar(
        sa.select(Event).where(Event.slug == "boostcamp-louvain-la-neuve-mind-and-market")
    )
    registration = first(
        sa.select(Registration).where(Registration.event_id == event.id)
        .order_by(Registration.id)
    )  # fmt: skip
    attended = first(
        sa.select(Registration).join(Event).where(Event.ends_at < sa.func.current_timestamp())
        .order_by(Event.starts_at.desc(), Registration.id)
    )  # fmt: skip
    question = first(sa.select(EventQuestion.id).where(EventQuestion.event_id == event.id))
    values: dict[str, object] = {
        "slug": event.slug,
        "organisations.show_organisation:slug": "mind-and-market",
        "organisations.past_events:slug": "mind-and-market",
        "staff_orgs.edit_organisation:slug": "mind-and-market",
        "staff_orgs.members:slug": "mind-and-market",
        "token": tokens.make_token(registration.id),
        "registration_id": registration.id,
        "question_id": question or 999999,
        "code": certificates.verification_code(attended),
        "person_id": first(sa.select(Person.id).order_by(Person.id)),
        "message_id": first(sa.select(OutboxMessage.id).order_by(OutboxMessage.id)) or 999999,
        "key": "x",
    }
    from boostcamp.programmes.models import Programme

    programme = first(sa.select(Programme.slug).order_by(Programme.id))
    for endpoint in ("programmes.show_programme", "programmes.register", "programmes.signed_up",
                     "programmes.manage", "staff_programmes.show_programme",
                     "staff_programmes.edit_programme",
                     "staff_programmes.new_programme_editions"):  # fmt: skip
        values[f"{endpoint}:slug"] = programme
    for endpoint in ("checkin_screen.show_screen", "staff_checkin.not_arrived",
                     "staff_checkin.attendance"):  # fmt: skip
        values[f"{endpoint}:slug"] = demo.DOOR_SLUG
    try:
        from boostcamp.outcomes.impact.models import ImpactTarget
        from boostcamp.outcomes.records.models import Certification, Startup

        values["startup_id"] = first(sa.select(Startup.id).order_by(Startup.id))
        values["certification_id"] = first(sa.select(Certification.id).order_by(Certification.id))
        values["target_id"] = first(sa.select(ImpactTarget.id).order_by(ImpactTarget.id))
    except ImportError:  # pragma: no cover - the outcomes' models moved
        pass
    assert User  # the accounts are the demo's (ROLES)
    return {k: v for k, v in values.items() if v is not None}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory, database_url):
    """The demo, seeded once into a database of its own, served on loopback. The database is
    a copy of the browser tests' (migrated once per process, empty between tests, copied
    with what its write-ahead log holds): not migrated a second time."""
    path = tmp_path_factory.mktemp("walk") / "walk.sqlite3"
    with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as source:
        with contextlib.closing(sqlite3.connect(path)) as copy:
            source.backup(copy)
    url = f"sqlite:///{path}"
    # Static files kept by the browser: not asked again on every one of the pages.
    app = make_app(url, SERVER_NAME=None, WTF_CSRF_ENABLED=True, SEND_FILE_MAX_AGE_DEFAULT=3600)
    with app.app_context():
        demo.seed()
        db.session.commit()
        values = Demo(demo_values())
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, values, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def get_rules(app) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods),
        key=lambda r: (r.rule, r.endpoint),
    )


def test_every_get_route_is_walked_or_listed_with_its_reason(demo_site):
    app, _values, _base = demo_site
    endpoints = {r.endpoint for r in get_rules(app)}
    assert not set(NOT_PAGES) - endpoints, "listed routes that no longer exist"


def sign_in(page, who: tuple[str, str]) -> None:
    page.goto("/auth/login")
    page.locator("input[name=email]").fill(who[0])
    page.locator("input[name=password]").fill(who[1])
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


RUN_AXE = """async () => {
    const r = await axe.run(document, {resultTypes: ["violations"], runOnly: {type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
    return r.violations.map(v => ({id: v.id, impact: v.impact,
        nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 3)}));
}"""
# After a resize, the page's `resize` handlers have run and it is laid out again. A frame that
# never comes (one whole run hung here for 30 minutes, the page idle) gives way after 200 ms:
# axe-core reads the layout itself, which lays the page out anyway.
NEXT_FRAME = """() => new Promise(r => {
    requestAnimationFrame(() => requestAnimationFrame(r));
    setTimeout(r, 200);
})"""
# Attributes whose value is markup, not words: kept in the skeleton with their values.
STRUCTURE = {"lang", "id", "class", "role", "for", "type", "name", "hidden", "tabindex", "dir",
             "aria-hidden", "aria-labelledby", "aria-describedby", "aria-controls",
             "aria-current", "aria-live", "aria-expanded", "aria-invalid", "aria-required"}


class Skeleton(HTMLParser):
    """A page's body without its words and without the menu's language switch (<header>):
    its elements in order, each with its attributes' names and the values of STRUCTURE."""

    def __init__(self, html: str):
        super().__init__()
        self.parts: list[tuple] = []
        self.body = self.header = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "body":
            self.body = 1
        elif tag == "header":
            self.header += 1
        if self.body and not self.header:
            self.parts.append((tag, tuple(sorted(
                (k, v if k in STRUCTURE else None) for k, v in attrs))))  # fmt: skip

    def handle_endtag(self, tag):
        if tag == "header" and self.header:
            self.header -= 1


def skeleton(html: str) -> tuple:
    return tuple(Skeleton(html).parts)


# (language, skeleton) → the role whose walk checked that body, in this process.
CHECKED: dict[tuple[str, tuple], str] = {}


# Slow by design: axe-core checks every page the role reaches, at two widths, in a real
# Chromium (about 0.2 s of CPU per check; 25-80 s per role).
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_has_no_axe_violation(browser, demo_site, role, request):
    app, values, base = demo_site
    everywhere = request.config.getoption("axe_everywhere")
    rules = [r for r in get_rules(app) if r.endpoint not in NOT_PAGES]
    paths = [values.path(app, r) for r in rules] + EXTRA_PATHS
    turn = list(ROLES).index(role)
    # A tab per language, signed in as the role and switched as people do it.
    pages = {}
    for language in LANGUAGES:
        context = browser.new_context(base_url=base, viewport=WIDTHS["desktop"],
                                      bypass_csp=True, locale="fr-BE")  # fmt: skip
        pages[language] = page = context.new_page()
        if ROLES[role]:
            sign_in(page, ROLES[role])
        page.goto(f"/lang/{language}?next=/accessibility")
    # The answers compared are asked in this process, with each tab's cookies (its account,
    # its language): the same answers as the browser's, without the trip through Playwright's
    # driver and HTTP for each of the ~270 of a role.
    clients = {}
    for language, page in pages.items():
        clients[language] = client = app.test_client()
        for cookie in page.context.cookies():
            client.set_cookie(cookie["name"], cookie["value"], domain="localhost",
                              path=cookie["path"])  # fmt: skip
    found: dict[str, list] = {}
    seen: set = set()
    checked = 0
    for n, path in enumerate(paths):
        first = LANGUAGES[(n + turn) % len(LANGUAGES)]
        # Asked first without the browser (same cookies): the skeletons say which languages
        # differ, and a page already checked (the sign-in page that a staff page sends a
        # visitor to) is not loaded again.
        shapes = {}
        for language in [first] + [x for x in LANGUAGES if x != first]:
            answer = clients[language].get(path, follow_redirects=True)
            status = answer.status_code
            kind = answer.headers.get("content-type", "")
            assert status < 500, f"{path}: {status}"
            assert "text/html" in kind, f"{path} is not a page ({kind}): list it in NOT_PAGES"
            final = answer.request.full_path.removesuffix("?")
            shape = skeleton(answer.get_data(as_text=True))
            if shape in shapes.values() and not everywhere:
                continue  # the same markup as a language checked: only its words differ
            shapes[language] = shape
            if (language, shape) in CHECKED and not everywhere:
                continue  # this body, checked as another role: only the menu differs
            # The page, not its query: the sign-in page is one page whatever its ?next=.
            key = (language, status if status >= 400 else urlsplit(final).path)
            if key in seen:
                continue
            seen.add(key)
            CHECKED[(language, shape)] = role
            page = pages[language]
            page.goto(path)
            assert page.evaluate("document.documentElement.lang") == language, final
            put_axe(page)
            # Both widths, the tab's present one first (no resizing back and forth).
            widths = sorted(WIDTHS, key=lambda w: WIDTHS[w] != page.viewport_size)
            for width in widths:
                if page.viewport_size != WIDTHS[width]:
                    page.set_viewport_size(WIDTHS[width])
                    page.evaluate(NEXT_FRAME)
                checked += 1
                violations = page.evaluate(RUN_AXE)
                if violations:
                    found[f"{width} {language} {path} → {final} ({status})"] = violations
    for page in pages.values():
        page.context.close()
    assert checked > 0
    assert found == {}, f"{len(found)} of {checked} pages fail axe (as {role}): " + "\n".join(
        f"{where}: {v}" for where, v in found.items()
    )
