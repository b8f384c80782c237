"""Organisers write to everyone registered: one mail each, through the outbox."""

import pytest
import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.registrations.models import RegistrationStatus
from tests.factories import (
    make_centre,
    make_event,
    make_org,
    make_person,
    make_registration,
    make_user,
)
from tests.registrations.helpers import mails


@pytest.fixture
def event(app):
    org_a, org_b = make_org("Partner A"), make_org("Partner B")
    make_user("manager@a.test", org=org_a, org_role=MemberRole.MANAGER)
    make_user("manager@b.test", org=org_b, org_role=MemberRole.MANAGER)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    event = make_event(host=make_centre(), co_organisers=[org_a], title="Boostcamp de A")
    for status, email in ((RegistrationStatus.CONFIRMED, "lea@example.be"),
                          (RegistrationStatus.WAITLISTED, "tom@example.be"),
                          (RegistrationStatus.CANCELLED, "ines@example.be")):  # fmt: skip
        make_registration(event, make_person(email), status=status)
    return event


def url(event):
    return f"/staff/events/{event.slug}/message"


def test_the_message_goes_to_each_person_of_the_chosen_statuses(event, client, auth):
    auth.login("manager@a.test")

    response = client.post(url(event), data={
        "statuses": ["confirmed", "waitlisted"], "subject": "Parking fermé",
        "text": "Bonjour,\n\nLe parking est fermé <demain>.",
    }, follow_redirects=True)  # fmt: skip

    assert "Le message part vers 2 personnes." in response.get_data(as_text=True)
    sent = mails("organiser_message")
    assert sorted(m.to_address for m in sent) == ["lea@example.be", "tom@example.be"]
    assert sent[0].subject == "Parking fermé"
    assert "Le parking est fermé <demain>." in sent[0].body_text
    assert "Le parking est fermé &lt;demain&gt;." in sent[0].body_html
    assert "/r/" in sent[0].body_text  # their own registration link
    [entry] = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "message_sent"))
    assert entry.changes["recipients"] == 2 and entry.event_id == event.id


def test_only_confirmed_people_when_asked(event, client, auth):
    auth.login("staff@mic.test")
    client.post(url(event), data={"statuses": ["confirmed"], "subject": "Rappel",
                                  "text": "À demain"})  # fmt: skip
    assert [m.to_address for m in mails("organiser_message")] == ["lea@example.be"]


def test_a_message_without_subject_is_sent_back_and_nobody_is_mailed(event, client, auth):
    auth.login("staff@mic.test")

    response = client.post(url(event), data={"statuses": ["confirmed"], "text": "À demain"})

    assert response.status_code == 200
    assert "Écrivez un objet." in response.get_data(as_text=True)
    assert mails("organiser_message") == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_another_partner_cannot_write_to_the_participants(event, client, auth, method):
    auth.login("manager@b.test")
    response = client.open(url(event), method=method,
                           data={"statuses": ["confirmed"], "subject": "Spam", "text": "Spam"})
    assert response.status_code == 404
    assert mails("organiser_message") == []
