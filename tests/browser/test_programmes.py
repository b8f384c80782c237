"""Programmes in real Chromium: one sign-up on the public form, the person's page, the staff
grid and forms, each page checked with axe-core (WCAG 2.1 A/AA)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from boostcamp.auth.models import StaffRole
from boostcamp.core.db import utcnow
from tests.browser.conftest import axe_violations
from tests.browser.test_staff import sign_in
from tests.factories import make_centre, make_event, make_org, make_programme, make_user

pytestmark = pytest.mark.browser


def path_of_three():
    start = (utcnow() + timedelta(days=20)).replace(hour=8, minute=0, second=0, microsecond=0)
    centre, partner = make_centre("MIC Mons"), make_org("Mind & Market")
    events = [make_event(host=centre, co_organisers=[partner], title=title, capacity=10,
                         starts_at=start + timedelta(days=7 * i))
              for i, title in enumerate(["Boostcamp Mons", "Atelier pitch", "Examen AZ-900"])]  # fmt: skip
    return make_programme(events, title="Parcours Mons", co_organisers=[partner],
                          summary="De l'idée à la certification"), events  # fmt: skip


def test_a_newcomer_signs_up_once_and_sees_every_event_on_their_page(page, app):
    programme, events = path_of_three()
    page.goto(f"/programmes/{programme.slug}")
    expect(page.locator(".programme-events li")).to_have_count(3)
    page.get_by_role("link", name="S’inscrire au programme").click()
    page.get_by_label("Prénom").fill("Nadia")
    page.get_by_label("Nom", exact=True).fill("Benali")
    page.get_by_label("E-mail").fill("nadia@example.be")
    page.get_by_text("Demandeur d’emploi").click()
    page.locator("#consent").check()
    page.get_by_role("button", name="S’inscrire au programme").click()
    expect(page.get_by_role("status")).to_contain_text("chaque événement du programme")
    page.get_by_role("link", name="Mon programme").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for event in events:
        expect(page.get_by_role("link", name=event.title)).to_be_visible()


# Slow by design: axe-core checks ten pages in a real Chromium (about 0.2 s of CPU each).
def test_programme_pages_have_no_accessibility_violations(a11y_page, app):
    from boostcamp.core.extensions import db
    from boostcamp.programmes import enrolment
    from boostcamp.registrations.signup import SignUp

    programme, events = path_of_three()
    make_user("staff@mic.test", role=StaffRole.STAFF)
    enrolment.sign_up(programme, SignUp(email="lea@example.be", first_name="Léa",
                                       last_name="Martin", consent=True))  # the grid has a row
    db.session.commit()
    for path in ("/programmes", f"/programmes/{programme.slug}",
                 f"/programmes/{programme.slug}/register"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path
    a11y_page.get_by_role("button", name="S’inscrire au programme").click()  # errors shown
    assert axe_violations(a11y_page) == []
    sign_in(a11y_page, "staff@mic.test")
    for path in ("/staff/programmes", "/staff/programmes/new", f"/staff/programmes/{programme.slug}",
                 f"/staff/programmes/{programme.slug}/edit",
                 f"/staff/events/{events[0].slug}/editions"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path
    a11y_page.goto(f"/staff/events/{events[0].slug}/editions")
    a11y_page.get_by_label("Nombre d’éditions").fill("500")
    a11y_page.get_by_role("button", name="Créer les éditions").click()
    expect(a11y_page.locator("#count-error")).to_be_visible()
    assert axe_violations(a11y_page) == []


# Slow by design: axe-core checks nine pages in a real Chromium (about 0.2 s of CPU each).
def test_second_round_pages_have_no_accessibility_violations(a11y_page, app):
    """The pages this round changed: the programme in Dutch with its fallback note, the event
    kept for the programme (its page, its closed form), the form with the events' questions,
    the staff's form per language, the grid with exam results, editions of a programme."""
    from boostcamp.core.extensions import db
    from boostcamp.programmes import editing, enrolment
    from boostcamp.registrations.signup import SignUp
    from tests.factories import make_question

    programme, events = path_of_three()
    editing.update_programme(programme, kept_events=[events[1]], requires_exam=True,
                              translations={"nl": {"title": "Traject Bergen"}})  # fmt: skip
    make_question(events[1], "Votre idée en une phrase ?", required=True)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    enrolment.sign_up(programme, SignUp(email="lea@example.be", first_name="Léa", last_name="Martin",
                                       consent=True, answers={}), answers_required=False)
    db.session.commit()
    slug = programme.slug
    a11y_page.goto(f"/events/{events[1].slug}")
    expect(a11y_page.locator(".part-of-programme")).to_contain_text("Parcours Mons")
    assert axe_violations(a11y_page) == []
    a11y_page.goto(f"/events/{events[1].slug}/register")
    expect(a11y_page.get_by_role("main")).to_contain_text("inscrivez-vous au programme")
    assert axe_violations(a11y_page) == []
    a11y_page.goto(f"/programmes/{slug}/register")
    a11y_page.get_by_role("button", name="S’inscrire au programme").click()  # errors shown
    expect(a11y_page.get_by_text("Votre idée en une phrase ?")).to_be_visible()
    assert axe_violations(a11y_page) == []
    for language, title in (("nl", "Traject Bergen"), ("en", "Parcours Mons")):
        a11y_page.goto(f"/lang/{language}?next=/programmes/{slug}")
        expect(a11y_page.get_by_role("heading", level=1)).to_contain_text(title)
        assert axe_violations(a11y_page) == [], language
    expect(a11y_page.locator(".untranslated-note")).to_be_visible()  # English: none written
    a11y_page.goto("/lang/fr?next=/programmes")
    sign_in(a11y_page, "staff@mic.test")
    for path in (f"/staff/programmes/{slug}", f"/staff/programmes/{slug}/edit",
                 f"/staff/programmes/{slug}/editions"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path
    a11y_page.goto(f"/staff/programmes/{slug}")
    a11y_page.get_by_role("button", name="Réussi — Léa Martin").click()
    expect(a11y_page.locator(".exam-result").first).to_contain_text("Réussi")
    a11y_page.goto(f"/staff/programmes/{slug}/editions")
    a11y_page.get_by_label("Nombre d’éditions").fill("0")
    a11y_page.get_by_role("button", name="Créer les éditions").click()
    expect(a11y_page.locator("#count-error")).to_be_visible()
    assert axe_violations(a11y_page) == []
