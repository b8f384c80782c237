"""The iCalendar builder on its own: what calendar clients read in downloads, feeds and mails.

Events here are models that were never saved: the builder needs no database.
"""

from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from boostcamp.events.models import (
    Event,
    EventKind,
    EventOrganiser,
    EventSession,
    EventStatus,
    OrganiserRole,
)
from boostcamp.ical import builder
from boostcamp.ical.builder import Attendee, Feed, Method, Site
from boostcamp.organisations.models import Organisation, OrganisationKind
from tests.factories import at
from tests.ical.icaljs import by_uid, read_with_icaljs

SITE = Site(
    uid_domain="boostcamp.test",
    organizer_email="info@mic.test",
    event_url=lambda slug: f"https://boostcamp.test/events/{slug}",
    kind_labels={("fr", "boostcamp"): "Boostcamp", ("fr", "workshop"): "Atelier"},
)
CHANGED = datetime(2027, 1, 5, 10, 30, tzinfo=timezone.utc)


def an_event(id=7, sessions=(), **fields) -> Event:
    host = Organisation(id=1, slug="mic-mons", name="MIC Mons", kind=OrganisationKind.CENTRE)
    values = dict(
        slug=f"boostcamp-{id}",
        title="Boostcamp Liège",
        kind=EventKind.BOOSTCAMP,
        status=EventStatus.PUBLISHED,
        summary="Trois jours pour passer de l’idée au projet, à Liège.",
        city="Liège",
        venue="LeanSquare",
        address="Rue Saint-Gilles 29, 4000 Liège",
        starts_at=at(2027, 7, 14, 9),
        ends_at=at(2027, 7, 14, 17),
        timezone="Europe/Brussels",
        language="fr",
        sequence=0,
        created_at=CHANGED,
        updated_at=CHANGED,
    )
    values.update(fields)
    event = Event(id=id, **values)
    event.organisers.append(EventOrganiser(organisation=host, role=OrganiserRole.HOST))
    for n, (title, starts_at, ends_at, *venue) in enumerate(sessions, start=1):
        event.sessions.append(
            EventSession(id=id * 100 + n, title=title, starts_at=starts_at, ends_at=ends_at,
                         venue=venue[0] if venue else None)
        )  # fmt: skip
    return event


def three_days(**fields) -> Event:
    return an_event(
        starts_at=at(2027, 3, 26, 9),
        ends_at=at(2027, 3, 28, 17),
        sessions=[
            ("Jour 1 — L’idée", at(2027, 3, 26, 9), at(2027, 3, 26, 17)),
            ("Jour 2 — Le marché", at(2027, 3, 27, 9), at(2027, 3, 27, 17)),
            ("Jour 3 — Le pitch", at(2027, 3, 28, 9), at(2027, 3, 28, 17), "Palais des Congrès"),
        ],
        **fields,
    )


def vevents(body: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(body).events


def test_an_event_without_sessions_is_one_vevent_with_everything_a_client_shows():
    calendar = icalendar.Calendar.from_ical(builder.publish([an_event()], SITE))
    assert calendar["METHOD"] == "PUBLISH"
    [vevent] = calendar.events
    assert vevent["UID"] == "event-7@boostcamp.test"
    assert vevent["SUMMARY"] == "Boostcamp Liège"
    assert vevent["LOCATION"] == "LeanSquare, Rue Saint-Gilles 29, 4000 Liège"
    assert vevent["URL"] == "https://boostcamp.test/events/boostcamp-7"
    assert vevent["DESCRIPTION"] == (
        "Trois jours pour passer de l’idée au projet, à Liège.\n\n"
        "https://boostcamp.test/events/boostcamp-7"
    )
    assert vevent["ORGANIZER"] == "mailto:info@mic.test"
    assert vevent["ORGANIZER"].params["CN"] == "MIC Mons"
    assert vevent.categories == ["Boostcamp"]
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["SEQUENCE"] == 0
    assert vevent.DTSTAMP == CHANGED
    assert vevent.start == at(2027, 7, 14, 9)


def test_a_multi_day_boostcamp_is_one_vevent_per_session():
    [day1, day2, day3] = vevents(builder.publish([three_days()], SITE))
    assert [v["UID"] for v in (day1, day2, day3)] == [
        "session-701@boostcamp.test", "session-702@boostcamp.test", "session-703@boostcamp.test",
    ]  # fmt: skip
    assert day1["SUMMARY"] == "Boostcamp Liège — Jour 1 — L’idée"
    assert day2.start == at(2027, 3, 27, 9) and day2.end == at(2027, 3, 27, 17)
    assert day2["LOCATION"] == "LeanSquare, Rue Saint-Gilles 29, 4000 Liège"
    assert day3["LOCATION"] == "Palais des Congrès, Liège"  # a session's own venue


def test_times_are_local_with_their_zone_never_floating_nor_only_utc():
    body = builder.publish([three_days()], SITE).decode()
    assert "DTSTART;TZID=Europe/Brussels:20270326T090000\r\n" in body
    assert "DTEND;TZID=Europe/Brussels:20270328T170000\r\n" in body
    for vevent in vevents(body.encode()):
        assert vevent.start.tzinfo.key == "Europe/Brussels"
    assert "DTSTART:2027" not in body  # neither floating nor "…Z"


def test_the_brussels_vtimezone_has_both_summer_time_rules():
    calendar = icalendar.Calendar.from_ical(builder.publish([an_event()], SITE))
    [zone] = calendar.timezones
    assert zone["TZID"] == "Europe/Brussels"
    [summer] = zone.daylight
    [winter] = zone.standard
    # The change happens at 02:00 in winter time (RFC 5545: onset in the offset before it).
    assert summer["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert (summer.DTSTART.time().hour, summer.TZOFFSETFROM, summer.TZOFFSETTO) == (
        2, timedelta(hours=1), timedelta(hours=2),
    )  # fmt: skip
    assert winter["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert (winter.DTSTART.time().hour, winter.TZOFFSETFROM, winter.TZOFFSETTO) == (
        3, timedelta(hours=2), timedelta(hours=1),
    )  # fmt: skip
    assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize(
    "local, utc",
    [
        (at(2027, 3, 28, 9), datetime(2027, 3, 28, 7, tzinfo=timezone.utc)),  # summer time begins
        (at(2027, 10, 31, 9), datetime(2027, 10, 31, 8, tzinfo=timezone.utc)),  # and ends
    ],
)
def test_an_event_on_a_dst_sunday_keeps_its_local_time(local, utc):
    event = an_event(starts_at=local, ends_at=local + timedelta(hours=8))
    body = builder.publish([event], SITE)
    assert f"DTSTART;TZID=Europe/Brussels:{local:%Y%m%d}T090000".encode() in body
    [vevent] = vevents(body)
    assert vevent.start == utc


def test_accents_survive_in_utf8_and_lines_are_folded_at_75_octets_with_crlf():
    event = an_event(
        title="Boostcamp Mons-Borinage : créer, tester, réussir — édition spéciale Liège "
        "et Hainaut, où l’on apprend à pitcher ensemble",
        city="Mons-Borinage",
    )
    body = builder.publish([event], SITE, Feed("Événements à Liège"))
    lines = body.split(b"\r\n")
    assert lines[-1] == b""  # every line ends with CRLF
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long title was folded
    body.decode("utf-8")  # folding never cuts a character in two
    [vevent] = vevents(body)
    assert vevent["SUMMARY"] == event.title
    assert icalendar.Calendar.from_ical(body)["X-WR-CALNAME"] == "Événements à Liège"


def test_uids_stay_the_same_when_the_event_is_edited():
    before = [v["UID"] for v in vevents(builder.publish([three_days()], SITE))]
    edited = three_days(title="Boostcamp Liège (nouveau nom)", city="Namur", sequence=3)
    edited.sessions[0].starts_at += timedelta(hours=1)
    after = [v["UID"] for v in vevents(builder.publish([edited], SITE))]
    assert after == before


def test_the_same_event_gives_the_same_bytes_so_feeds_can_be_cached():
    assert builder.publish([three_days()], SITE) == builder.publish([three_days()], SITE)


def test_sequence_and_cancelled_status_come_from_the_event():
    event = three_days(status=EventStatus.CANCELLED, sequence=2)
    for vevent in vevents(builder.publish([event], SITE)):
        assert vevent["STATUS"] == "CANCELLED"
        assert vevent["SEQUENCE"] == 2


def test_categories_name_the_kind_in_the_events_language():
    [vevent] = vevents(builder.publish([an_event(kind=EventKind.WORKSHOP)], SITE))
    assert vevent.categories == ["Atelier"]


def test_a_feed_has_its_name_and_asks_to_be_refreshed_hourly():
    body = builder.publish([an_event()], SITE, Feed("Boostcamp · Liège"))
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["X-WR-CALNAME"] == "Boostcamp · Liège"
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in body
    assert calendar["METHOD"] == "PUBLISH"
    assert b"X-WR-CALNAME" not in builder.publish([an_event()], SITE)  # a download is no feed


def test_an_empty_feed_is_still_a_valid_calendar():
    calendar = icalendar.Calendar.from_ical(builder.publish([], SITE, Feed("Boostcamp")))
    assert calendar.events == []
    assert [z["TZID"] for z in calendar.timezones] == ["Europe/Brussels"]


def test_a_confirmation_mail_invites_with_the_same_uids_as_the_feed():
    event = three_days(sequence=1)
    marie = Attendee("Marie Dupont", "marie@example.be")
    stamp = datetime(2027, 2, 1, 12, tzinfo=timezone.utc)
    messages = builder.invitations(event, marie, SITE, Method.REQUEST, stamp)
    feed_uids = [v["UID"] for v in vevents(builder.publish([event], SITE))]
    assert len(messages) == 3  # one UID per iTIP message
    for message, uid in zip(messages, feed_uids):
        calendar = icalendar.Calendar.from_ical(message)
        assert calendar["METHOD"] == "REQUEST"
        [vevent] = calendar.events
        assert vevent["UID"] == uid
        assert vevent["SEQUENCE"] == 1
        assert vevent["STATUS"] == "CONFIRMED"
        assert vevent.DTSTAMP == stamp
        assert vevent["ATTENDEE"] == "mailto:marie@example.be"
        assert vevent["ATTENDEE"].params["CN"] == "Marie Dupont"
        assert vevent["ATTENDEE"].params["PARTSTAT"] == "ACCEPTED"
        assert vevent["ORGANIZER"].params["CN"] == "MIC Mons"
        assert [z["TZID"] for z in calendar.timezones] == ["Europe/Brussels"]


def test_a_cancellation_mail_cancels_the_same_uid():
    event = an_event(status=EventStatus.CANCELLED, sequence=2)
    [message] = builder.invitations(
        event, Attendee("Marie", "marie@example.be"), SITE, Method.CANCEL, CHANGED
    )
    calendar = icalendar.Calendar.from_ical(message)
    assert calendar["METHOD"] == "CANCEL"
    [vevent] = calendar.events
    assert (vevent["UID"], vevent["STATUS"], vevent["SEQUENCE"]) == (
        "event-7@boostcamp.test", "CANCELLED", 2,
    )  # fmt: skip


def test_invitations_are_not_for_publishing():
    with pytest.raises(ValueError):
        builder.invitations(an_event(), Attendee("M", "m@x.be"), SITE, Method.PUBLISH, CHANGED)


# ---------------------------------------------------------------- read by Thunderbird's parser


def test_icaljs_computes_the_right_instants_in_winter_summer_and_on_dst_sundays():
    events = [
        an_event(id=1, starts_at=at(2027, 1, 14, 9), ends_at=at(2027, 1, 14, 17)),
        an_event(id=2, starts_at=at(2027, 7, 14, 9), ends_at=at(2027, 7, 14, 17)),
        three_days(id=3),  # its last day is the last Sunday of March
        an_event(id=4, starts_at=at(2027, 10, 31, 9), ends_at=at(2027, 10, 31, 17)),
        # 03:30 on the morning summer time starts, just after the change
        an_event(id=5, starts_at=at(2027, 3, 28, 3, 30), ends_at=at(2027, 3, 28, 4)),
    ]
    parsed = read_with_icaljs(builder.publish(events, SITE, Feed("Boostcamp")))
    assert parsed["method"] == "PUBLISH"
    read = {uid: (e["start"], e["end"], e["tzid"]) for uid, e in by_uid(parsed).items()}
    zone = "Europe/Brussels"
    assert read == {
        "event-1@boostcamp.test": ("2027-01-14T08:00:00Z", "2027-01-14T16:00:00Z", zone),
        "event-2@boostcamp.test": ("2027-07-14T07:00:00Z", "2027-07-14T15:00:00Z", zone),
        "session-301@boostcamp.test": ("2027-03-26T08:00:00Z", "2027-03-26T16:00:00Z", zone),
        "session-302@boostcamp.test": ("2027-03-27T08:00:00Z", "2027-03-27T16:00:00Z", zone),
        "session-303@boostcamp.test": ("2027-03-28T07:00:00Z", "2027-03-28T15:00:00Z", zone),
        "event-4@boostcamp.test": ("2027-10-31T08:00:00Z", "2027-10-31T16:00:00Z", zone),
        "event-5@boostcamp.test": ("2027-03-28T01:30:00Z", "2027-03-28T02:00:00Z", zone),
    }
    assert by_uid(parsed)["event-2@boostcamp.test"]["summary"] == "Boostcamp Liège"


def test_icaljs_reads_other_zones_right_too():
    new_york = "America/New_York"
    events = [  # the second Sunday of March and the first of November
        an_event(id=1, timezone=new_york, starts_at=at(2027, 3, 14, 9, tz=new_york),
                 ends_at=at(2027, 3, 14, 10, tz=new_york)),
        an_event(id=2, timezone=new_york, starts_at=at(2027, 11, 7, 9, tz=new_york),
                 ends_at=at(2027, 11, 7, 10, tz=new_york)),
    ]  # fmt: skip
    read = by_uid(read_with_icaljs(builder.publish(events, SITE)))
    assert read["event-1@boostcamp.test"]["start"] == "2027-03-14T13:00:00Z"
    assert read["event-2@boostcamp.test"]["start"] == "2027-11-07T14:00:00Z"
    assert read["event-1@boostcamp.test"]["tzid"] == new_york


def test_icaljs_reads_the_invitations_methods():
    event = an_event()
    marie = Attendee("Marie", "marie@example.be")
    for method in (Method.REQUEST, Method.CANCEL):
        [message] = builder.invitations(event, marie, SITE, method, CHANGED)
        parsed = read_with_icaljs(message)
        assert parsed["method"] == method.value
        assert parsed["events"][0]["uid"] == "event-7@boostcamp.test"
        assert parsed["events"][0]["start"] == "2027-07-14T07:00:00Z"


def test_icaljs_follows_a_change_of_rule_within_the_years_covered():
    # Until 1995 summer time ended on the last Sunday of September, since 1996 of October.
    events = [
        an_event(id=1, starts_at=at(1995, 10, 1, 9), ends_at=at(1995, 10, 1, 10)),
        an_event(id=2, starts_at=at(1996, 10, 6, 9), ends_at=at(1996, 10, 6, 10)),
    ]
    read = by_uid(read_with_icaljs(builder.publish(events, SITE)))
    assert read["event-1@boostcamp.test"]["start"] == "1995-10-01T08:00:00Z"  # winter time
    assert read["event-2@boostcamp.test"]["start"] == "1996-10-06T07:00:00Z"  # summer time
