"""Consent records at every channel that registers someone, and the notice mailed to a
person whom someone else registered (a partner's system, staff, the door)."""

import json
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.outcomes.surveys import services as surveys
from boostcamp.registrations import consents
from boostcamp.registrations.models import Consent, ConsentChannel, ConsentKind
from boostcamp.registrations.models import Person, Registration
from boostcamp.registrations.tokens import make_token
from tests.api.helpers import bearer
from tests.api.helpers import make_token as make_api_token
from tests.factories import make_centre, make_event, make_org, make_person, make_registration
from tests.factories import make_user
from tests.registrations.test_mail_flow import received, send_mails, text_of

LINK = re.compile(r"https?://boostcamp\.test(/r/[\w.-]+(?:/data)?)")


def consents_of(email: str) -> list[Consent]:
    db.session.rollback()  # what the requests wrote
    return list(db.session.scalars(
        sa.select(Consent).join(Person, Person.id == Consent.person_id)
        .where(Person.email == email).order_by(Consent.id)))  # fmt: skip


def notices_to(email: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "registration_notice", OutboxMessage.to_address == email)))


def test_every_channel_records_who_gave_which_consent_under_which_notice(app, client, auth):
    partner = make_org("Mind & Market")
    event = make_event(title="Boostcamp Mons", host=make_centre("MIC Mons"),
                       co_organisers=[partner])  # fmt: skip
    secret = make_api_token(partner, "Site web")
    make_user("manager@mm.test", org=partner, org_role=MemberRole.MANAGER)
    make_user("door@mm.test", org=partner, org_role=MemberRole.CHECKIN)
    version = app.config["PRIVACY_NOTICE_VERSION"]

    # The person themselves, on the public form, ticking follow-up contact.
    assert client.post(f"/events/{event.slug}/register", data={
        "first_name": "Ana", "last_name": "Form", "email": "ana@example.be",
        "profile": "student", "consent": "y", "consent_followup": "y"}).status_code == 302
    # A partner's system, through the API.
    assert client.post(f"/api/v1/events/{event.slug}/registrations", headers=bearer(secret),
                       json={"email": "ben@example.be", "first_name": "Ben", "last_name": "Api",
                             "consent": True}).status_code == 201  # fmt: skip
    # A partner's manager, on the staff page.
    auth.login("manager@mm.test")
    assert client.post(f"/staff/events/{event.slug}/registrations/new", data={
        "email": "cleo@example.be", "first_name": "Cléo", "last_name": "Staff",
        "consent": "y", "profile": "other"}).status_code == 302
    auth.logout()
    # The door.
    auth.login("door@mm.test")
    assert client.post(f"/staff/events/{event.slug}/checkin/walk-in", json={
        "nonce": "9" * 32, "first_name": "Dan", "last_name": "Door",
        "email": "dan@example.be", "consent": True}).status_code == 200

    ana = consents_of("ana@example.be")
    assert [(c.kind, c.channel, c.asserted_by) for c in ana] == [
        (ConsentKind.REGISTRATION, ConsentChannel.FORM, None),
        (ConsentKind.FOLLOW_UP, ConsentChannel.FORM, None)]
    expected = {
        "ben@example.be": (ConsentChannel.API, "API token “Site web” (Mind & Market)"),
        "cleo@example.be": (ConsentChannel.STAFF, "manager <manager@mm.test>"),
        "dan@example.be": (ConsentChannel.DOOR, "door <door@mm.test>"),
    }
    for email, (channel, who) in expected.items():
        (row,) = consents_of(email)
        assert (row.kind, row.channel, row.notice_version) == (
            ConsentKind.REGISTRATION, channel, version), email
        assert row.asserted_by == who, email
        assert row.registration.event_id == event.id and row.withdrawn_at is None
    assert all(c.notice_version == version for c in ana)

    # The person whom someone else registered is told, once; who signed up alone is not.
    assert notices_to("ana@example.be") == []
    for email in expected:
        (notice,) = notices_to(email)
        assert notice.registration.person.email == email


def test_an_address_already_registered_adds_no_consent_and_no_notice(app, client):
    partner = make_org("Mind & Market")
    event = make_event(host=make_centre(), co_organisers=[partner])
    secret = make_api_token(partner)
    body = {"email": "ben@example.be", "first_name": "Ben", "last_name": "Api", "consent": True}
    assert client.post(f"/api/v1/events/{event.slug}/registrations", headers=bearer(secret),
                       json=body).status_code == 201
    assert client.post(f"/api/v1/events/{event.slug}/registrations", headers=bearer(secret),
                       json=body).status_code == 200
    assert len(consents_of("ben@example.be")) == 1
    assert len(notices_to("ben@example.be")) == 1


def test_a_partners_notice_arrives_in_the_persons_language_with_working_links(
    app, client, smtp_server
):
    partner = make_org("Mind & Market")
    event = make_event(title="Boostcamp Gent", host=make_centre(), co_organisers=[partner])
    secret = make_api_token(partner, "CRM")
    for email, language in (("lotte@example.be", "nl"), ("marie@example.be", "fr"),
                            ("john@example.be", "en")):  # fmt: skip
        reply = client.post(f"/api/v1/events/{event.slug}/registrations", headers=bearer(secret),
                            json={"email": email, "first_name": "P", "last_name": "Q",
                                  "consent": True, "consent_followup": True,
                                  "language": language})  # fmt: skip
        assert reply.status_code == 201, reply.json
    send_mails()
    subjects = {
        "lotte@example.be": "U bent ingeschreven voor Boostcamp Gent",
        "marie@example.be": "Une inscription à Boostcamp Gent a été faite à votre nom",
        "john@example.be": "You have been registered for Boostcamp Gent",
    }
    openings = {
        "lotte@example.be": "Mind & Market heeft u ingeschreven voor dit evenement",
        "marie@example.be": "Mind & Market a fait votre inscription à cet événement",
        "john@example.be": "Mind & Market registered you for this event",
    }
    for email, subject in subjects.items():
        mails = received(smtp_server, email)
        (notice,) = [m for m in mails if m["Subject"] == subject]
        text = text_of(notice)
        assert openings[email] in text
        paths = LINK.findall(text)
        data_path = next(p for p in paths if p.endswith("/data"))
        assert any(not p.endswith("/data") for p in paths)  # the registration: to cancel
        page = client.get(data_path, headers={"Accept-Language": "en"})
        assert page.status_code == 200
        assert "API token “CRM” (Mind &amp; Market)" in page.text
    # In the outbox too, in the same transaction as the registration.
    db.session.rollback()
    assert {m.language for m in db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "registration_notice"))} == {"nl", "fr", "en"}  # fmt: skip


def test_a_refused_registration_mails_nobody_and_records_nothing(app, client):
    partner = make_org("Mind & Market")
    event = make_event(host=make_centre(), co_organisers=[partner])
    secret = make_api_token(partner)
    reply = client.post(f"/api/v1/events/{event.slug}/registrations", headers=bearer(secret),
                        json={"email": "not an address", "first_name": "B", "last_name": "A",
                              "consent": True})  # fmt: skip
    assert reply.status_code == 422
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_withdrawing_follow_up_stamps_the_consent_and_the_pages_show_it(app, client, auth):
    event = make_event(title="Boostcamp Mons")
    assert client.post(f"/events/{event.slug}/register", data={
        "first_name": "Ana", "last_name": "Form", "email": "ana@example.be",
        "profile": "student", "consent": "y", "consent_followup": "y"}).status_code == 302
    db.session.rollback()
    registration = db.session.scalars(sa.select(Registration)).one()
    token = make_token(registration.id)
    page = client.get(f"/r/{token}/data", headers={"Accept-Language": "en"}).text
    assert "My consents" in page and "Contact later about my project" in page
    assert f"privacy notice version {app.config['PRIVACY_NOTICE_VERSION']}" in page
    assert "Withdrawn on" not in page

    assert client.post(f"/r/{token}/data/follow-up").status_code == 302
    registration_consent, followup = consents_of("ana@example.be")
    assert registration_consent.withdrawn_at is None and followup.withdrawn_at is not None
    assert "Withdrawn on" in client.get(f"/r/{token}/data", headers={"Accept-Language": "en"}).text
    data = json.loads(client.get(f"/r/{token}/data.json").data)
    assert [c["withdrawn_at"] is not None for c in data["consents"]] == [False, True]
    csv = client.get(f"/r/{token}/data.csv").text
    assert csv.count("\nconsent,") == 2 and "withdrawn " in csv

    make_user("staff@centre.be", role=StaffRole.STAFF)
    auth.login("staff@centre.be")
    staff_page = client.get(f"/staff/people/{registration.person_id}",
                            headers={"Accept-Language": "en"}).text  # fmt: skip
    assert "Consents" in staff_page and "Withdrawn on" in staff_page


def test_the_surveys_stop_asking_withdraws_too(app):
    person = make_person()
    registration = make_registration(make_event(), person, consent_followup=True)
    consents.backfill()
    surveys.stop_asking(person)
    db.session.commit()
    (_registration, followup) = consents_of(person.email)
    assert followup.withdrawn_at == person.followup_opt_out_at
    assert registration.consent_followup  # the survey's own rule reads the person's opt-out


@pytest.mark.both_engines  # a backfill in SQL
def test_the_backfill_names_the_channel_and_is_done_once(app):
    from boostcamp.registrations.models import RegistrationSource

    rows = [make_registration(make_event(), source=source, consent_followup=(n % 2 == 0))
            for n, source in enumerate(RegistrationSource)]  # fmt: skip
    assert consents.backfill() == len(rows) + 2
    assert consents.backfill() == 0
    db.session.commit()
    channels = dict(db.session.execute(
        sa.select(Consent.registration_id, Consent.channel)
        .where(Consent.kind == ConsentKind.REGISTRATION)).all())  # fmt: skip
    assert [channels[r.id].value for r in rows] == ["form", "api", "staff", "door"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent).where(
        Consent.notice_version.is_not(None))) == 0  # fmt: skip


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=0, max_size=400), email=st.text(max_size=300))
def test_any_actor_name_fits_the_record(app, name, email):
    """Whatever a user or token is called, the consent's asserted_by fits its column."""
    from boostcamp.auth.models import User

    label = consents.actor_label(User(name=name, email=email))
    assert len(label) <= consents.ASSERTED_BY_MAX and label.startswith(name[:10])


def test_a_partner_registering_anothers_participant_adds_only_its_own_rows(app, client):
    """Partner A registers, for A's event, someone only partner B had: her person row, B's
    registration and its consents stay as they were; A adds its registration, its consent
    and the mails to her, nothing else."""
    from tests.test_hostile_partner import snapshot

    a, b = make_org("Mind & Market"), make_org("Namur coworking")
    zoe = make_person("zoe@example.be", "Zoé", "Secrète", phone="+32 470 00 00 01")
    make_registration(make_event(host=b), zoe, consent_followup=True)
    a_event = make_event(host=a)
    consents.backfill()
    db.session.commit()
    secret = make_api_token(a)
    before = snapshot()
    reply = client.post(f"/api/v1/events/{a_event.slug}/registrations", headers=bearer(secret),
                        json={"email": "zoe@example.be", "first_name": "Inconnue",
                              "last_name": "X", "consent": True})  # fmt: skip
    assert reply.status_code == 201 and reply.json["first_name"] == "Inconnue"
    after = snapshot()
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), f"{table}: a row changed or went"
    added = {table: len(after[table]) - len(rows) for table, rows in before.items()
             if len(after[table]) != len(rows)}  # fmt: skip
    assert added == {"registration": 1, "consent": 1, "outbox_message": 2}
    (new,) = set(after["consent"]) - set(before["consent"])
    assert "API token" in str(new) and "'registration'" in str(new)
