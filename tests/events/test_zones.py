"""Each event has its own time zone: the staff's form reads and writes its times there, and
every page, mail and calendar shows them there."""

from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boostcamp.audit.models import AuditEntry
from boostcamp.auth.models import StaffRole
from boostcamp.core.zones import is_zone, zone_of
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from tests.factories import make_centre, make_event, make_user

BOUNDED = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))  # fmt: skip


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


class FormReader(HTMLParser):
    """What a browser would send back for the page's form, untouched."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrf_token":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") == "submit":
                return
            self.data.setdefault(name, []).append(a.get("value") or ("y" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value"))
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, text):
        if self._textarea:
            self.data[self._textarea][-1] += text


def form_of(page: str) -> dict[str, list[str]]:
    reader = FormReader()
    reader.feed(page)
    return reader.data


@pytest.fixture
def staff(app, auth):
    make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")


def london_event(**kw) -> Event:
    return make_event(
        host=make_centre(), title="London Boostcamp", timezone="Europe/London",
        starts_at=utc(2030, 3, 30, 9), days=2, city="London",
        sessions=[("Day 1", utc(2030, 3, 30, 9), utc(2030, 3, 30, 17)),
                  ("Day 2", utc(2030, 3, 31, 8), utc(2030, 3, 31, 16))], **kw,
    )  # fmt: skip


def instants(event_id: int) -> list[datetime]:
    db.session.rollback()
    event = db.session.get(Event, event_id)
    return [event.starts_at, event.ends_at, *(t for s in event.sessions
                                              for t in (s.starts_at, s.ends_at))]  # fmt: skip


def test_a_london_event_edited_through_the_form_keeps_its_instants(client, staff):
    event = london_event()
    before, slug = instants(event.id), event.slug

    page = client.get(f"/staff/events/{slug}/edit").get_data(as_text=True)
    data = form_of(page)
    # London's clock: 09:00 GMT on Saturday, 09:00 BST (08:00 UTC) on Sunday.
    assert data["starts_at"] == ["2030-03-30T09:00"]
    assert data["sessions-1-starts_at"] == ["2030-03-31T09:00"]
    assert data["timezone"] == ["Europe/London"]
    response = client.post(f"/staff/events/{slug}/edit", data=data)

    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert instants(event.id) == before
    assert db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.event_id == event.id)).all() == ["created"]  # nothing changed  # fmt: skip


def test_times_typed_across_the_change_to_summer_time_are_read_on_each_days_clock(client, staff):
    event = london_event()
    data = form_of(client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True))
    data.update({"sessions-0-starts_at": "2030-03-30T10:00", "sessions-1-starts_at": "2030-03-31T10:00"})

    assert client.post(f"/staff/events/{event.slug}/edit", data=data).status_code == 302

    db.session.rollback()
    first, second = db.session.get(Event, event.id).sessions
    assert first.starts_at == utc(2030, 3, 30, 10)  # GMT
    assert second.starts_at == utc(2030, 3, 31, 9)  # BST, one hour ahead of UTC


def test_a_time_in_the_spring_gap_is_refused_in_the_events_zone(client, staff):
    event = london_event()
    before = instants(event.id)
    data = form_of(client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True))
    data["sessions-1-starts_at"] = "2030-03-31T01:30"  # London's clocks jump 01:00 → 02:00

    response = client.post(f"/staff/events/{event.slug}/edit", data=data)

    assert response.status_code == 422 or response.status_code == 200
    assert "Cette heure n’existe pas dans ce fuseau" in response.get_data(as_text=True)
    assert instants(event.id) == before


def test_choosing_another_zone_reads_the_times_typed_with_it_there(client, staff):
    event = make_event(host=make_centre(), title="Mons", starts_at=utc(2030, 5, 6, 7), days=1)
    data = form_of(client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True))
    assert data["timezone"] == ["Europe/Brussels"] and data["starts_at"] == ["2030-05-06T09:00"]
    data["timezone"] = ["Europe/London"]

    assert client.post(f"/staff/events/{event.slug}/edit", data=data).status_code == 302

    db.session.rollback()
    event = db.session.get(Event, event.id)
    assert event.timezone == "Europe/London"
    assert event.starts_at == utc(2030, 5, 6, 8)  # 09:00 in London (BST)
    page = client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True)
    assert form_of(page)["starts_at"] == ["2030-05-06T09:00"]


def test_a_new_event_is_in_brussels_unless_another_zone_is_chosen(client, staff):
    make_centre()
    page = client.get("/staff/events/new").get_data(as_text=True)
    assert form_of(page)["timezone"] == ["Europe/Brussels"]
    assert 'value="Europe/London"' in page  # offered
    data = {"title_fr": "Atelier", "kind": "workshop", "language": "fr", "city": "Londres",
            "starts_at": "2030-07-01T18:00", "ends_at": "2030-07-01T20:00",
            "timezone": "Europe/London"}  # fmt: skip
    assert client.post("/staff/events/new", data=data).status_code == 302
    db.session.rollback()
    event = db.session.scalar(sa.select(Event).where(Event.city == "Londres"))
    assert (event.timezone, event.starts_at) == ("Europe/London", utc(2030, 7, 1, 17))
    data.update(timezone="Mars/Olympus_Mons", city="Ailleurs")
    response = client.post("/staff/events/new", data=data)
    assert "Choisissez un fuseau horaire dans la liste." in response.get_data(as_text=True)


def test_the_events_pages_and_its_history_speak_its_zone(client, staff):
    event = london_event()
    public = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Londres" in public or "London" in public  # the zone's city, in the reader's words
    # Both days 09:00–17:00 on London's clock, though Sunday's is 08:00 UTC (summer time).
    assert public.count("09:00–17:00") == 2 and "08:00" not in public
    history = client.get(f"/staff/events/{event.slug}/history").get_data(as_text=True)
    assert "fuseau de l’événement" in history


@BOUNDED
@given(
    field=st.sampled_from(["starts_at", "ends_at", "sessions-0-starts_at", "sessions-1-ends_at",
                           "registration_opens_at", "applications_close_at", "timezone"]),
    value=st.one_of(
        st.text(max_size=40),
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
        st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59", "2030-03-31T01:30",
                         "2030-10-27T01:30", "UTC", "Europe/London", "../../etc/passwd", "\x00"]),
    ),
    zone=st.sampled_from(["Europe/London", "Europe/Brussels", "America/New_York"]),
)  # fmt: skip
def test_the_forms_times_and_zone_never_break_the_page(app, client, auth, field, value, zone):
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Event)):
        make_user("staff@mic.test", role=StaffRole.STAFF)
    auth.login("staff@mic.test")
    event = db.session.scalar(sa.select(Event)) or london_event()
    event.timezone = zone
    db.session.commit()
    before = instants(event.id)
    data = form_of(client.get(f"/staff/events/{event.slug}/edit").get_data(as_text=True))
    data[field] = value

    response = client.post(f"/staff/events/{event.slug}/edit", data=data)

    assert response.status_code in (200, 302, 400, 422)
    if response.status_code != 302:
        assert instants(event.id) == before  # refused: nothing half-saved


def test_the_one_zone_helper():
    assert zone_of("Europe/London").key == "Europe/London"
    assert zone_of(None).key == "Europe/Brussels"
    assert not is_zone("Mars/Olympus_Mons") and not is_zone("../etc") and not is_zone(None)
