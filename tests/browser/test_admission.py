"""Admission by application in real Chromium: applying on a phone, reviewing and deciding
on a laptop, every page checked by axe-core."""

import re

import pytest
from playwright.sync_api import expect

from boostcamp.admission import review_settings
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from tests.browser.conftest import axe_violations
from tests.browser.test_staff import sign_in
from tests.factories import make_centre, make_event, make_org, make_question, make_user, sign_up
from tests.registrations.helpers import statuses

pytestmark = pytest.mark.browser


def application_event():
    partner = make_org("Mind & Market")
    event = make_event(host=make_centre(), co_organisers=[partner], title="Boostcamp Sélection",
                       capacity=2, admission="application")  # fmt: skip
    question = make_question(event, "Votre projet ?", kind="long_text", required=True)
    make_question(event, "Vos chiffres ?", kind="long_text", for_reviewers=True, position=2)
    return event, partner, question


def test_applying_on_a_phone(phone, app):
    event, _, _ = application_event()
    phone.goto(f"/events/{event.slug}")
    phone.get_by_role("link", name="Poser ma candidature").click()
    phone.wait_for_url(f"**/events/{event.slug}/register")
    phone.get_by_label("Prénom").fill("Amina")
    phone.get_by_label("Nom", exact=True).fill("El Idrissi")
    phone.get_by_label("E-mail").fill("amina@example.be")
    phone.get_by_label("Étudiant").check()
    phone.get_by_label("Votre projet ?").fill("Une appli pour les circuits courts.")
    phone.get_by_label("Ville ou commune (facultatif)").fill("Liège")
    expect(phone.get_by_label("Vos chiffres ?")).to_have_accessible_description(
        "Seul le jury lit votre réponse.")
    phone.get_by_label("Vos chiffres ?").fill("Trois clients pilotes.")
    phone.get_by_label("J’ai lu la notice de confidentialité").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="Envoyer ma candidature").click()
    phone.wait_for_url("**/register/done")
    expect(phone.get_by_role("heading", name="Votre candidature est envoyée")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


# Slow by design: a review and a decision in a real Chromium, with axe-core on each of its six
# pages (about 0.2 s of CPU per check).
def test_reviewing_and_deciding_on_a_laptop_with_no_accessibility_violations(a11y_page, app):
    event, partner, question = application_event()
    [sign_up(event, f"p{i}@example.be", first_name=f"Personne{i}", last_name="Test",
             city=("Liège", "Namur", "Mons")[i],
             answers={question.id: f"Projet {i}"}).registration for i in range(3)]  # fmt: skip
    review_settings.ensure_criteria(event)
    db.session.commit()
    make_user("jury@mm.test", org=partner, org_role=MemberRole.REVIEWER)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    a11y_page.set_viewport_size({"width": 1366, "height": 800})
    page = a11y_page

    sign_in(page, "jury@mm.test")
    page.goto("/staff/applications")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Boostcamp Sélection").click()
    assert axe_violations(page) == []
    page.get_by_label("Ville", exact=True).fill("NAMUR")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="Personne1 Test")).to_be_visible()
    expect(page.get_by_role("link", name="Personne0 Test")).to_have_count(0)
    expect(page.get_by_role("link", name="Exporter en Excel (XLSX)")).to_have_attribute(
        "href", re.compile(r"applications\.xlsx\?.*city=NAMUR"))
    page.get_by_label("Ville", exact=True).fill("")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Personne1 Test").click()
    assert axe_violations(page) == []
    for legend in ("Projet", "Motivation", "Disponibilité"):
        page.get_by_role("group", name=legend).get_by_label("5").check()
    page.get_by_label("Note écrite").fill("Très convaincant")
    page.get_by_role("button", name="Enregistrer mes notes").click()
    expect(page.get_by_text("Vos notes sont enregistrées.")).to_be_visible()
    assert axe_violations(page) == []
    page.context.clear_cookies()
    sign_in(page, "staff@mic.test")
    page.goto(f"/staff/events/{event.slug}/applications")
    page.get_by_label("Combien").fill("1")
    page.get_by_role("button", name="Accepter les N mieux notées").click()
    expect(page.get_by_text("1 personne acceptée.")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Choisir Personne0 Test").check()
    page.get_by_label("Rejeter").check()
    page.get_by_role("button", name="Décider").click()
    expect(page.get_by_text("1 candidature décidée.")).to_be_visible()
    page.goto(f"/staff/events/{event.slug}/applications/settings")
    assert axe_violations(page) == []
    assert statuses(event) == {"confirmed": 1, "rejected": 1, "applied": 1}
