"""The controller's records (/staff/privacy), a partner against every privacy route, and
the retention steps for expired links and uploads."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage, OutboxStatus
from boostcamp.outcomes.imports.models import ImportKind, ImportUpload
from boostcamp.privacy import retention
from boostcamp.registrations import consents
from boostcamp.privacy import services as privacy
from boostcamp.privacy.models import ErasureRequest, token_hash
from boostcamp.registrations.models import Consent
from boostcamp.registrations.models import Person
from boostcamp.registrations.tokens import make_token
from tests.factories import make_centre, make_event, make_org, make_person, make_registration
from tests.factories import make_user
from tests.test_hostile_partner import snapshot

EN = {"Accept-Language": "en"}


def test_staff_see_retention_the_last_purge_open_requests_and_the_register(app, client, auth):
    partner = make_org("Mind & Market")
    make_event(host=make_centre("MIC Mons"), co_organisers=[partner])
    make_user("staff@centre.be", role=StaffRole.STAFF)
    asking = make_registration(make_event(), make_person(first_name="Zebulon")).person
    privacy.request_erasure(asking)
    done = make_registration(make_event(), make_person(first_name="Yolande")).person
    old = privacy.request_erasure(done)
    old.expires_at = utcnow() - timedelta(minutes=1)  # expired: not open any more
    db.session.commit()
    app.config["RETENTION_PERSON_YEARS"] = 7

    auth.login("staff@centre.be")
    page = client.get("/staff/privacy/", headers=EN).text
    assert "No purge has run yet" in page
    assert "Zebulon" in page and "Yolande" not in page  # open requests only
    assert "<td>7</td>" in page  # the setting in force
    assert "/staff/privacy/" in client.get("/staff/people/", headers=EN).text
    assert "/staff/people/" in client.get("/staff/", headers=EN).text  # from the staff area

    counts = retention.purge(utcnow())
    page = client.get("/staff/privacy/", headers=EN).text
    assert "Last purge" in page and "No purge has run yet" not in page
    assert f"Expired erasure links deleted</th><td>{counts['erasure_links_deleted']}" in page
    assert counts["erasure_links_deleted"] == 1
    retention.purge(utcnow(), dry_run=True)  # a dry run is not "the last purge"
    assert retention.last_purge()["counts"] == counts

    reply = client.get("/staff/privacy/processing-activities.csv", headers=EN)
    assert reply.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(reply.text)))
    assert lines[0][:3] == ["Processing activity", "Purposes", "Legal basis"]
    assert len(lines) > 5 and all(len(line) == len(lines[0]) and all(line) for line in lines)
    first = lines[1]
    assert "Mind & Market" in first[5] and "MIC Mons" in first[5]  # the co-organisers
    assert "7 years" in first[6]
    assert all(app.config["PRIVACY_DPO"] in line[7] for line in lines[1:])
    french = client.get("/staff/privacy/processing-activities.csv",
                        headers={"Accept-Language": "fr"}).text  # fmt: skip
    assert "Base légale" in french and "Finalités" in french


def test_a_partner_calling_any_privacy_route_gets_404_and_changes_nothing(app, client, auth):
    partner = make_org("Mind & Market")
    make_user("p@partner.be", org=partner, org_role=MemberRole.MANAGER)
    event = make_event(host=partner)
    keep = make_registration(event, make_person("keep@example.be")).person
    other = make_registration(make_event(host=partner), make_person("other@example.be")).person
    consents.backfill()
    db.session.commit()
    auth.login("p@partner.be")
    assert "/staff/people/" not in client.get("/staff/").text
    before = snapshot()
    gets = ["/staff/people/", f"/staff/people/{keep.id}", f"/staff/people/{keep.id}/export.json",
            "/staff/privacy/", "/staff/privacy/processing-activities.csv"]
    posts = [(f"/staff/people/{keep.id}/anonymise", {"reason": "partner"}),
             (f"/staff/people/{keep.id}/merge", {"other_id": str(other.id)})]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data=data).status_code == 404, url
    assert snapshot() == before


@pytest.mark.both_engines  # ages compared in SQL
def test_retention_clears_expired_account_links_and_old_uploads(app):
    now = utcnow()
    config = app.config

    def mail(kind: str, age: timedelta) -> OutboxMessage:
        message = OutboxMessage(kind=kind, to_address="a@b.be", subject="s",
                                body_text="http://x/auth/invitation/SECRET", body_html="<p>x</p>",
                                message_id=f"<{kind}{age}@x>", status=OutboxStatus.SENT,
                                created_at=now - age, sent_at=now - age)  # fmt: skip
        db.session.add(message)
        return message

    hours = timedelta(hours=config["INVITATION_HOURS"])
    minutes = timedelta(minutes=config["PASSWORD_RESET_MINUTES"])
    expired = [mail("account_invitation", hours + timedelta(minutes=1)),
               mail("account_reset", minutes + timedelta(minutes=1))]
    alive = [mail("account_invitation", hours - timedelta(minutes=5)),
             mail("account_reset", minutes - timedelta(minutes=5)),
             mail("registration_confirmed", hours * 2)]  # other mails: after 90 days
    keep = timedelta(hours=config["IMPORT_KEEP_HOURS"])
    old_upload = ImportUpload(kind=ImportKind.JOBS, filename="old.csv", content=b"x",
                              created_at=now - keep - timedelta(minutes=1))
    new_upload = ImportUpload(kind=ImportKind.JOBS, filename="new.csv", content=b"x",
                              created_at=now - keep + timedelta(minutes=5))
    db.session.add_all([old_upload, new_upload])
    db.session.commit()

    dry = retention.purge(now, dry_run=True)
    assert (dry["expired_account_links_deleted"], dry["import_uploads_deleted"]) == (2, 1)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportUpload)) == 2

    counts = retention.purge(now, limit=1)  # bounded: one of each per pass
    assert (counts["expired_account_links_deleted"], counts["import_uploads_deleted"]) == (1, 1)
    retention.purge(now)
    db.session.rollback()
    assert [db.session.get(OutboxMessage, m.id).body_text for m in expired] == [None, None]
    assert all(db.session.get(OutboxMessage, m.id).body_text for m in alive)
    assert [u.filename for u in db.session.scalars(sa.select(ImportUpload))] == ["new.csv"]


def test_a_used_or_expired_link_shows_a_clear_page_on_get_too(app, client):
    person = make_registration(make_event(), make_person("x@example.be")).person
    now = utcnow()
    db.session.add_all([
        ErasureRequest(person=person, token_hash=token_hash("used"), used_at=now,
                       expires_at=now + timedelta(hours=1)),
        ErasureRequest(person=person, token_hash=token_hash("expired"),
                       expires_at=now - timedelta(seconds=1)),
    ])  # fmt: skip
    db.session.commit()
    for token in ("used", "expired", "unknown"):
        for method in (client.get, client.post):
            reply = method(f"/privacy/erase/{token}", headers=EN)
            assert reply.status_code == 410 and "Nothing was erased" in reply.text, token
    db.session.rollback()
    assert db.session.get(Person, person.id).anonymised_at is None


def test_merging_moves_the_consents_with_the_registrations(app, client, auth):
    make_user("staff@centre.be", role=StaffRole.STAFF)
    keep = make_registration(make_event(), make_person()).person
    other = make_registration(make_event(), make_person(), consent_followup=True).person
    consents.backfill()
    db.session.commit()
    other_id, total = other.id, db.session.scalar(sa.select(sa.func.count()).select_from(Consent))
    auth.login("staff@centre.be")
    client.post(f"/staff/people/{keep.id}/merge", data={"other_id": other_id})
    db.session.rollback()
    assert db.session.get(Person, other_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)
                             .where(Consent.person_id == keep.id)) == total == 3


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.text(max_size=30))
def test_any_page_number_is_answered_without_an_error(app, client, auth, page):
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Person)):
        make_user("staff@centre.be", role=StaffRole.STAFF)
        make_person()
    auth.login("staff@centre.be")
    reply = client.get("/staff/privacy/", query_string={"page": page})
    assert reply.status_code in (200, 400, 404)


def test_the_data_page_link_of_an_erased_person_is_gone(app, client):
    registration = make_registration(make_event())
    privacy.anonymise(registration.person, reason="test")
    db.session.commit()
    token = make_token(registration.id)
    for suffix in ("/data", "/data.json", "/data.csv"):
        assert client.get(f"/r/{token}{suffix}").status_code == 404
