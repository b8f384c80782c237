"""Signing up in real Chromium: on a phone, with the keyboard alone, and checked by axe-core."""

import pytest

from boostcamp.registrations.questions import event_questions
from boostcamp.registrations.tokens import make_token
from tests.browser.conftest import axe_violations
from tests.factories import make_event, make_question, sign_up

pytestmark = pytest.mark.browser


def boostcamp():
    """An event with questions of its own, the first one required."""
    event = make_event(title="Boostcamp Mons", venue="Maison de l'entreprise", capacity=20)
    make_question(event, "Votre projet en une phrase ?", required=True,
                  help_text="Deux lignes suffisent.")  # fmt: skip
    make_question(event, "Sujets qui vous intéressent", kind="multiple_choice",
                  choices=["IA", "Cloud", "Data"])  # fmt: skip
    make_question(event, "Repas végétarien ?", kind="yes_no")
    return event


def test_signing_up_on_a_phone(phone, app):
    event = boostcamp()
    phone.goto(f"/events/{event.slug}")
    phone.get_by_role("link", name="S’inscrire").click()
    phone.wait_for_url(f"**/events/{event.slug}/register")
    phone.get_by_label("Prénom").fill("Amina")
    phone.get_by_label("Nom", exact=True).fill("El Idrissi")
    phone.get_by_label("E-mail").fill("amina@example.be")
    phone.get_by_label("Étudiant").check()
    phone.get_by_label("Votre projet en une phrase ?").fill("Une appli pour les circuits courts.")
    phone.get_by_label("Data").check()
    phone.get_by_label("J’ai lu la notice de confidentialité").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    phone.get_by_role("button", name="S’inscrire").click()
    phone.wait_for_url("**/register/done")
    assert phone.get_by_role("heading", name="Vous êtes inscrit !").is_visible()
    assert phone.get_by_text("Votre place pour Boostcamp Mons est confirmée.").is_visible()


def test_the_form_can_be_completed_with_the_keyboard_alone(page, app):
    event = boostcamp()
    page.goto(f"/events/{event.slug}/register")

    def tab_to(element_id: str) -> None:
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("first_name")
    page.keyboard.type("Amina")
    page.keyboard.press("Tab")
    page.keyboard.type("El Idrissi")
    page.keyboard.press("Tab")
    page.keyboard.type("amina@example.be")
    page.keyboard.press("Tab")  # into the profile radio group
    page.keyboard.press("Space")  # the first choice
    page.keyboard.press("ArrowDown")  # the next one
    tab_to(page.get_by_label("Votre projet en une phrase ?").get_attribute("id"))
    page.keyboard.type("Une appli.")
    tab_to("consent")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the follow-up consent, optional
    page.keyboard.press("Tab")  # the button: the hidden honeypot is skipped
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    page.wait_for_url("**/register/done")
    assert page.get_by_role("heading", name="Vous êtes inscrit !").is_visible()


def test_errors_take_the_focus_and_name_each_field(page, app):
    event = boostcamp()
    page.goto(f"/events/{event.slug}/register")
    page.get_by_role("button", name="S’inscrire").click()
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    email = page.get_by_label("E-mail")
    assert email.get_attribute("aria-invalid") == "true"
    assert page.locator("#email-error").inner_text() == "Indiquez votre adresse e-mail."


def test_the_form_and_its_errors_have_no_accessibility_violations(a11y_page, app):
    event = boostcamp()
    a11y_page.goto(f"/events/{event.slug}/register")
    assert axe_violations(a11y_page) == []
    a11y_page.get_by_role("button", name="S’inscrire").click()
    a11y_page.wait_for_selector("#error-summary")
    assert axe_violations(a11y_page) == []


def test_the_result_and_self_service_pages_have_no_accessibility_violations(a11y_page, app):
    event = boostcamp()
    a11y_page.goto(f"/events/{event.slug}/register")
    a11y_page.get_by_label("Prénom").fill("Amina")
    a11y_page.get_by_label("Nom", exact=True).fill("El Idrissi")
    a11y_page.get_by_label("E-mail").fill("amina@example.be")
    a11y_page.get_by_label("Autre").check()
    a11y_page.get_by_label("Votre projet en une phrase ?").fill("Une appli.")
    a11y_page.get_by_label("J’ai lu la notice de confidentialité").check()
    a11y_page.get_by_role("button", name="S’inscrire").click()
    a11y_page.wait_for_url("**/register/done")
    assert axe_violations(a11y_page) == []

    project = event_questions(event)[0]
    registration = sign_up(event, "other@example.be", answers={project.id: "Une appli."}).registration
    a11y_page.goto(f"/r/{make_token(registration.id)}")
    assert a11y_page.get_by_text(registration.ticket_code).is_visible()
    assert a11y_page.locator("img.ticket-qr").evaluate("img => img.naturalWidth") > 0
    assert axe_violations(a11y_page) == []
    a11y_page.get_by_role("link", name="Annuler mon inscription").click()
    a11y_page.wait_for_url("**/cancel")
    assert axe_violations(a11y_page) == []
    a11y_page.get_by_role("button", name="Oui, annuler mon inscription").click()
    a11y_page.wait_for_url(f"**/r/{make_token(registration.id)}")
    assert a11y_page.get_by_text("Cette inscription est annulée.").is_visible()
    assert axe_violations(a11y_page) == []


def test_the_calendar_block_of_the_self_service_page_is_accessible(a11y_page, app):
    event = boostcamp()
    project = event_questions(event)[0]
    registration = sign_up(event, answers={project.id: "Une appli."}).registration
    a11y_page.goto(f"/r/{make_token(registration.id)}")
    heading = a11y_page.get_by_role("heading", name="Toutes mes inscriptions dans mon agenda")
    assert heading.is_visible()
    a11y_page.get_by_role("button", name="Créer mon adresse de calendrier").click()
    a11y_page.wait_for_url("**#my-calendar")
    assert a11y_page.get_by_role("link", name="S’abonner dans Google Agenda").is_visible()
    assert a11y_page.get_by_role("button", name="Remplacer l’adresse").is_visible()
    assert axe_violations(a11y_page) == []
