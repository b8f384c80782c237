"""Outcomes' records in real Chromium: accessible pages, and an import sent with its
progress bar (static/js/import-upload.js) through to the confirmation."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from boostcamp.auth.models import StaffRole
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.outcomes.records.models import Startup
from boostcamp.outcomes.surveys.models import FollowupSurvey
from boostcamp.outcomes.surveys.services import make_token
from tests.browser.conftest import axe_violations
from tests.browser.test_staff import sign_in
from tests.factories import (
    make_certification,
    make_event,
    make_person,
    make_registration,
    make_startup,
    make_user,
)

pytestmark = pytest.mark.browser


# Slow by design: axe-core checks eight pages in a real Chromium (about 0.2 s of CPU each).
def test_records_pages_have_no_accessibility_violations(a11y_page, app):
    person = make_person("ana@example.be", first_name="Ana")
    startup = make_startup("Brasserie", enterprise_number="0123456749", founders=[person])
    make_certification(person)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(a11y_page, "staff@mic.test")
    for path in ("/staff/outcomes/startups", f"/staff/outcomes/startups/{startup.id}",
                 "/staff/outcomes/startups/new", f"/staff/outcomes/startups/{startup.id}/edit",
                 "/staff/outcomes/certifications", "/staff/outcomes/certifications/new",
                 "/staff/outcomes/import", "/staff/outcomes/surveys"):  # fmt: skip
        a11y_page.goto(path)
        assert axe_violations(a11y_page) == [], path


def test_an_import_goes_through_preview_and_confirmation(page, app, tmp_path):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    sign_in(page, "staff@mic.test")
    lines = ["name;enterprise_number;founded_on"] + [f"Start-up {n};;2012-01-{n % 28 + 1:02d}"
                                                     for n in range(300)]  # fmt: skip
    path = tmp_path / "startups.csv"
    path.write_bytes("\r\n".join(lines).encode("windows-1252"))
    page.goto("/staff/outcomes/import")
    page.get_by_label("Contenu du fichier").select_option("startups")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text("Les 300 lignes sont correctes")).to_be_visible()
    assert "/staff/outcomes/import/" in page.url
    page.get_by_role("button", name="Importer ces 300 lignes").click()
    expect(page.get_by_text("Importé : 300 nouvelles")).to_be_visible()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Startup)) == 300


def test_the_survey_on_a_phone(phone, app):
    event = make_event(starts_at=utcnow() - timedelta(days=200))
    registration = make_registration(event, make_person(first_name="Léa"), consent_followup=True)
    survey = FollowupSurvey(person_id=registration.person_id, event_id=event.id, months=6)
    db.session.add(survey)
    db.session.commit()
    phone.goto(f"/survey/{make_token(survey)}")
    phone.get_by_label("Oui").check()
    phone.get_by_label("Son nom").fill("Brasserie")
    phone.get_by_label("Fondée le").fill("2012-03-01")
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    expect(phone.get_by_role("heading", name="Merci !")).to_be_visible()
