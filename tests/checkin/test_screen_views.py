"""The check-in screen's page and JSON endpoints (the browser side is in
tests/browser/test_checkin_screen.py)."""

import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.checkin.models import CheckIn, CheckInKind
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration, RegistrationSource, RegistrationStatus
from tests.factories import (
    at,
    make_centre,
    make_check_in,
    make_event,
    make_org,
    make_person,
    make_question,
    make_registration,
    make_user,
)

DAYS = [(f"Jour {d}", at(2030, 3, 3 + d, 9), at(2030, 3, 3 + d, 17)) for d in (1, 2)]


@pytest.fixture
def world(app):
    partner = make_org("Mind & Market")
    event = make_event(host=make_centre(), co_organisers=[partner], title="Boostcamp Mons",
                       sessions=[], capacity=2)  # fmt: skip
    make_user("checkin@mind.test", org=partner, org_role=MemberRole.CHECKIN)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    lea = make_registration(event, make_person("lea@example.be", "Léa", "Martin"),
                            organisation_name="Circuits courts", note="Vient en fauteuil")  # fmt: skip
    return {"event": event, "partner": partner, "lea": lea}


def url(event, path=""):
    return f"/staff/events/{event.slug}/checkin{path}"


def nonce() -> str:
    return uuid.uuid4().hex


def scan(ticket=None, registration_id=None, **kw):
    return {"nonce": kw.pop("nonce", None) or nonce(), "ticket": ticket,
            "registration_id": registration_id, "method": kw.pop("method", "scan"),
            "session": None, "scanned_at": "2030-03-04T08:12:00Z", "device": "porte A", **kw}  # fmt: skip


def entries() -> list[CheckIn]:
    db.session.rollback()
    return list(db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id)))


def test_the_screen_opens_for_a_partners_check_in_member(world, client, auth):
    auth.login("checkin@mind.test")
    page = client.get(url(world["event"]))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Boostcamp Mons" in html and 'id="checkin-config"' in html
    assert "<script>" not in html  # CSP: no inline script runs (the config is JSON data)


@pytest.mark.parametrize("language, locale", [("fr", "fr-BE"), ("nl", "nl-BE"), ("en", "en-GB")])
def test_the_screen_writes_times_in_the_readers_regional_form(world, client, auth, language,
                                                              locale):
    """The screen's script formats check-in times with Intl in this locale: "09:00" in
    British English, not the US "09:00 AM"."""
    auth.login("checkin@mind.test")
    client.get(f"/lang/{language}")
    html = client.get(url(world["event"])).get_data(as_text=True)
    assert f'"locale": "{locale}"' in html


def test_a_batch_of_queued_scans_is_answered_scan_by_scan(world, client, auth):
    event, lea = world["event"], world["lea"]
    other_event = make_event(title="Autre")
    stranger = make_registration(other_event)
    cancelled = make_registration(event, status=RegistrationStatus.CANCELLED)
    auth.login("checkin@mind.test")

    first = nonce()
    response = client.post(url(event, "/scans"), json={"scans": [
        scan(lea.ticket_code, nonce=first),
        scan(lea.ticket_code),
        scan("UNKNOWN23456"),
        scan(stranger.ticket_code),
        scan(cancelled.ticket_code),
    ]})  # fmt: skip
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["result"] for r in results] == [
        "ok", "already_checked_in", "unknown_ticket", "wrong_event", "cancelled"
    ]
    assert results[0]["nonce"] == first
    assert results[0]["registration"]["note"] == "Vient en fauteuil"
    assert results[1]["first"]["at"].startswith("2030-03-04T09:12")  # in Brussels
    assert results[3]["registration"] is None  # another event's person stays unknown
    rows = entries()
    assert [r.counted for r in rows] == [True, False]
    assert rows[0].device == "porte A" and rows[0].scanned_at == at(2030, 3, 4, 9, 12)


@pytest.mark.both_engines  # insert-or-ignore
def test_sending_the_same_queue_again_counts_nobody_twice(world, client, auth):
    event, lea = world["event"], world["lea"]
    auth.login("checkin@mind.test")
    batch = {"scans": [scan(lea.ticket_code), scan(registration_id=lea.id, method="search")]}
    client.post(url(event, "/scans"), json=batch)
    again = client.post(url(event, "/scans"), json=batch).get_json()["results"]
    assert [(r["result"], r["replayed"]) for r in again] == [
        ("ok", True), ("already_checked_in", True)
    ]
    assert len(entries()) == 2
    counters = client.get(url(event, "/counters")).get_json()["counters"]
    assert counters == {"checked_in": 1, "expected": 1}


def test_a_bad_scan_gets_its_field_errors_and_the_others_go_through(world, client, auth):
    event, lea = world["event"], world["lea"]
    auth.login("checkin@mind.test")
    results = client.post(url(event, "/scans"), json={"scans": [
        {"nonce": "", "method": "teleport", "scanned_at": "hier", "session": "abc"},
        "not a scan",
        scan(registration_id=99999),
        scan(registration_id=10**20),
        scan(registration_id=True),
        scan(lea.ticket_code, method="api"),
        scan(lea.ticket_code),
    ]}).get_json()["results"]  # fmt: skip
    assert set(results[0]["fields"]) == {"nonce", "method", "ticket", "scanned_at", "session"}
    assert results[1]["error"] == "validation_failed"
    assert all("registration_id" in r["fields"] for r in results[2:5])
    assert "method" in results[5]["fields"]
    assert results[6]["result"] == "ok"
    assert len(entries()) == 1


@pytest.mark.parametrize("body", [None, [], {"scans": "all"}, {"scans": []},
                                  {"scans": [{}] * 201}])  # fmt: skip
def test_a_malformed_upload_is_a_json_error_not_a_crash(world, client, auth, body):
    auth.login("checkin@mind.test")
    response = client.post(url(world["event"], "/scans"), json=body)
    assert response.status_code == 422
    assert response.get_json()["error"] == "validation_failed"


@pytest.mark.both_engines  # insert-or-ignore
def test_two_devices_checking_the_same_person_offline_come_back_as_a_duplicate(
    world, client, auth
):
    event, lea = world["event"], world["lea"]
    auth.login("checkin@mind.test")
    door_a = scan(lea.ticket_code, scanned_at="2030-03-04T08:10:00Z", device="A")
    door_b = scan(lea.ticket_code, scanned_at="2030-03-04T08:11:00Z", device="B")
    client.post(url(event, "/scans"), json={"scans": [door_a]})
    answer = client.post(url(event, "/scans"), json={"scans": [door_b]}).get_json()["results"][0]
    assert answer["result"] == "already_checked_in" and not answer["replayed"]
    assert answer["first"]["at"].startswith("2030-03-04T09:10")


def test_the_list_has_everyone_with_their_note_answers_and_attendance(world, client, auth):
    event, lea = world["event"], world["lea"]
    diet = make_question(event, "Régime ?", show_at_checkin=True)
    make_question(event, "Secret ?", show_at_checkin=False)
    from boostcamp.registrations.models import RegistrationAnswer

    db.session.add(RegistrationAnswer(registration_id=lea.id, question_id=diet.id,
                                      value="Végétarien"))  # fmt: skip
    db.session.commit()
    make_check_in(lea)
    auth.login("checkin@mind.test")
    data = client.get(url(event, "/list")).get_json()
    [row] = data["rows"]
    assert row["ticket"] == lea.ticket_code and row["organisation"] == "Circuits courts"
    assert row["answers"] == [{"label": "Régime ?", "value": "Végétarien"}]
    assert row["checked_in_at"] is not None
    assert data["counters"] == {"checked_in": 1, "expected": 1} and data["csrf_token"]


def test_the_list_since_a_time_has_only_the_people_changed_since(world, client, auth):
    # A device on bad Wi-Fi keeps its copy current without downloading everyone again.
    from datetime import timedelta

    from boostcamp.core.db import utcnow
    from boostcamp.registrations.models import Person

    event, lea = world["event"], world["lea"]
    tom = make_registration(event, make_person("tom@example.be", "Tom", "Dubois"))
    nadia = make_registration(event, make_person("nadia@example.be", "Nadia", "Benali"))
    an_hour_ago = utcnow() - timedelta(hours=1)
    for model in (Registration, Person):
        db.session.execute(sa.update(model).values(updated_at=an_hour_ago))
    db.session.commit()
    auth.login("checkin@mind.test")

    full = client.get(url(event, "/list")).get_json()
    assert full["complete"] and len(full["rows"]) == 3

    def changed_since(since: str) -> list[str]:
        answer = client.get(url(event, "/list"), query_string={"since": since})
        assert answer.status_code == 200, answer.get_json()
        data = answer.get_json()
        assert not data["complete"] and data["as_of"] >= since
        return sorted(row["first_name"] for row in data["rows"])

    assert changed_since(full["as_of"]) == []
    make_check_in(tom)  # another device
    lea.person.first_name = "Léa-Marie"  # staff corrected her name
    nadia.status = RegistrationStatus.CANCELLED
    db.session.commit()
    make_registration(event, make_person("zoe@example.be", "Zoé", "Lambert"))  # a walk-in
    assert changed_since(full["as_of"]) == ["Léa-Marie", "Nadia", "Tom", "Zoé"]
    [tom_row] = [r for r in client.get(url(event, "/list"), query_string={
        "since": full["as_of"]}).get_json()["rows"] if r["first_name"] == "Tom"]  # fmt: skip
    assert tom_row["checked_in_at"] is not None

    for bad in ("hier", "2030-03-04T09:00"):  # not a time; no time zone
        answer = client.get(url(event, "/list"), query_string={"since": bad})
        assert answer.status_code == 422 and "since" in answer.get_json()["fields"]


def test_the_list_costs_the_same_queries_for_few_and_many(world, client, auth, count_queries):
    event = world["event"]
    question = make_question(event, "Régime ?", show_at_checkin=True)
    auth.login("staff@mic.test")

    def queries() -> int:
        with count_queries() as q:
            assert client.get(url(event, "/list")).status_code == 200
            since = {"since": "2000-01-01T00:00:00+00:00"}  # everyone changed since
            assert len(client.get(url(event, "/list"), query_string=since).json["rows"]) > 0
            assert client.get(url(event, "/search?q=martin")).status_code == 200
        return q.count

    few = queries()
    from boostcamp.registrations.models import RegistrationAnswer

    for n in range(15):
        registration = make_registration(event, make_person(last_name="Martin"))
        db.session.add(RegistrationAnswer(registration_id=registration.id,
                                          question_id=question.id, value=f"R{n}"))  # fmt: skip
        make_check_in(registration)
    assert queries() == few


@pytest.mark.both_engines  # the search
def test_search_by_name_email_or_organisation(world, client, auth):
    event = world["event"]
    auth.login("checkin@mind.test")
    for query in ("lea", "MARTIN", "lea@example", "circuits"):
        rows = client.get(url(event, f"/search?q={query}")).get_json()["rows"]
        assert [r["last_name"] for r in rows] == ["Martin"], query
    assert client.get(url(event, "/search?q=")).get_json()["rows"] == []


def test_undo_takes_back_the_check_in_named_by_its_nonce(world, client, auth):
    event, lea = world["event"], world["lea"]
    auth.login("checkin@mind.test")
    entry = nonce()
    client.post(url(event, "/scans"), json={"scans": [scan(lea.ticket_code, nonce=entry)]})
    undo = {"nonce": nonce(), "entry_nonce": entry, "device": "porte A"}
    response = client.post(url(event, "/undo"), json=undo)
    assert response.status_code == 200
    assert response.get_json()["registration"]["checked_in_at"] is None
    assert client.post(url(event, "/undo"), json=undo).status_code == 200  # a retry
    assert [r.kind for r in entries()] == [CheckInKind.ENTRY, CheckInKind.UNDO]
    assert client.get(url(event, "/counters")).get_json()["counters"]["checked_in"] == 0

    unknown = client.post(url(event, "/undo"), json={"nonce": nonce(), "entry_nonce": "nope"})
    assert unknown.status_code == 422 and "entry_nonce" in unknown.get_json()["fields"]
    twice = client.post(url(event, "/undo"), json={"nonce": nonce(), "entry_nonce": entry})
    assert twice.status_code == 409 and twice.get_json()["error"] == "conflict"


def test_a_walk_in_is_registered_and_checked_in_even_when_full(world, client, auth):
    event = world["event"]
    make_registration(event)  # the event is full now (capacity 2)
    auth.login("checkin@mind.test")
    response = client.post(url(event, "/walk-in"), json={
        "nonce": nonce(), "first_name": "Tom", "last_name": "Peeters",
        "email": "tom@example.be", "organisation_name": "Atelier Tom", "consent": True,
        "scanned_at": "2030-03-04T09:05:00+01:00",  # registered on the device, offline
    })  # fmt: skip
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["result"] == "ok" and answer["registration"]["walk_in"]
    db.session.rollback()
    tom = db.session.scalar(
        sa.select(Registration).where(Registration.organisation_name == "Atelier Tom")
    )
    assert tom.source == RegistrationSource.WALK_IN and tom.status == RegistrationStatus.CONFIRMED
    [entry] = entries()
    assert entry.scanned_at == at(2030, 3, 4, 9, 5)


def test_a_walk_in_with_missing_fields_gets_field_errors(world, client, auth):
    auth.login("checkin@mind.test")
    response = client.post(url(world["event"], "/walk-in"),
                           json={"nonce": nonce(), "first_name": "Tom", "email": "pas-un-mail"})  # fmt: skip
    assert response.status_code == 422
    assert {"last_name", "email", "consent"} <= set(response.get_json()["fields"])
    response = client.post(url(world["event"], "/walk-in"), json={
        "nonce": nonce(), "first_name": "Tom", "last_name": "Peeters", "email": "tom@example.be",
        "consent": True, "scanned_at": "hier"})  # fmt: skip
    assert response.status_code == 422 and set(response.get_json()["fields"]) == {"scanned_at"}
    assert entries() == []


def test_a_multi_day_event_counts_per_session(app, client, auth):
    event = make_event(starts_at=at(2030, 3, 4), days=2, sessions=DAYS)
    lea = make_registration(event)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    day1, day2 = sorted(event.sessions, key=lambda s: s.starts_at)
    client.post(url(event, "/scans"), json={"scans": [scan(lea.ticket_code, session=day1.id)]})
    assert client.get(url(event, f"/counters?session={day1.id}")).get_json()["counters"][
        "checked_in"] == 1  # fmt: skip
    assert client.get(url(event, f"/counters?session={day2.id}")).get_json()["counters"][
        "checked_in"] == 0  # fmt: skip
    page = client.get(url(event, f"?session={day2.id}")).get_data(as_text=True)
    assert f'"session": {day2.id}' in page
    assert client.get(url(event, "?session=999999")).status_code == 404
    other = client.get(url(event, "/counters?session=999999"))
    assert other.status_code == 404 and "session" in other.get_json()["fields"]


def test_another_partners_member_gets_404_in_json(world, client, auth):
    other = make_org("Autre plateforme")
    make_user("checkin@autre.test", org=other, org_role=MemberRole.CHECKIN)
    auth.login("checkin@autre.test")
    event = world["event"]
    for response in (client.get(url(event, "/list")), client.get(url(event, "/search?q=lea")),
                     client.post(url(event, "/scans"), json={"scans": [scan(world["lea"].ticket_code)]})):  # fmt: skip
        assert response.status_code == 404 and response.get_json()["error"] == "not_found"
    assert entries() == []


def test_the_service_worker_covers_the_check_in_screens(world, client, auth):
    auth.login("checkin@mind.test")
    response = client.get("/staff/events/checkin-sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/staff/events/"
    script = response.get_data(as_text=True)
    assert "/static/js/checkin.js" in script and "/static/vendor/jsqr/jsQR.js" in script


def test_the_service_worker_keeps_every_module_of_the_screens_script(world, app, client, auth):
    """The screen's script is ES modules: offline, each one it imports must be in the cache."""
    auth.login("checkin@mind.test")
    script = client.get("/staff/events/checkin-sw.js").get_data(as_text=True)
    js = Path(app.static_folder) / "js"
    modules = {js / "checkin.js", *(js / "checkin").glob("*.js")}
    for module in modules:
        for imported in re.findall(r'from "(\./[^"]+)"', module.read_text()):
            path = (module.parent / imported).resolve().relative_to(Path(app.static_folder))
            assert f'"/static/{path.as_posix()}?v=' in script, f"{module.name} imports {imported}"
    assert len(modules) > 2


def test_an_expired_csrf_token_answers_json(world, app, client, auth):
    auth.login("checkin@mind.test")  # the login form has no token here: sign in first
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(url(world["event"], "/scans"), json={"scans": [scan("X")]},
                           headers={"X-CSRFToken": "stale"})  # fmt: skip
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"
    token = client.get(url(world["event"], "/counters")).get_json()["csrf_token"]
    response = client.post(url(world["event"], "/scans"), json={"scans": [scan("X")]},
                           headers={"X-CSRFToken": token})  # fmt: skip
    assert response.status_code == 200


def test_tickets_are_full_qr_codes_that_phone_cameras_read():
    from boostcamp.registrations.tickets import ticket_qr

    assert not ticket_qr("ABCDEFGHJKMN").is_micro  # segno.make would pick a Micro QR


def test_the_dashboard_offers_the_check_in_for_events_on_today(world, client, auth):
    from boostcamp.core.db import utcnow

    today = make_event(co_organisers=[world["partner"]], title="Atelier du jour",
                       starts_at=utcnow(), sessions=[])  # fmt: skip
    auth.login("checkin@mind.test")
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert url(today) in dashboard
    assert url(world["event"]) not in dashboard  # next month: not today
    assert url(world["event"]) in client.get(f"/staff/events/{world['event'].slug}").get_data(
        as_text=True
    )


def test_a_ticket_with_dashes_spaces_any_case_checks_in_and_another_events_is_named(
    world, client, auth
):
    from boostcamp.events.models import EventStatus

    event, lea = world["event"], world["lea"]
    other = make_registration(make_event(title="Atelier Pitch"))
    secret = make_registration(make_event(title="Brouillon secret", status=EventStatus.DRAFT))
    auth.login("checkin@mind.test")
    code = lea.ticket_code.lower()
    typed = f" {code[:4]}-{code[4:8]} {code[8:]} "
    response = client.post(url(event, "/scans"), json={"scans": [
        scan(typed, method="typed"), scan(other.ticket_code), scan(secret.ticket_code)]})
    ok, wrong, draft = response.get_json()["results"]
    assert ok["result"] == "ok" and ok["registration"]["registration_id"] == lea.id
    assert [e.registration_id for e in entries()] == [lea.id]
    assert wrong["result"] == "wrong_event" and wrong["other_event"]["title"] == "Atelier Pitch"
    assert wrong["other_event"]["starts_at"]
    assert draft["result"] == "wrong_event" and draft["other_event"] is None  # not named


def test_the_list_of_who_has_not_arrived_yet_is_paginated(world, client, auth):
    from boostcamp.checkin import staff_views

    event = world["event"]
    others = [make_registration(event, make_person(f"p{i}@example.be", "Zed", f"Zz{i:02d}"))
              for i in range(3)]  # fmt: skip
    cancelled = make_registration(event, make_person("c@example.be", "Cara", "Cancel"),
                                  status=RegistrationStatus.CANCELLED)  # fmt: skip
    make_check_in(others[0])
    auth.login("checkin@mind.test")
    path = f"/staff/events/{event.slug}/checkin/not-arrived"
    html = client.get(path).get_data(as_text=True)
    assert "Léa Martin" in html and "Zed Zz01" in html and "Zed Zz02" in html
    assert "Zed Zz00" not in html and "Cara Cancel" not in html  # came; no seat
    assert "3 people have not arrived yet." in html or "3 personnes" in html
    staff_views.PER_PAGE, saved = 2, staff_views.PER_PAGE
    try:
        second = client.get(path + "?page=2").get_data(as_text=True)
    finally:
        staff_views.PER_PAGE = saved
    assert "Zed Zz02" in second and "Léa Martin" not in second
    assert client.get(url(event)).get_data(as_text=True).count(path) == 1  # linked
    assert cancelled.status == RegistrationStatus.CANCELLED


def test_not_arrived_yet_is_404_for_another_partner(world, client, auth):
    other = make_org("Autre")
    make_user("other@autre.test", org=other, org_role=MemberRole.CHECKIN)
    auth.login("other@autre.test")
    assert client.get(f"/staff/events/{world['event'].slug}/checkin/not-arrived").status_code == 404
