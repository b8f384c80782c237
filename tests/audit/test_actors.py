"""Every audited operation names its actor, as its caller says it: a user, an API token or a
named job; and the audit log has the operations that move the funders' figures."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from boostcamp.audit import services as audit
from boostcamp.audit.models import Actor, ActorKind, AuditEntry
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.events import editing as event_services
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact import attribution
from boostcamp.privacy import retention
from boostcamp.registrations.models import Person
from tests.api.helpers import bearer, make_token, new_event
from tests.factories import (
    make_centre,
    make_event,
    make_org,
    make_person,
    make_registration,
    make_startup,
    make_user,
    sign_up,
)


def entries(action: str) -> list[AuditEntry]:
    db.session.rollback()  # a fresh read of what the request committed
    return list(db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def actor(entry: AuditEntry) -> tuple:
    return entry.actor_kind, entry.user_id, entry.api_token_id, entry.actor_name


@pytest.fixture
def world(app):
    centre = make_centre()
    org_a, org_b = make_org("Partner A"), make_org("Partner B")
    event = make_event(host=centre, co_organisers=[org_a], capacity=1)
    return dict(
        centre=centre, org_a=org_a, org_b=org_b, event=event,
        staff=make_user("staff@mic.test", role=StaffRole.STAFF),
        a_manager=make_user("manager@a.test", org=org_a, org_role=MemberRole.MANAGER),
        b_manager=make_user("manager@b.test", org=org_b, org_role=MemberRole.MANAGER),
    )  # fmt: skip


def registrations_url(event, suffix=""):
    return f"/staff/events/{event.slug}/registrations{suffix}"


def test_an_audit_entry_without_its_actor_is_refused(app):
    with pytest.raises(TypeError):
        audit.record("updated", actor=None)


def test_a_staff_cancellation_names_the_partner_who_did_it(world, client, auth):
    registration = sign_up(world["event"], "lea@example.be").registration
    auth.login("manager@a.test")

    response = client.post(registrations_url(world["event"], f"/{registration.id}/cancel"))

    assert response.status_code == 302
    [entry] = entries("registration_cancelled")
    assert actor(entry) == (ActorKind.USER, world["a_manager"].id, None, None)
    assert entry.event_id == world["event"].id
    assert entry.changes["status"] == ["confirmed", "cancelled"]


def test_the_persons_own_cancellation_is_not_a_staff_one(world, client):
    from boostcamp.registrations import waiting_list as services

    registration = sign_up(world["event"], "lea@example.be").registration
    services.cancel_registration(registration)
    db.session.commit()
    assert entries("registration_cancelled") == []


def test_another_partner_cancels_nothing_and_writes_no_audit_row(world, client, auth):
    registration = sign_up(world["event"], "lea@example.be").registration
    auth.login("manager@b.test")

    response = client.post(registrations_url(world["event"], f"/{registration.id}/cancel"))

    assert response.status_code in (403, 404)
    assert entries("registration_cancelled") == []
    assert db.session.get(type(registration), registration.id).status.value == "confirmed"


def test_a_seat_given_over_capacity_is_audited_as_such(world, client, auth):
    sign_up(world["event"], "lea@example.be")
    waiting = sign_up(world["event"], "tom@example.be").registration
    auth.login("staff@mic.test")

    client.post(registrations_url(world["event"], f"/{waiting.id}/confirm"))

    [entry] = entries("seat_given")
    assert actor(entry) == (ActorKind.USER, world["staff"].id, None, None)
    assert entry.changes["over_capacity"] == [None, True]
    assert entry.changes["status"] == ["waitlisted", "confirmed"]


def test_an_api_decision_over_capacity_names_the_token(app, client):
    centre, org_a = make_centre(), make_org("Partner A")
    event = make_event(host=centre, co_organisers=[org_a], capacity=1, admission="application")
    first, second = (sign_up(event, f"api{i}@example.be").registration for i in range(2))
    secret = make_token(org_a)
    url = f"/api/v1/events/{event.slug}/registrations/{{}}/decision"
    for registration in (first, second):
        response = client.post(url.format(registration.id), headers=bearer(secret),
                               json={"decision": "accept", "over_capacity": True})  # fmt: skip
        assert response.status_code == 200, response.json

    decided = entries("applications_decided")
    assert [e.actor_kind for e in decided] == [ActorKind.API_TOKEN] * 2
    assert len({e.api_token_id for e in decided} - {None}) == 1 and decided[0].user_id is None
    assert [e.changes["over_capacity"] for e in decided] == [[None, False], [None, True]]


def test_an_api_event_names_its_token_and_keeps_the_partner_as_proposer(app, client):
    make_centre()
    partner = make_org("Partner A")
    secret = make_token(partner)

    response = client.post("/api/v1/events", headers=bearer(secret), json=new_event())

    assert response.status_code == 201, response.json
    [entry] = entries("created")
    assert entry.actor_kind == ActorKind.API_TOKEN and entry.user_id is None
    event = db.session.get(Event, entry.event_id)
    assert event.proposed_by_organisation_id == partner.id


def test_the_centres_own_token_proposes_nothing(app, client):
    secret = make_token(make_centre())
    assert client.post("/api/v1/events", headers=bearer(secret), json=new_event()).status_code == 201
    db.session.rollback()
    assert db.session.scalar(sa.select(Event.proposed_by_organisation_id)) is None


def test_a_partners_proposal_through_the_form_waits_in_the_staff_review(world, client, auth):
    auth.login("manager@a.test")
    start = (datetime.now() + timedelta(days=40)).strftime("%Y-%m-%d")
    response = client.post("/staff/events/new", data={
        "title_fr": "Atelier pitch", "kind": "workshop", "city": "Mons", "language": "fr",
        "starts_at": f"{start}T09:00", "ends_at": f"{start}T12:00",
        "co_organisers": [str(world["org_a"].id)],
    })  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.rollback()
    event = db.session.scalar(sa.select(Event).where(Event.title == "Atelier pitch"))
    assert event.proposed_by_organisation_id == world["org_a"].id
    staff_made = make_event(host=world["centre"], title="Du centre", status=EventStatus.DRAFT)
    assert staff_made.proposed_by_organisation_id is None

    auth.logout()
    auth.login("staff@mic.test")
    page = client.get("/staff/", query_string={"show": "review"}).get_data(as_text=True)
    assert "Atelier pitch" in page and "Du centre" not in page


def test_the_attribution_rule_names_who_changed_it(world, client, auth):
    auth.login("staff@mic.test")
    response = client.post("/staff/impact/rule", data={
        "min_attendance_percent": "75", "startup_months": "36", "certification_months": "12"})
    assert response.status_code == 302
    [entry] = entries("attribution_rule_changed")
    assert actor(entry) == (ActorKind.USER, world["staff"].id, None, None)
    assert entry.changes == {"min_attendance_percent": [50, 75], "startup_months": [24, 36]}

    attribution.set_rule(min_attendance_percent=75)  # the same rule: nothing to note
    db.session.commit()
    assert len(entries("attribution_rule_changed")) == 1


def test_outcome_edits_and_imports_name_the_staff_member(world, client, auth):
    auth.login("staff@mic.test")
    startup = make_startup("Brasserie", founded_on=date(2011, 1, 1))
    person = make_person("ana@example.be")
    url = f"/staff/outcomes/startups/{startup.id}"
    client.post(url + "/edit", data={"name": "Brasserie du Parc",
                                     "founded_on": "2011-01-01", "status": "active"})  # fmt: skip
    client.post(url + "/members", data={"person": "ana@example.be", "role": "founder"})
    client.post(url + "/jobs", data={"on": "2012-01-01", "headcount": "3", "fte": "2.5"})
    client.post("/staff/outcomes/certifications/new", data={
        "person": "ana@example.be", "name": "Azure", "issuer": "Microsoft",
        "obtained_on": "2012-02-02"})  # fmt: skip
    content = b"name;enterprise_number;founded_on\nOne;;2012-01-02\n"
    response = client.post("/staff/outcomes/import", headers={"Accept": "application/json"},
                           content_type="multipart/form-data",
                           data={"kind": "startups", "file": (io.BytesIO(content), "s.csv")})  # fmt: skip
    client.post(response.get_json()["next"] + "/confirm")

    db.session.rollback()
    rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    done = {e.action: e for e in rows if e.action not in ("created",)}
    for action in ("startup_changed", "startup_member_added", "jobs_recorded",
                   "certification_added", "outcomes_imported"):  # fmt: skip
        assert action in done, (action, sorted(done))
        assert actor(done[action]) == (ActorKind.USER, world["staff"].id, None, None)
    assert done["startup_changed"].changes["name"] == ["Brasserie", "Brasserie du Parc"]
    assert done["startup_member_added"].changes["person"] == [None, person.id]
    assert done["outcomes_imported"].changes["created"] == [None, 1]
    assert "ana@example.be" not in str([e.changes for e in rows])  # people by id, not name


def test_the_retention_purge_names_itself(app):
    person = make_person("old@example.be")
    old = make_event(starts_at=datetime(2010, 1, 4, 9, tzinfo=UTC))
    make_registration(old, person, created_at=datetime(2010, 1, 1, tzinfo=UTC))
    db.session.execute(sa.update(Person).values(created_at=datetime(2010, 1, 1, tzinfo=UTC)))
    db.session.commit()

    retention.purge(datetime.now(UTC))
    db.session.commit()

    [entry] = entries("person_anonymised")
    assert actor(entry) == (ActorKind.SYSTEM, None, None, "retention purge")


def test_a_service_called_without_an_actor_says_so(app):
    event = make_event()
    event_services.update_event(event, title="Autre titre")
    event_services.cancel_event(event, actor=Actor.system("tests"))
    db.session.commit()
    assert [actor(e)[0::3] for e in entries("updated")] == [(ActorKind.SYSTEM, "unnamed")]
    assert [actor(e)[0::3] for e in entries("cancelled")] == [(ActorKind.SYSTEM, "tests")]
