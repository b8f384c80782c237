"""The staff's registration pages in real Chromium: accessible, on a desk and on a phone."""

import pytest
from playwright.sync_api import expect

from boostcamp.auth.models import StaffRole
from tests.browser.conftest import axe_violations
from tests.browser.test_staff import sign_in
from tests.factories import make_centre, make_event, make_question, make_user, sign_up

pytestmark = pytest.mark.browser


# Slow by design: axe-core checks eleven pages in a real Chromium (about 0.2 s of CPU each).
def test_registration_pages_have_no_accessibility_violations(a11y_page, app):
    event = make_event(host=make_centre(), title="Boostcamp Mons", capacity=1)
    question = make_question(event, "Votre secteur ?", kind="single_choice",
                             choices=["Santé", "Énergie"], required=True)  # fmt: skip
    lea = sign_up(event, "lea@example.be", first_name="Léa", last_name="Martin",
                  answers={question.id: "Santé"}).registration  # fmt: skip
    sign_up(event, "tom@example.be", first_name="Tom", last_name="Peeters",
            answers={question.id: "Énergie"})  # fmt: skip
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(a11y_page, "staff@mic.test")
    base = f"/staff/events/{event.slug}"
    for path in (f"{base}/registrations", f"{base}/registrations?status=waitlisted",
                 f"{base}/registrations/new", f"{base}/message", f"{base}/questions",
                 f"{base}/questions/new", f"{base}/questions/{question.id}/delete",
                 f"{base}/registrations/{lea.id}/cancel", f"{base}/registrations/{lea.id}/edit"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path

    # Giving Tom a seat from the waiting list, as a person would.
    a11y_page.goto(f"{base}/registrations")
    a11y_page.get_by_role("button", name="Donner une place à Tom Peeters").click()
    expect(a11y_page.get_by_text("Tom Peeters a une place")).to_be_visible()
    expect(a11y_page.get_by_text("plus de participants que sa capacité")).to_be_visible()
    assert axe_violations(a11y_page) == []

    # A note for the door, and a form sent back with an error.
    a11y_page.get_by_role("link", name="Changer l’inscription de Léa Martin").click()
    a11y_page.get_by_label("Prénom").fill("")
    a11y_page.get_by_role("button", name="Enregistrer").click()
    expect(a11y_page.locator("#first_name-error")).to_be_visible()
    assert axe_violations(a11y_page) == []
    a11y_page.get_by_label("Prénom").fill("Léa")
    a11y_page.get_by_label("Note pour l’entrée (affichée au contrôle des entrées)").fill("Oratrice")
    a11y_page.get_by_role("button", name="Enregistrer").click()
    expect(a11y_page.get_by_text("Inscription enregistrée : Léa Martin.")).to_be_visible()
