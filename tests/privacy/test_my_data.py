"""The person's "My data" page: export across organisers, correction, consents, erasure."""

import json
from datetime import date, timedelta

import sqlalchemy as sa

from boostcamp.audit import services as audit
from boostcamp.checkin.models import CheckIn
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.services import links_in
from boostcamp.outcomes.records.models import StartupMember
from boostcamp.outcomes.surveys.models import FollowupSurvey
from boostcamp.registrations import consents
from boostcamp.privacy.models import ErasureRequest
from boostcamp.registrations import notifications
from boostcamp.registrations.models import Person, Registration
from boostcamp.registrations.tokens import make_token
from tests.factories import (
    make_certification,
    make_check_in,
    make_event,
    make_jobs_snapshot,
    make_org,
    make_person,
    make_registration,
    make_startup,
)

NAME, SURNAME, PHONE, EMAIL = "Zebulon", "Quetzalcoatl", "+32 477 98 76 54", "zeb@quetz.example"
ORG = "Xylophonia SRL"


def scan(values: list[str]) -> list[tuple[str, str]]:
    """(table, column) of every text column, in every table, holding one of `values`."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, (sa.String, sa.Text, sa.JSON)):
                continue
            text = sa.func.lower(sa.cast(column, sa.Text))
            hit = sa.or_(*(text.contains(v.lower()) for v in values))
            if db.session.scalar(sa.select(sa.func.count()).select_from(table).where(hit)):
                found.append((table.name, column.name))
    return found


def someone():
    person = make_person(EMAIL, first_name=NAME, last_name=SURNAME, phone=PHONE)
    first = make_registration(make_event(host=make_org("Platform A")), person,
                              organisation_name=ORG, note=f"{NAME} needs a ramp")
    second = make_registration(make_event(host=make_org("Platform B")), person)
    consents.backfill()  # the factories insert registrations without their consents
    db.session.commit()
    return person, first, second


def test_the_export_holds_every_registration_across_organisers(app, client):
    person, first, second = someone()
    token = make_token(first.id)
    page = client.get(f"/r/{token}/data")
    assert page.status_code == 200 and first.event.title in page.text
    assert second.event.title in page.text
    assert f"/r/{token}/data" in client.get(f"/r/{token}").text

    data = json.loads(client.get(f"/r/{token}/data.json").data)
    assert data["person"]["email"] == EMAIL
    assert {r["event"] for r in data["registrations"]} == {first.event.title, second.event.title}
    assert sorted(o for r in data["registrations"] for o in r["organisers"]) == [
        "Platform A", "Platform B"]
    assert [c["kind"] for c in data["registrations"][0]["consents"]] == ["registration"]
    assert [c["channel"] for c in data["consents"]] == ["form", "form"]
    csv = client.get(f"/r/{token}/data.csv").text
    assert csv.count("\nregistration,") == 2 and second.event.title in csv
    assert csv.count("\nconsent,") == 2


def test_a_correction_is_all_or_nothing_with_field_errors(app, client):
    person, first, second = someone()
    token = make_token(second.id)
    bad = client.post(f"/r/{token}/data", data={
        "first_name": "Zeb", "last_name": "", "phone": "call me", "organisation": "New",
        "profile": "student"})
    assert bad.status_code == 400
    assert bad.text.count('aria-invalid="true"') == 2  # last name and phone
    assert 'id="last_name-error"' in bad.text and 'id="phone-error"' in bad.text
    db.session.rollback()
    assert (person.first_name, person.phone) == (NAME, PHONE)
    assert db.session.get(Registration, first.id).organisation_name == ORG

    good = client.post(f"/r/{token}/data", data={
        "first_name": "Zeb", "last_name": "Q", "phone": "+32 65 00 00 00",
        "organisation": "New SRL", "profile": "student"})
    assert good.status_code == 302
    db.session.rollback()
    assert (person.first_name, person.last_name, person.phone) == ("Zeb", "Q", "+32 65 00 00 00")
    assert {r.organisation_name for r in person.registrations} == {"New SRL"}
    assert {r.profile.value for r in person.registrations} == {"student"}


def test_withdrawing_follow_up_and_stopping_reminders(app, client):
    person, first, second = someone()
    first.consent_followup = True
    db.session.commit()
    token = make_token(first.id)
    assert client.post(f"/r/{token}/data/follow-up").status_code == 302
    assert client.post(f"/r/{token}/data/reminders").status_code == 302
    db.session.rollback()
    assert person.followup_opt_out_at is not None and person.reminders_opt_out_at is not None
    assert not db.session.get(Registration, first.id).consent_followup
    other = make_registration(first.event)
    assert notifications.send_reminders(first.event) == 1  # the other person only
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.to_address == EMAIL)) == 0
    assert other.person.reminders_opt_out_at is None


def erasure_link(client, token: str) -> str:
    assert client.post(f"/r/{token}/data/erase").status_code == 302
    db.session.rollback()
    mail = db.session.scalars(sa.select(OutboxMessage)
                              .where(OutboxMessage.kind == "privacy_erasure")).one()
    assert mail.to_address == EMAIL
    return next(link for link in links_in(mail.body_text) if "/privacy/erase/" in link)


def test_erasure_by_the_mailed_link_leaves_no_trace_and_keeps_the_counts(app, client):
    person, first, second = someone()
    first.given_first_name, first.given_last_name, first.given_phone = NAME, SURNAME, PHONE
    make_check_in(first)
    startup = make_startup(founders=[person], founded_on=date(2010, 1, 1))
    make_jobs_snapshot(startup, headcount=7)
    make_certification(person)
    db.session.add(FollowupSurvey(person_id=person.id, event_id=first.event_id, months=6,
                                  answers={"company": True, "jobs": 7,
                                           "startup_name": f"{SURNAME} Labs"}))
    audit.record("registration_updated", event=first.event, actor=audit.Actor.system("test"),
                 changes={"email": [EMAIL, "x@y.be"], "phone": [PHONE, None]})
    db.session.commit()
    notifications.send_reminders(first.event)  # a mail to them, with their name in it
    db.session.commit()
    counts = lambda: [db.session.scalar(sa.select(sa.func.count()).select_from(m))  # noqa: E731
                      for m in (Person, Registration, CheckIn, StartupMember)]
    before = counts()
    assert scan([NAME, SURNAME, PHONE, EMAIL, ORG])

    link = erasure_link(client, make_token(first.id)).split("localhost", 1)[-1]
    path = link[link.index("/privacy/"):]
    assert "Erase my data now" in client.get(path, headers={"Accept-Language": "en"}).text
    db.session.rollback()
    assert db.session.get(Person, person.id).anonymised_at is None  # a GET erases nothing
    assert client.post(path).status_code == 200

    db.session.rollback()
    assert scan([NAME, SURNAME, PHONE, EMAIL, ORG, "ramp"]) == []
    assert counts() == before
    assert db.session.get(Person, person.id).anonymised_at is not None
    survey = db.session.scalars(sa.select(FollowupSurvey)).one()
    assert survey.answers == {"company": True, "jobs": 7}
    # The link works once; the data page is gone.
    again = client.post(path)
    assert again.status_code == 410
    assert client.get(f"/r/{make_token(first.id)}/data").status_code == 404

    # The same address may sign up again: a new person.
    event = make_event()
    reply = client.post(f"/events/{event.slug}/register", data={
        "first_name": NAME, "last_name": SURNAME, "email": EMAIL, "profile": "other",
        "consent": "y"})
    assert reply.status_code == 302
    db.session.rollback()
    new = db.session.scalars(sa.select(Person).where(Person.email == EMAIL)).one()
    assert new.id != person.id


def test_an_expired_or_unknown_link_erases_nothing(app, client):
    person, first, second = someone()
    link = erasure_link(client, make_token(first.id))
    path = link[link.index("/privacy/"):]
    request = db.session.scalars(sa.select(ErasureRequest)).one()
    request.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    for url in (path, "/privacy/erase/not-a-token"):
        reply = client.post(url, headers={"Accept-Language": "en"})
        assert reply.status_code == 410 and "Nothing was erased" in reply.text
    db.session.rollback()
    assert (person.email, person.anonymised_at) == (EMAIL, None)
    assert db.session.get(Registration, first.id).organisation_name == ORG


def test_the_privacy_notice_names_controller_rights_and_authority(app, client):
    event = make_event()
    assert "/privacy" in client.get(f"/events/{event.slug}/register").text
    for lang, words in (("en", "Data Protection Authority"), ("fr", "protection des données")):
        page = client.get("/privacy", headers={"Accept-Language": lang})
        assert page.status_code == 200 and words in page.text
        assert app.config["PRIVACY_DPO"] in page.text
