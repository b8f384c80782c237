"""A hostile partner against another partner's data, through every channel.

Partner A (Mind & Market) and partner B (Namur coworking) co-organise a Boostcamp with the
centre; each attack is made by A's manager, A's API token or a user who manages A and
checks people in for B. Each test asserts the answer *and* that the database is unchanged:
every row of every table is read before and after (the audit log and the tokens' "last
used" aside: a refused attempt may be recorded, and using a token is noted).
"""

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from tests.api.helpers import bearer, make_token, new_event
from tests.factories import (
    at, make_centre, make_check_in, make_event, make_org, make_registration, make_user,
)  # fmt: skip

NOT_COMPARED = {"audit_entry", "api_token"}


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    rows = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in NOT_COMPARED:
                continue
            rows[table.name] = sorted(
                (tuple(map(repr, row)) for row in conn.execute(sa.select(table))), key=str
            )
    return rows


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    a, b = make_org("Mind & Market"), make_org("Namur coworking")
    shared = make_event(
        title="Boostcamp partagé", host=centre, co_organisers=[a, b],
        starts_at=at(2030, 3, 4, 9), days=3,
        sessions=[("Jour 1", at(2030, 3, 4, 9), at(2030, 3, 4, 17)),
                  ("Jour 2", at(2030, 3, 6, 9), at(2030, 3, 6, 17))],
    )  # fmt: skip
    b_only = make_event(title="Atelier de Namur", host=centre, co_organisers=[b])
    make_user("manager@a.test", org=a, org_role=MemberRole.MANAGER)
    double = make_user("double@a.test", org=a, org_role=MemberRole.MANAGER)
    from boostcamp.auth.models import Membership

    double.memberships.append(Membership(organisation=b, role=MemberRole.CHECKIN))
    make_user("staff@mic.test", role=StaffRole.STAFF)
    registration = make_registration(shared)
    make_check_in(registration, shared.sessions[0])
    db.session.commit()
    return {"a": a, "b": b, "shared": shared, "b_only": b_only, "token": make_token(a),
            "centre_token": make_token(centre)}  # fmt: skip


# ---------------------------------------------------------------- 1. organisers via the API


@pytest.mark.parametrize("co_organisers", [[], ["mind-market"], ["mind-market", "namur-coworking", "mic-mons"]])
def test_a_partner_token_cannot_rewrite_the_co_organisers_of_an_event(client, world, co_organisers):
    wanted = [o for o in co_organisers if o != "mind-market"] + (
        [world["a"].slug] if "mind-market" in co_organisers else [])  # fmt: skip
    before = snapshot()
    response = client.patch(f"/api/v1/events/{world['shared'].slug}",
                            headers=bearer(world["token"]), json={"co_organisers": wanted})  # fmt: skip
    assert response.status_code == 403, response.json
    assert "co_organisers" in response.json["fields"]
    assert snapshot() == before


def test_a_partner_token_may_resend_the_co_organisers_unchanged(client, world):
    slugs = [world["a"].slug, world["b"].slug]
    response = client.patch(f"/api/v1/events/{world['shared'].slug}",
                            headers=bearer(world["token"]), json={"co_organisers": slugs})  # fmt: skip
    assert response.status_code == 200, response.json


def test_a_partner_token_cannot_attach_another_platform_to_its_proposal(client, world):
    before = snapshot()
    response = client.post("/api/v1/events", headers=bearer(world["token"]),
                           json=new_event(co_organisers=[world["b"].slug]))  # fmt: skip
    assert response.status_code == 403
    assert "co_organisers" in response.json["fields"]
    assert snapshot() == before
    # Its own name, or none: the proposal is the centre's, co-organised by the partner.
    for co_organisers in ([world["a"].slug], []):
        response = client.post("/api/v1/events", headers=bearer(world["token"]),
                               json=new_event(co_organisers=co_organisers))  # fmt: skip
        assert response.status_code == 201, response.json
        assert response.json["host"]["slug"] == "mic-mons"
        assert [o["slug"] for o in response.json["co_organisers"]] == [world["a"].slug]


def test_the_centre_chooses_organisers_through_the_api(client, world):
    response = client.patch(f"/api/v1/events/{world['shared'].slug}",
                            headers=bearer(world["centre_token"]),
                            json={"co_organisers": [world["b"].slug]})  # fmt: skip
    assert response.status_code == 200
    assert [o["slug"] for o in response.json["co_organisers"]] == [world["b"].slug]


def test_the_staff_form_gives_a_partner_no_organiser_choice_on_a_shared_event(client, auth, world):
    """The web's answer to the same attempt: the field is not there, and what is posted for it
    changes nothing."""
    auth.login("manager@a.test")
    event = world["shared"]
    page = client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True)
    assert 'name="co_organisers"' not in page
    before = snapshot()
    client.post(f"/staff/events/{event.slug}/edit",
                data=edit_form(event, co_organisers=[world["a"].id]))  # fmt: skip
    after = snapshot()
    assert after["event_organiser"] == before["event_organiser"]


# ---------------------------------------------------------------- 3. the agenda keeps attendance


def test_an_agenda_patch_without_ids_cannot_delete_check_ins(client, world):
    event = world["shared"]
    before = snapshot()
    sessions = [{"title": "Jour unique", "starts_at": "2030-03-04T09:00:00+01:00",
                 "ends_at": "2030-03-04T17:00:00+01:00"}]  # fmt: skip
    for token in (world["token"], world["centre_token"]):  # not even the centre
        response = client.patch(f"/api/v1/events/{event.slug}", headers=bearer(token),
                                json={"sessions": sessions})  # fmt: skip
        assert response.status_code == 409, response.json
        assert "sessions" in response.json["fields"]
        assert "Jour 1" in response.json["fields"]["sessions"]
        assert snapshot() == before


def test_a_session_with_check_ins_may_be_renamed_and_an_empty_one_removed(client, world):
    event = world["shared"]
    first = event.sessions[0]
    sessions = [{"id": first.id, "title": "Jour 1 (matin)", "starts_at": "2030-03-04T09:00:00+01:00",
                 "ends_at": "2030-03-04T12:00:00+01:00"}]  # fmt: skip
    response = client.patch(f"/api/v1/events/{event.slug}", headers=bearer(world["token"]),
                            json={"sessions": sessions})  # fmt: skip
    assert response.status_code == 200, response.json
    assert [s["title"] for s in response.json["sessions"]] == ["Jour 1 (matin)"]
    check_ins = db.session.execute(sa.text("SELECT count(*) FROM check_in")).scalar()
    assert check_ins == 1


def edit_form(event, **overrides) -> dict:
    """The edit form of the shared Boostcamp as its page fills it in."""
    data = {
        "title": event.title, "kind": event.kind.value, "language": event.language,
        "city": event.city, "starts_at": "2030-03-04T09:00", "ends_at": "2030-03-06T17:00",
        "capacity": str(event.capacity or ""),
        "co_organisers": [o.id for o in event.co_organisers],
    }  # fmt: skip
    for i, (s, day) in enumerate(zip(event.sessions, ("04", "06"), strict=True)):
        data[f"sessions-{i}-id"] = str(s.id)
        data[f"sessions-{i}-title"] = s.title
        data[f"sessions-{i}-starts_at"] = f"2030-03-{day}T09:00"
        data[f"sessions-{i}-ends_at"] = f"2030-03-{day}T17:00"
    data.update(overrides)
    return data


def test_the_staff_form_cannot_remove_a_session_with_check_ins(client, auth, world):
    auth.login("staff@mic.test")
    event = world["shared"]
    before = snapshot()
    # Remove the first day: people were checked in there.
    response = client.post(f"/staff/events/{event.slug}/edit",
                           data=edit_form(event, **{"sessions-0-remove": "y"}))  # fmt: skip
    assert response.status_code == 200
    assert "Jour 1" in response.get_data(as_text=True)
    assert snapshot() == before


# ---------------------------------------------------------------- 7. duplicating another's event


def test_a_check_in_member_of_b_cannot_duplicate_bs_events(client, auth, world):
    auth.login("double@a.test")
    event = world["b_only"]
    before = snapshot()
    response = client.post(f"/staff/events/{event.slug}/duplicate",
                           data={"starts_at": "2031-03-04T09:00"})  # fmt: skip
    assert response.status_code == 403
    assert snapshot() == before
    assert client.get(f"/staff/events/{event.slug}/duplicate").status_code == 403


# ---------------------------------------------------------------- 4. identity from an address


SECRET = ("Zoé", "Secrète", "+32 470 12 34 56")


@pytest.fixture
def zoe(world):
    """Someone who only ever registered with partner B, on B's own form."""
    from tests.factories import make_person

    person = make_person("zoe@example.be", SECRET[0], SECRET[1], phone=SECRET[2])
    make_registration(world["b_only"], person)
    a_event = make_event(title="Atelier de Mind & Market", host=world["shared"].host,
                         co_organisers=[world["a"]])  # fmt: skip
    make_user("checkin@a.test", org=world["a"], org_role=MemberRole.CHECKIN)
    return a_event


def assert_no_secret(text: str) -> None:
    for secret in (*SECRET, "Secr"):
        assert secret not in text, secret


def test_registering_an_address_through_the_api_tells_nothing_about_its_person(client, auth, world, zoe):
    before = snapshot()
    response = client.post(f"/api/v1/events/{zoe.slug}/registrations", headers=bearer(world["token"]),
                           json={"email": "ZOE@example.be", "first_name": "Quelqu'un",
                                 "last_name": "Autre", "consent": True})  # fmt: skip
    assert response.status_code == 201, response.json
    assert (response.json["first_name"], response.json["last_name"]) == ("Quelqu'un", "Autre")
    assert response.json["phone"] is None
    assert_no_secret(response.get_data(as_text=True))
    after = snapshot()
    assert after["person"] == before["person"]  # and Zoé's details are not overwritten either
    # Nor later, in what the partner reads of its own event.
    listing = client.get(f"/api/v1/events/{zoe.slug}/registrations", headers=bearer(world["token"]))
    assert_no_secret(listing.get_data(as_text=True))
    auth.login("manager@a.test")
    for path in ("registrations", "registrations.csv", "attendance"):
        page = client.get(f"/staff/events/{zoe.slug}/{path}")
        assert page.status_code == 200, path
        assert_no_secret(page.get_data(as_text=True))


def test_a_walk_in_with_someones_address_tells_the_door_nothing_about_them(client, auth, world, zoe):
    auth.login("checkin@a.test")
    response = client.post(f"/staff/events/{zoe.slug}/checkin/walk-in", json={
        "nonce": "0" * 32, "first_name": "Inconnu", "last_name": "Du Soir",
        "email": "zoe@example.be", "consent": True})  # fmt: skip
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["registration"]["first_name"] == "Inconnu"
    assert_no_secret(response.get_data(as_text=True))
    listing = client.get(f"/staff/events/{zoe.slug}/checkin/list")
    assert_no_secret(listing.get_data(as_text=True))


def test_a_partner_adding_someone_on_its_page_sees_only_what_it_typed(client, auth, world, zoe):
    auth.login("manager@a.test")
    response = client.post(f"/staff/events/{zoe.slug}/registrations/new", data={
        "email": "zoe@example.be", "first_name": "Personne", "last_name": "Nouvelle",
        "consent": "y", "profile": "other"})  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(f"/staff/events/{zoe.slug}/registrations").get_data(as_text=True)
    assert "Nouvelle" in page
    assert_no_secret(page)


def test_who_already_had_the_person_sees_their_own_details(client, world, zoe):
    # Zoé came to the shared Boostcamp: Mind & Market had her there, so it knows her.
    from boostcamp.registrations.models import Person

    make_registration(world["shared"], db.session.scalar(
        sa.select(Person).where(Person.email == "zoe@example.be")))  # fmt: skip
    response = client.post(f"/api/v1/events/{zoe.slug}/registrations", headers=bearer(world["token"]),
                           json={"email": "zoe@example.be", "first_name": "Z",
                                 "last_name": "L", "consent": True})  # fmt: skip
    assert (response.json["first_name"], response.json["last_name"]) == SECRET[:2]
    # And the centre sees everyone as they are.
    response = client.post(f"/api/v1/events/{world['b_only'].slug}/registrations",
                           headers=bearer(world["centre_token"]),
                           json={"email": "zoe@example.be", "first_name": "Z", "last_name": "L",
                                 "consent": True})  # fmt: skip
    assert response.json["first_name"] == SECRET[0]


# ---------------------------------------------------------------- 2. attendance when it happened


@pytest.fixture
def past(world, app):
    """A 2011 Boostcamp both partners co-organised, someone of B's registered; the window on."""
    from tests.factories import make_person

    app.config.update(ATTENDANCE_OPENS_HOURS=2, ATTENDANCE_GRACE_HOURS=24)
    event = make_event(title="Boostcamp 2011", host=world["shared"].host,
                       co_organisers=[world["a"], world["b"]], starts_at=at(2011, 5, 9, 9))  # fmt: skip
    founder = make_registration(event, make_person("fondatrice@example.be", "Ana", "Fonda"))
    make_user("checkin@a.test", org=world["a"], org_role=MemberRole.CHECKIN)
    return event, founder


def test_a_partner_cannot_record_attendance_at_a_past_event(client, auth, world, past):
    event, founder = past
    before = snapshot()
    auth.login("manager@a.test")
    walk_in = client.post(f"/staff/events/{event.slug}/checkin/walk-in", json={
        "nonce": "1" * 32, "first_name": "Ana", "last_name": "Fonda",
        "email": "autre@example.be", "consent": True,
        "scanned_at": "2011-05-09T10:00:00+02:00"})  # fmt: skip
    assert walk_in.status_code == 422
    assert "scanned_at" in walk_in.get_json()["fields"]
    scans = client.post(f"/staff/events/{event.slug}/checkin/scans", json={"scans": [{
        "nonce": "2" * 32, "ticket": founder.ticket_code, "method": "scan", "session": None,
        "scanned_at": "2011-05-09T10:00:00+02:00", "device": "porte"}]})  # fmt: skip
    assert "scanned_at" in str(scans.get_json())
    api = client.post("/api/v1/checkins", headers=bearer(world["token"]), json={
        "event": event.slug, "ticket": founder.ticket_code, "nonce": "3" * 32,
        "scanned_at": "2011-05-09T10:00:00+02:00"})  # fmt: skip
    assert api.status_code == 422 and "scanned_at" in api.json["fields"]
    assert snapshot() == before


def test_a_scan_now_dated_in_the_past_or_future_is_refused_during_an_event(client, auth, world, app):
    from datetime import timedelta

    from boostcamp.core.db import utcnow

    app.config.update(ATTENDANCE_OPENS_HOURS=2, ATTENDANCE_GRACE_HOURS=24)
    start = utcnow().replace(microsecond=0) - timedelta(hours=1)
    event = make_event(title="En cours", host=world["shared"].host, co_organisers=[world["a"]],
                       starts_at=start)  # fmt: skip
    person = make_registration(event)
    auth.login("manager@a.test")

    def scan(when: str, nonce: str):
        return client.post(f"/staff/events/{event.slug}/checkin/scans", json={"scans": [{
            "nonce": nonce, "ticket": person.ticket_code, "method": "scan", "session": None,
            "scanned_at": when, "device": "porte"}]}).get_json()["results"][0]  # fmt: skip

    before = snapshot()
    assert "scanned_at" in str(scan("2011-05-09T10:00:00+02:00", "4" * 32))
    assert "scanned_at" in str(scan((start + timedelta(days=3)).isoformat(), "5" * 32))
    assert snapshot() == before
    assert scan((start + timedelta(minutes=5)).isoformat(), "6" * 32)["result"] == "ok"


def test_centre_staff_may_correct_past_attendance_and_it_is_in_the_history(client, auth, world, past):
    from boostcamp.audit.models import AuditEntry

    event, founder = past
    auth.login("staff@mic.test")
    response = client.post(f"/staff/events/{event.slug}/checkin/scans", json={"scans": [{
        "nonce": "7" * 32, "ticket": founder.ticket_code, "method": "scan", "session": None,
        "scanned_at": "2011-05-09T10:00:00+02:00", "device": "correction"}]})  # fmt: skip
    assert response.get_json()["results"][0]["result"] == "ok"
    db.session.rollback()
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.event_id == event.id,
                                                          AuditEntry.action == "attendance_corrected"))  # fmt: skip
    assert entry is not None
    history = client.get(f"/staff/events/{event.slug}/history").get_data(as_text=True)
    assert "Présence corrigée" in history


# ---------------------------------------------------------------- 5. co-founders on start-up pages


def test_a_start_up_page_names_only_the_founders_the_partners_events_had(client, auth, world):
    from boostcamp.registrations.models import Registration
    from tests.factories import make_person, make_startup

    ana = db.session.scalar(sa.select(Registration).where(
        Registration.event_id == world["shared"].id)).person  # fmt: skip
    zoe = make_person("zoe@example.be", "Zoé", "Secrète")
    make_registration(world["b_only"], zoe)  # only ever at B's
    startup = make_startup("Circuits courts", founders=[ana, zoe])
    auth.login("manager@a.test")
    for path in (f"/staff/outcomes/startups/{startup.id}", "/staff/outcomes/startups"):
        page = client.get(path)
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        assert ana.last_name in html and "Circuits courts" in html
        assert "Secrète" not in html and "Zoé" not in html, path
    auth.logout()
    auth.login("staff@mic.test")
    assert "Secrète" in client.get(f"/staff/outcomes/startups/{startup.id}").get_data(as_text=True)


# ---------------------------------------------------------------- the same attempt, both channels


def _web(client, auth, world, attempt):
    auth.login("manager@a.test")
    event = world["shared"]
    overrides = {"co_organisers": [world["a"].id]} if attempt == "organisers" else {
        "sessions-0-remove": "y"}  # fmt: skip
    return client.post(f"/staff/events/{event.slug}/edit", data=edit_form(event, **overrides))


def _api(client, auth, world, attempt):
    event = world["shared"]
    body = {"co_organisers": [world["a"].slug]} if attempt == "organisers" else {
        "sessions": [{"id": event.sessions[1].id, "title": "Jour 2",
                      "starts_at": "2030-03-06T09:00:00+01:00", "ends_at": "2030-03-06T17:00:00+01:00"}]}  # fmt: skip
    return client.patch(f"/api/v1/events/{event.slug}", headers=bearer(world["token"]), json=body)


@pytest.mark.parametrize("channel", [_web, _api], ids=["web form", "API"])
@pytest.mark.parametrize("attempt", ["organisers", "attended session"])
def test_the_web_and_the_api_refuse_the_same_attempt_alike(client, auth, world, channel, attempt):
    before = snapshot()
    response = channel(client, auth, world, attempt)
    assert response.status_code in (200, 403, 409)  # the form with its error, or a refusal
    if attempt == "organisers":
        assert response.status_code == 403
    after = snapshot()
    assert after["event_organiser"] == before["event_organiser"]
    assert after["event_session"] == before["event_session"]
    assert after["check_in"] == before["check_in"]
