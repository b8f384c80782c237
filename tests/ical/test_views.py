"""Calendars over HTTP: downloads, public feeds, the staff's secret feed, caching."""

import re
import time
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.events import editing
from boostcamp.events.models import Audience, EventKind, EventStatus
from boostcamp.core.extensions import db
from tests.factories import at, make_centre, make_event, make_org, make_user
from tests.ical.icaljs import by_uid, read_with_icaljs


def summaries(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [str(v["SUMMARY"]) for v in icalendar.Calendar.from_ical(response.data).events]


# ---------------------------------------------------------------- an event's download


def test_an_event_downloads_as_an_ics_attachment(client):
    event = make_event(title="Boostcamp Liège", starts_at=at(2030, 6, 3, 9), city="Liège")
    response = client.get(f"/events/{event.slug}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert response.headers["Cache-Control"] == "max-age=300, public"
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["METHOD"] == "PUBLISH"
    [vevent] = calendar.events
    assert vevent["SUMMARY"] == "Boostcamp Liège"
    assert vevent["UID"] == f"event-{event.id}@boostcamp.test"
    assert vevent["URL"] == f"http://boostcamp.test/events/{event.slug}"


def test_unknown_events_and_drafts_have_no_ics(client):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get("/events/nope.ics").status_code == 404
    assert client.get(f"/events/{draft.slug}.ics").status_code == 404
    assert client.get(f"/events/{draft.slug}").status_code == 404  # the page is unchanged


def test_a_cancelled_event_downloads_as_cancelled(client):
    event = make_event()
    editing.cancel_event(event)
    db.session.commit()
    [vevent] = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}.ics").data).events
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 1


# ---------------------------------------------------------------- conditional GET


def test_an_unchanged_calendar_answers_304_to_its_etag_or_its_date(client):
    event = make_event(starts_at=at(2030, 6, 3, 9))
    for path in (f"/events/{event.slug}.ics", "/calendar.ics"):
        first = client.get(path)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.data == b""
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_change_gives_a_new_etag_and_a_higher_sequence(client):
    event = make_event(starts_at=at(2030, 6, 3, 9))
    first = client.get("/calendar.ics")
    editing.update_event(event, starts_at=at(2030, 6, 3, 8))
    db.session.commit()
    second = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    [vevent] = icalendar.Calendar.from_ical(second.data).events
    assert vevent["SEQUENCE"] == 1
    assert vevent["UID"] == f"event-{event.id}@boostcamp.test"


def test_an_event_leaving_the_feed_is_a_change_for_both_validators(client):
    staying, leaving = make_event(title="Reste"), make_event(title="Part")
    for event in (staying, leaving):  # changed an hour ago, so that "now" is later
        event.updated_at -= timedelta(hours=1)
    db.session.commit()
    first = client.get("/calendar.ics?city=Mons")
    assert sorted(summaries(first)) == ["Part", "Reste"]
    editing.update_event(leaving, city="Namur")
    db.session.commit()
    for validator in ({"If-None-Match": first.headers["ETag"]},
                      {"If-Modified-Since": first.headers["Last-Modified"]}):  # fmt: skip
        assert summaries(client.get("/calendar.ics?city=Mons", headers=validator)) == ["Reste"]


def test_a_new_audience_alone_is_a_change_too(client):
    event = make_event(title="Boostcamp", audiences=[Audience.STUDENTS])
    event.updated_at -= timedelta(hours=1)
    db.session.commit()
    first = client.get("/calendar.ics?audience=students")
    editing.update_event(event, audiences=[Audience.EMPLOYEES])
    db.session.commit()
    again = client.get(
        "/calendar.ics?audience=students",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert summaries(again) == []


# ---------------------------------------------------------------- the public feed


def test_the_feed_lists_public_events_and_never_drafts(client):
    make_event(title="Boostcamp publié")
    make_event(title="Brouillon", status=EventStatus.DRAFT)
    response = client.get("/calendar.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    assert response.headers["Cache-Control"] == "max-age=300, public"
    assert summaries(response) == ["Boostcamp publié"]
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["X-WR-CALNAME"] == "Boostcamp"


def test_an_empty_feeds_time_zone_is_the_one_of_the_centres_today(client, monkeypatch):
    """A feed without events still describes its zone, around today: the centre's today
    (1 January 2027 at 00:30 in Brussels), not the server's (31 December in UTC)."""
    new_years_night = datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)
    monkeypatch.setattr("boostcamp.core.zones._now", lambda: new_years_night)
    calendar = icalendar.Calendar.from_ical(client.get("/calendar.ics").data)
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Brussels"
    assert [c["DTSTART"].dt.year for c in zone.subcomponents] == [2026, 2026]


def test_the_feed_keeps_recent_past_and_cancelled_events_for_30_days(client):
    now = utcnow()
    make_event(title="Fini il y a 10 jours", starts_at=now - timedelta(days=10, hours=9))
    make_event(title="Fini il y a 40 jours", starts_at=now - timedelta(days=40))
    cancelled = make_event(title="Annulé hier")
    editing.cancel_event(cancelled)
    long_ago = make_event(title="Annulé il y a 40 jours")
    editing.cancel_event(long_ago)
    long_ago.cancelled_at = now - timedelta(days=40)
    db.session.commit()
    response = client.get("/calendar.ics")
    assert sorted(summaries(response)) == ["Annulé hier", "Fini il y a 10 jours"]
    statuses = {
        str(v["SUMMARY"]): v["STATUS"] for v in icalendar.Calendar.from_ical(response.data).events
    }
    assert statuses["Annulé hier"] == "CANCELLED"


def test_the_feed_takes_the_catalogues_filters(client):
    make_event(title="À Liège", city="Liège", audiences=[Audience.STUDENTS])
    make_event(title="Atelier à Mons", kind=EventKind.WORKSHOP, audiences=[Audience.EVERYONE])
    make_event(title="Pour demandeurs d’emploi", audiences=[Audience.JOB_SEEKERS])
    assert summaries(client.get("/calendar.ics?city=Liège")) == ["À Liège"]
    assert summaries(client.get("/calendar.ics?kind=workshop")) == ["Atelier à Mons"]
    # An event for everyone is also for students, as in the catalogue.
    assert sorted(summaries(client.get("/calendar.ics?audience=students"))) == [
        "Atelier à Mons", "À Liège",
    ]  # fmt: skip
    calendar = icalendar.Calendar.from_ical(
        client.get("/calendar.ics?city=Liège&kind=workshop").data
    )
    assert calendar["X-WR-CALNAME"] == "Boostcamp · Liège · Atelier"


@pytest.mark.parametrize("query", ["kind=party", "audience=robots"])
def test_an_unknown_kind_or_audience_is_refused_in_plain_text(client, query):
    make_event()
    response = client.get(f"/calendar.ics?{query}")
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "inconnu" in response.get_data(as_text=True)


def test_unknown_parameters_are_ignored(client):
    make_event(title="Boostcamp")
    assert summaries(client.get("/calendar.ics?utm_source=x&page=zz&city=")) == ["Boostcamp"]


def test_an_organisation_feed_has_the_events_it_hosts_or_co_organises(client):
    centre = make_centre()
    partner = make_org("LeanSquare")
    make_event(host=partner, title="Hébergé")
    make_event(host=centre, co_organisers=[partner], title="Co-organisé")
    make_event(host=centre, title="Sans LeanSquare")
    make_event(host=partner, title="Brouillon", status=EventStatus.DRAFT)
    response = client.get(f"/organisations/{partner.slug}/calendar.ics")
    assert sorted(summaries(response)) == ["Co-organisé", "Hébergé"]
    assert icalendar.Calendar.from_ical(response.data)["X-WR-CALNAME"] == "Boostcamp · LeanSquare"
    assert client.get("/organisations/nope/calendar.ics").status_code == 404


def test_the_feed_read_by_icaljs_has_the_right_instants(client):
    make_event(
        title="Boostcamp Mons-Borinage",
        starts_at=at(2030, 3, 30, 9),  # summer time starts on Sunday 31 March 2030
        days=2,
        sessions=[
            ("Jour 1", at(2030, 3, 30, 9), at(2030, 3, 30, 17)),
            ("Jour 2", at(2030, 3, 31, 9), at(2030, 3, 31, 17)),
        ],
    )
    parsed = read_with_icaljs(client.get("/calendar.ics").data)
    starts = sorted((e["summary"], e["start"]) for e in by_uid(parsed).values())
    assert starts == [
        ("Boostcamp Mons-Borinage — Jour 1", "2030-03-30T08:00:00Z"),
        ("Boostcamp Mons-Borinage — Jour 2", "2030-03-31T07:00:00Z"),
    ]


# ---------------------------------------------------------------- the staff's secret feed


def feed_url(client) -> str:
    html = client.get("/staff/calendar").get_data(as_text=True)
    match = re.search(r'value="(http://boostcamp\.test/staff/calendar/[^"]+\.ics)"', html)
    assert match, "no feed address on the page"
    return match[1].replace("http://boostcamp.test", "")


def test_a_staff_member_creates_a_feed_and_revokes_it(client, auth):
    make_event(title="Boostcamp de juin")
    make_user("s@mic.test", role=StaffRole.STAFF)
    auth.login("s@mic.test")
    page = client.get("/staff/calendar").get_data(as_text=True)
    assert "Créer mon adresse de calendrier" in page
    client.post("/staff/calendar/new")
    url = feed_url(client)
    assert "webcal://boostcamp.test/staff/calendar/" in client.get("/staff/calendar").get_data(
        as_text=True
    )
    auth.logout()

    response = client.get(url)  # no session: the address is the key
    assert summaries(response) == ["Boostcamp de juin"]
    assert response.headers["Cache-Control"] == "max-age=300, private"
    assert "Content-Disposition" not in response.headers

    auth.login("s@mic.test")
    client.post("/staff/calendar/revoke")
    auth.logout()
    assert client.get(url).status_code == 404


def test_replacing_the_address_stops_the_old_one(client, auth):
    make_user("s@mic.test", role=StaffRole.STAFF)
    auth.login("s@mic.test")
    client.post("/staff/calendar/new")
    old = feed_url(client)
    client.post("/staff/calendar/new")
    new = feed_url(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/staff/calendar/not-a-token.ics").status_code == 404


def test_a_partner_managers_feed_has_only_their_events(client, auth):
    centre = make_centre()
    a, b = make_org("Partner A"), make_org("Partner B")
    make_event(host=centre, co_organisers=[a], title="Event of A")
    make_event(host=centre, co_organisers=[a], title="Draft of A", status=EventStatus.DRAFT)
    make_event(host=centre, co_organisers=[b], title="Event of B")
    make_event(host=centre, title="Centre event")
    make_user("a@p.test", org=a, org_role=MemberRole.MANAGER)
    auth.login("a@p.test")
    client.post("/staff/calendar/new")
    assert summaries(client.get(feed_url(client))) == ["Event of A"]


def test_a_deactivated_users_feed_stops(client, auth):
    user = make_user("s@mic.test", role=StaffRole.STAFF)
    auth.login("s@mic.test")
    client.post("/staff/calendar/new")
    url = feed_url(client)
    auth.logout()
    user.active = False
    db.session.commit()
    assert client.get(url).status_code == 404


def test_the_calendar_page_is_for_the_staff_area_only(client, auth):
    assert client.get("/staff/calendar").status_code == 302  # to the sign-in page
    make_user("nobody@p.test")  # neither staff nor member of a partner: cannot sign in
    auth.login("nobody@p.test")
    assert client.get("/staff/calendar").status_code == 302
    assert client.post("/staff/calendar/new").status_code in (302, 400)


# ---------------------------------------------------------------- queries


# Slow by design (the slowest test: 93-160 s on a machine at load 20): 510 events made
# through the service, on both engines; 510 is the point (see below).
@pytest.mark.parametrize("path", ["/calendar.ics", "staff"])
def test_feeds_cost_the_same_queries_for_10_and_510_events(client, auth, count_queries, path):
    # 510: more than the 500 ids SQLAlchemy puts in one IN list unless told otherwise.
    centre = make_centre()
    partners = [make_org(f"Partner {i}") for i in range(3)]
    make_user("s@mic.test", role=StaffRole.STAFF)
    auth.login("s@mic.test")
    client.post("/staff/calendar/new")
    url = feed_url(client) if path == "staff" else path

    def add_events(n):
        start = utcnow() + timedelta(days=10)
        for i in range(n):
            day = start + timedelta(days=i)
            editing.create_event(
                title=f"Boostcamp {i}", kind=EventKind.BOOSTCAMP, city="Mons", host=centre,
                co_organisers=partners[: i % 3], starts_at=day, ends_at=day + timedelta(days=1),
                sessions=[("Jour 1", day, day + timedelta(hours=8)),
                          ("Jour 2", day + timedelta(days=1) - timedelta(hours=8),
                           day + timedelta(days=1))],
                status=EventStatus.PUBLISHED,
            )  # fmt: skip
        db.session.commit()

    add_events(10)
    with count_queries() as few:
        assert len(summaries(client.get(url))) == 20
    add_events(500)
    with count_queries() as many:
        assert len(summaries(client.get(url))) == 1020
    assert many.count == few.count, many.statements


# ---------------------------------------------------------------- kept calendars


@pytest.fixture
def caching_client(database_url):
    """A client on an app with Flask-Caching's store, as deployed, counting the SQL it sends."""
    import sqlalchemy as sa

    from boostcamp.core.extensions import cache
    from tests.conftest import make_app

    app = make_app(database_url, CACHE_TYPE="SimpleCache", PUBLIC_VERSION_SECONDS=0)
    with app.app_context():
        cache.clear()
        client = app.test_client()
        client.statements = []
        def listener(conn, cursor, statement, *args):
            if not statement.startswith(("BEGIN", "PRAGMA")):
                client.statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", listener)
        yield client
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        db.engine.dispose()


def fetch(client, path: str, **headers):
    client.statements.clear()
    return client.get(path, headers=headers)


@pytest.mark.parametrize("path", ["/events/{slug}.ics", "/calendar.ics", "/calendar.ics?city=Mons",
                                  "/organisations/{org}/calendar.ics"])  # fmt: skip
def test_a_calendar_is_built_once_and_kept_until_one_of_its_events_changes(
    app, caching_client, path
):
    host = make_centre()
    event = make_event(host=host, title="Boostcamp de Mons", city="Mons")
    path = path.format(slug=event.slug, org=host.slug)
    first = fetch(caching_client, path)
    assert first.status_code == 200
    built = len(caching_client.statements)
    second = fetch(caching_client, path)
    # Only the version is asked (and the organisation, for its feed): nothing is built.
    assert len(caching_client.statements) < built
    assert len(caching_client.statements) <= (2 if "organisations" in path else 1)
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]

    not_modified = fetch(caching_client, path, **{"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert len(caching_client.statements) <= (2 if "organisations" in path else 1)

    editing.update_event(event, title="Boostcamp renommé")
    db.session.commit()
    changed = fetch(caching_client, path, **{"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert summaries(changed) == ["Boostcamp renommé"]


def test_renaming_an_organiser_changes_the_kept_download(app, caching_client):
    from boostcamp.organisations import services as org_services

    host = make_centre()
    event = make_event(host=host)
    first = fetch(caching_client, f"/events/{event.slug}.ics")
    org_services.update_organisation(host, name="Centre renommé")
    db.session.commit()
    second = fetch(caching_client, f"/events/{event.slug}.ics")
    assert second.data != first.data and b"Centre renomm" in second.data


def test_kept_calendars_name_the_host_they_were_asked_on(database_url):
    """Without SERVER_NAME the links inside come from the request: one copy per host, so a
    request with a forged Host never reaches the next visitor's calendar."""
    from boostcamp.core.extensions import cache
    from tests.conftest import clear_tables, make_app

    app = make_app(database_url, CACHE_TYPE="SimpleCache", SERVER_NAME=None)
    with app.app_context():
        clear_tables()
        cache.clear()
        event = make_event()
        client = app.test_client()
        forged = client.get(f"/events/{event.slug}.ics", headers={"Host": "evil.example"})
        assert b"evil.example" in forged.data
        honest = client.get(f"/events/{event.slug}.ics", headers={"Host": "events.mic-mons.be"})
        assert b"evil.example" not in honest.data and b"events.mic-mons.be" in honest.data
        clear_tables()
        db.engine.dispose()


def test_a_search_or_a_month_is_built_each_time_and_never_kept(app, caching_client):
    make_event(title="Boostcamp de Mons")
    fetch(caching_client, "/calendar.ics?q=mons")
    built = len(caching_client.statements)
    fetch(caching_client, "/calendar.ics?q=mons")
    assert len(caching_client.statements) == built


def test_each_process_reads_the_version_at_most_once_a_second(app, caching_client):
    """As deployed (PUBLIC_VERSION_SECONDS=1), a kept feed costs no query at all, and a
    change reaches every worker within that second."""
    caching_client.application.config["PUBLIC_VERSION_SECONDS"] = 1
    event = make_event(title="Boostcamp de Mons")
    fetch(caching_client, "/calendar.ics")
    assert summaries(fetch(caching_client, "/calendar.ics")) == ["Boostcamp de Mons"]
    assert caching_client.statements == []
    editing.update_event(event, title="Boostcamp renommé")
    db.session.commit()
    assert summaries(fetch(caching_client, "/calendar.ics")) == ["Boostcamp de Mons"]
    time.sleep(1.1)
    assert summaries(fetch(caching_client, "/calendar.ics")) == ["Boostcamp renommé"]
