"""A person on a phone, in real Chromium: from the confirmation mail's link to their data
page, corrects their phone, downloads the JSON, asks for erasure and follows the mailed
link to the end; axe-core finds no violation on the way."""

import json
import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.worker import Worker
from boostcamp.registrations.models import Person, RegistrationSource
from tests.browser.conftest import axe_violations
from tests.factories import make_event

pytestmark = pytest.mark.browser
PHONE_WIDTH = 390


@pytest.fixture
def phone_a11y(browser, live_server):
    """A phone whose context ignores our CSP, so that axe-core can be injected."""
    context = browser.new_context(
        base_url=live_server, locale="fr-BE", viewport={"width": PHONE_WIDTH, "height": 844},
        is_mobile=True, has_touch=True, bypass_csp=True, accept_downloads=True,
    )  # fmt: skip
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], f"the page logged errors: {errors}"


def mail_path(phone, app, kind: str, pattern: str) -> str:
    """Let the worker write the mails (it builds their links with SERVER_NAME), then the
    path of the link in the mail of this kind (the page's requests are over: the live
    server answers them without SERVER_NAME)."""
    phone.wait_for_load_state("networkidle")
    server_name = app.config["SERVER_NAME"]
    app.config["SERVER_NAME"] = "boostcamp.test"
    try:
        Worker().run_pass(until_empty=True)
    finally:
        app.config["SERVER_NAME"] = server_name
    db.session.rollback()
    body = db.session.scalar(sa.select(OutboxMessage.body_text)
                             .where(OutboxMessage.kind == kind))  # fmt: skip
    return re.search(r"https?://[^/\s]+(" + pattern + ")", body).group(1)


def looks_right(phone) -> None:
    assert axe_violations(phone) == [], phone.url
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{phone.url} is wider than the phone"


# Slow by design: the whole self-service journey on a phone in a real Chromium, with axe-core
# on each of its four pages.
def test_a_person_on_a_phone_sees_corrects_downloads_and_erases_their_data(phone_a11y, app):
    phone = phone_a11y
    event = make_event(title="Boostcamp Mons", capacity=20)
    phone.goto(f"/events/{event.slug}/register")
    phone.get_by_label("Prénom").fill("Amina")
    phone.get_by_label("Nom", exact=True).fill("El Idrissi")
    phone.get_by_label("E-mail").fill("amina@example.be")
    phone.get_by_label("Téléphone (facultatif)").fill("+32 470 11 22 33")
    phone.get_by_label("Étudiant").check()
    phone.get_by_label("J’ai lu la notice de confidentialité").check()
    phone.get_by_role("button", name="S’inscrire").click()
    phone.wait_for_url("**/register/done")

    # The confirmation mail's link, then "My data" on the registration page.
    phone.goto(mail_path(phone, app, "registration_confirmed", r"/r/[\w.-]+"))
    phone.get_by_role("link", name=re.compile("^Mes données")).click()
    phone.wait_for_url("**/data")
    expect(phone.get_by_role("heading", name="Mes données", exact=True)).to_be_visible()
    expect(phone.get_by_role("heading", name="Mes consentements")).to_be_visible()
    looks_right(phone)

    phone.get_by_label("Téléphone (facultatif)").fill("+32 65 00 00 00")
    phone.get_by_role("button", name="Enregistrer mes coordonnées").click()
    expect(phone.get_by_text("Vos coordonnées sont enregistrées.")).to_be_visible()
    expect(phone.get_by_label("Téléphone (facultatif)")).to_have_value("+32 65 00 00 00")
    looks_right(phone)

    with phone.expect_download() as download:
        phone.get_by_role("link", name="Télécharger mes données (JSON)").click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert data["person"]["phone"] == "+32 65 00 00 00"
    assert [r["event"] for r in data["registrations"]] == ["Boostcamp Mons"]
    assert [(c["kind"], c["channel"]) for c in data["consents"]] == [("registration", "form")]

    phone.get_by_role("button", name="Effacer mes données").click()
    expect(phone.get_by_text("suivez son lien pour confirmer l’effacement")).to_be_visible()
    db.session.rollback()
    assert db.session.scalar(sa.select(Person.anonymised_at)) is None  # not before the link

    phone.goto(mail_path(phone, app, "privacy_erasure", r"/privacy/erase/\S+"))
    expect(phone.get_by_role("heading", name="Effacer mes données")).to_be_visible()
    looks_right(phone)
    phone.get_by_role("button", name="Effacer mes données maintenant").click()
    expect(phone.get_by_role("heading", name="Vos données sont effacées")).to_be_visible()
    looks_right(phone)
    db.session.rollback()
    person = db.session.scalars(sa.select(Person)).one()
    assert person.anonymised_at is not None and person.email != "amina@example.be"
    assert person.phone is None


def test_staff_pages_for_people_and_privacy_records_pass_axe(a11y_page, app):
    from boostcamp.auth.models import StaffRole
    from boostcamp.core.db import utcnow
    from boostcamp.privacy import retention
    from boostcamp.privacy import services as privacy
    from boostcamp.registrations import signup
    from tests.factories import make_user

    page = a11y_page
    page.set_viewport_size({"width": 1280, "height": 800})
    make_user("staff@centre.be", role=StaffRole.STAFF)
    event = make_event(title="Boostcamp Mons")
    result = signup.register(event, signup.SignUp(
        email="amina@example.be", first_name="Amina", last_name="El Idrissi", consent=True,
        consent_followup=True, source=RegistrationSource.STAFF,
        asserted_by="Staff <staff@centre.be>", registered_by="Staff (MIC Mons)"))  # fmt: skip
    privacy.request_erasure(result.registration.person)
    db.session.commit()
    retention.purge(utcnow())
    person_id = result.registration.person_id

    page.goto("/auth/login")
    page.get_by_label("E-mail").fill("staff@centre.be")
    page.get_by_label("Mot de passe").fill("password123")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/staff/**")
    page.get_by_role("link", name="Personnes et registre de confidentialité").click()
    page.wait_for_url("**/staff/people/")
    assert axe_violations(page) == [], page.url
    page.get_by_role("link", name="Registre de confidentialité").click()
    page.wait_for_url("**/staff/privacy/")
    expect(page.get_by_role("link", name="Amina El Idrissi (#%d)" % person_id)).to_be_visible()
    assert axe_violations(page) == [], page.url
    page.goto(f"/staff/people/{person_id}")
    expect(page.get_by_text("attesté par Staff <staff@centre.be>").first).to_be_visible()
    assert axe_violations(page) == [], page.url
