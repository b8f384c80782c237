"""The browser the tests drive: Chromium without its toolbar's popups or a spare renderer, and
with every setting Playwright gives it (tests/browser/conftest.py, chromium_args)."""

import re

import pytest

from tests.browser.conftest import NO_SPARE_RENDERER, NO_TOOLBAR_POPUPS

pytestmark = pytest.mark.browser


def test_the_toolbar_popups_are_not_loaded(browser):
    context = browser.new_context()
    context.new_page().goto("data:text/html,<title>x</title>")
    session = browser.new_browser_cdp_session()
    urls = [t["url"] for t in session.send("Target.getTargets")["targetInfos"]]
    session.detach()
    context.close()
    assert urls and not [u for u in urls if "omnibox-popup" in u], urls


def test_one_page_runs_in_one_renderer(browser):
    """No spare renderer started beside it, for a next page that a new context cannot use."""
    context = browser.new_context()
    context.new_page().goto("data:text/html,<title>x</title>")
    session = browser.new_browser_cdp_session()
    processes = session.send("SystemInfo.getProcessInfo")["processInfo"]
    session.detach()
    context.close()
    assert [p["type"] for p in processes].count("renderer") == 1, processes


def test_playwrights_own_disabled_features_are_kept(browser):
    """Chromium keeps the last `--disable-features` only: ours must hold Playwright's (the
    first on the command line, as Chromium received it) and the popups'."""
    context = browser.new_context()
    page = context.new_page()
    page.goto("chrome://version")
    command_line = page.locator("#command_line").inner_text()
    context.close()
    switches = [set(value.split(",")) for value in
                re.findall(r"--disable-features=(\S+)", command_line)]  # fmt: skip
    assert len(switches) == 2, (
        "Playwright's driver no longer reads as playwright_disabled_features() expects "
        f"(tests/browser/conftest.py): {command_line}"
    )
    playwrights, ours = switches
    assert playwrights <= ours
    assert set(NO_TOOLBAR_POPUPS) | set(NO_SPARE_RENDERER) <= ours
