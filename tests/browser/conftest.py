"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, against a live
server on loopback. Browser tests run on SQLite only: the database is not what they test."""

import os
import re
import shutil
import threading
from pathlib import Path

import playwright
import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from tests.conftest import clear_tables, make_app, migrate_to_head, service_missing

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# axe-core put into a page as the body of an evaluated function: about 100 ms of CPU less per
# check than Playwright's add_script_tag (a <script> of 650 kB sent, then compiled again), and
# about 35 ms less per navigation than an init script (compiled into every page loaded,
# checked or not). Measured on the demo's pages, 30 navigations each.
AXE_SOURCE = "() => {\n" + AXE.read_text() + "\n}"
# Chromium's headless mode builds a window with a toolbar for every page, and preloads the
# toolbar's two omnibox popups as WebUI pages (chrome://omnibox-popup.top-chrome/) in a
# renderer of their own: a tenth of the browser tests' CPU (327 to 295 core-seconds), for a
# toolbar nobody sees.
NO_TOOLBAR_POPUPS = ("WebUIOmniboxPopup", "WebUIOmniboxAimPopup")
# Chromium starts a spare renderer for the next page ahead of time; each test's new context is
# a profile of its own, which cannot use the previous one's spare, so it was started for
# nothing: 25–35 ms of CPU per page (30 pages, each in a new context, alternately).
NO_SPARE_RENDERER = ("SpareRendererForSitePerProcess",)
PLAYWRIGHT_SWITCHES = (Path(playwright.__file__).parent / "driver" / "package" / "lib"
                       / "coreBundle.js")  # fmt: skip


def playwright_disabled_features() -> list[str]:
    """The features that Playwright's own `--disable-features` turns off (chromiumSwitches in
    its driver). Chromium keeps the last of two such switches only, so ours must repeat them.
    Empty if the driver no longer reads this way (tests/browser/test_chromium.py says so)."""
    try:
        source = PLAYWRIGHT_SWITCHES.read_text()
    except OSError:
        return []
    found = re.search(r"\bdisabledFeatures = \[(.*?)\]", source, re.S)
    if not found:
        return []
    return re.findall(r'^\s*"(\w+)"', found.group(1), re.M)


def chromium_args() -> list[str]:
    playwrights = playwright_disabled_features()
    if not playwrights:
        return CHROMIUM_ARGS  # slower, but none of Playwright's own settings lost
    return [*CHROMIUM_ARGS, "--disable-features=" + ",".join([*playwrights, *NO_TOOLBAR_POPUPS,
                                                             *NO_SPARE_RENDERER])]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite3'}"
    migrate_to_head(make_app(url))
    return url


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        service_missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
        new_context = browser.new_context

        def reduced_motion_context(**options):
            # Bootstrap scrolls smoothly and slides its menus unless motion is reduced: a
            # button still gliding into view is "not stable" to Playwright, whose clicks
            # waited up to 1.4 s each. Motion is not what these tests look at.
            return new_context(**{"reduced_motion": "reduce", **options})

        browser.new_context = reduced_motion_context
        yield browser
        browser.close()


class LiveServer(str):
    """The base URL of the app served by a real HTTP server in a thread. A test may `stop` it
    and `start` it again on the same port: the network gone at the door, for the page and
    for its service worker alike (Playwright's offline mode does not reach a service
    worker's own requests, microsoft/playwright#2311)."""

    def __new__(cls, app):
        server = make_server("127.0.0.1", 0, app, threaded=True)
        self = super().__new__(cls, f"http://127.0.0.1:{server.server_port}")
        self.app, self.port = app, server.server_port
        self._serve(server)
        return self

    def _serve(self, server) -> None:
        self.server = server
        # Stopped within 50 ms, not the half second of serve_forever's default poll (75 tests).
        self.thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if not self.thread.is_alive():
            return  # stopped by the test, which failed before starting it again
        self.server.shutdown()
        self.server.server_close()  # connections refused from now on
        self.thread.join(5)

    def start(self) -> None:
        self._serve(make_server("127.0.0.1", self.port, self.app, threaded=True))


@pytest.fixture
def live_server(app):
    """The app served by a real HTTP server in a thread (LiveServer); yields its base URL."""
    app.config.update(SERVER_NAME=None)
    server = LiveServer(app)
    yield server
    server.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="fr-BE")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    yield page
    context.close()
    assert errors == [], f"the page logged errors: {errors}"


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized, touch screen."""
    context = browser.new_context(
        base_url=live_server, locale="fr-BE", viewport={"width": 390, "height": 844},
        is_mobile=True, has_touch=True, device_scale_factor=2,
    )
    page = context.new_page()
    yield page
    context.close()


def open_menu(page) -> None:
    """The folded menu of a narrow screen, opened, and its links clicked only once it stands
    still: Bootstrap slides it open, and a click while it moves lands beside its target
    (the sign-out button missed, and a sign-out that never comes)."""
    page.locator(".navbar-toggler").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def put_axe(page) -> None:
    """axe-core in the current page, once: not again at a second check of the same page."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)


def axe_violations(page) -> list[dict]:
    """WCAG 2.1 A/AA violations that axe-core finds on the current page; it reports the
    violations only, not the passes it would list otherwise."""
    put_axe(page)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"], runOnly: {
                type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
        }"""
    )
    return result


@pytest.fixture
def a11y_page(browser, live_server):
    """A page whose context ignores our CSP, so that axe-core can be injected."""
    context = browser.new_context(base_url=live_server, locale="fr-BE", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


__all__ = ["axe_violations", "clear_tables", "open_menu"]
