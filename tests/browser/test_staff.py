"""The partner-to-centre workflow in real Chromium: a partner proposes, the centre publishes."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from boostcamp.auth.models import MemberRole, StaffRole
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, at, make_centre, make_event, make_org, make_user

pytestmark = pytest.mark.browser


def sign_in(page, email):
    page.goto("/auth/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/staff/")


def test_partner_proposes_an_event_and_the_centre_publishes_it(page, app):
    make_centre("MIC Mons")
    partner = make_org("Mind & Market")
    make_org("Autre plateforme")
    make_user("manager@mind.test", org=partner, org_role=MemberRole.MANAGER)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    day = date.today() + timedelta(days=40)
    next_day = day + timedelta(days=1)

    sign_in(page, "manager@mind.test")
    page.get_by_role("link", name="Proposer un événement").click()
    page.wait_for_url("**/staff/events/new")
    assert page.get_by_label("Mind & Market").is_checked()
    assert page.get_by_label("Autre plateforme").count() == 0
    page.locator("#title_fr").fill("Boostcamp Louvain-la-Neuve")
    when_and_where = page.get_by_role("group", name="Quand et où")
    when_and_where.get_by_label("Ville").fill("Louvain-la-Neuve")
    when_and_where.get_by_label("Début").fill(f"{day}T09:00")
    when_and_where.get_by_label("Fin").fill(f"{next_day}T17:00")
    sessions = page.locator("[data-session-row]")
    assert sessions.count() == 2
    for n, (title, when) in enumerate([("Jour 1 — L’idée", day), ("Jour 2 — Le pitch", next_day)]):
        row = sessions.nth(n)
        row.get_by_label("Titre de la session (français").fill(title)
        row.get_by_label("Début").fill(f"{when}T09:00")
        row.get_by_label("Fin").fill(f"{when}T17:00")
    # JavaScript adds a third, empty row on request; left empty, it is ignored.
    page.get_by_role("button", name="Ajouter une session").click()
    expect(sessions).to_have_count(3)
    expect(sessions.nth(2)).to_have_accessible_name("Session 3")
    expect(sessions.nth(2).get_by_label("Titre de la session (français")).to_be_focused()
    expect(sessions.nth(2).get_by_label("Titre de la session (français")).to_have_value("")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_url("**/staff/events/boostcamp-louvain-la-neuve-*")
    expect(page.get_by_text("Votre proposition est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Jour 2 — Le pitch")).to_be_visible()
    expect(page.get_by_role("button", name="Publier")).to_have_count(0)
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page).to_have_url(re.compile(r"/$"))  # signed out, on the home page

    sign_in(page, "staff@mic.test")
    page.get_by_role("link", name="Les valider").click()
    page.get_by_role("link", name="Boostcamp Louvain-la-Neuve").click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("apparaît maintenant dans le catalogue public")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name="Boostcamp Louvain-la-Neuve")).to_be_visible()


# Slow by design: axe-core checks eleven pages in a real Chromium (about 0.2 s of CPU each).
def test_staff_pages_have_no_accessibility_violations(a11y_page, app):
    centre = make_centre("MIC Mons")
    partner = make_org("Mind & Market")
    make_user("manager@mind.test", org=partner, org_role=MemberRole.MANAGER)
    event = make_event(
        host=centre, co_organisers=[partner], title="Boostcamp Mons",
        starts_at=at(2030, 5, 6, 9), days=2, capacity=20, description="Un **programme** dense.",
        sessions=[("Jour 1", at(2030, 5, 6, 9), at(2030, 5, 6, 17)),
                  ("Jour 2", at(2030, 5, 7, 9), at(2030, 5, 7, 17))],
    )  # fmt: skip
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(a11y_page, "staff@mic.test")
    for path in ("/staff/", "/staff/events/new", f"/staff/events/{event.slug}",
                 f"/staff/events/{event.slug}/edit", f"/staff/events/{event.slug}/history",
                 f"/staff/events/{event.slug}/cancel", f"/staff/events/{event.slug}/duplicate",
                 "/staff/organisations/", f"/staff/organisations/{partner.slug}/edit",
                 f"/staff/organisations/{partner.slug}/members"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path
    # The form sent back with errors, too.
    a11y_page.goto("/staff/events/new")
    a11y_page.get_by_role("button", name="Enregistrer comme brouillon").click()
    expect(a11y_page.locator("#title_fr-error")).to_be_visible()
    assert axe_violations(a11y_page) == []
