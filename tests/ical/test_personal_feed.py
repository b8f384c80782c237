"""A participant's own feed: their registrations in their calendar app, from the address on
their self-service page."""

import re
from datetime import timedelta

import icalendar
import pytest

from boostcamp.core.db import utcnow
from boostcamp.events import editing
from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.ical import services
from boostcamp.ical.models import CalendarFeed
from boostcamp.registrations.models import RegistrationStatus
from boostcamp.registrations.tokens import make_token
from tests.conftest import make_app
from tests.factories import at, make_event, make_person, make_registration, make_user
from tests.ical.icaljs import by_uid, read_with_icaljs

# Both engines: the owner's row lock.
pytestmark = pytest.mark.both_engines

HOST = "http://boostcamp.test"


def feed_path(person) -> str:
    """The person's feed address, created if need be, without the server's name."""
    feed = services.personal_feed_for(person)
    db.session.commit()
    return services.feed_url(feed).removeprefix(HOST)


def vevents(response) -> dict[str, icalendar.Event]:
    """SUMMARY → VEVENT."""
    assert response.status_code == 200, response.status_code
    return {str(v["SUMMARY"]): v for v in icalendar.Calendar.from_ical(response.data).events}


# ---------------------------------------------------------------- what the feed shows


def test_the_feed_has_the_persons_registrations_and_nobody_elses(client):
    marie, other = make_person("marie@example.be"), make_person("other@example.be")
    seat = make_event(title="Boostcamp Mons")
    waiting = make_event(title="Boostcamp Liège")
    offered = make_event(title="Atelier IA")
    make_registration(seat, marie)
    make_registration(waiting, marie, RegistrationStatus.WAITLISTED)
    make_registration(offered, marie, RegistrationStatus.OFFERED)
    make_registration(make_event(title="Soirée d’autrui"), other)
    make_registration(seat, other)
    response = client.get(feed_path(marie))

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "max-age=300, private"
    assert "Content-Disposition" not in response.headers
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Mes inscriptions — Boostcamp"
    shown = vevents(response)
    assert sorted(shown) == [
        "Boostcamp Mons", "[Liste d’attente] Boostcamp Liège", "[Place proposée] Atelier IA",
    ]  # fmt: skip
    assert shown["Boostcamp Mons"]["STATUS"] == "CONFIRMED"
    assert shown["[Liste d’attente] Boostcamp Liège"]["STATUS"] == "TENTATIVE"
    assert shown["[Place proposée] Atelier IA"]["STATUS"] == "TENTATIVE"
    # The same UID as in the public feeds: one event, wherever it comes from.
    assert shown["Boostcamp Mons"]["UID"] == f"event-{seat.id}@boostcamp.test"
    assert sorted(vevents(client.get(feed_path(other)))) == ["Boostcamp Mons", "Soirée d’autrui"]


def test_cancellations_stay_30_days_as_cancelled(client):
    marie = make_person()
    now = utcnow()
    for title, days in (("Annulée hier", 1), ("Annulée il y a 40 jours", 40)):
        make_registration(make_event(title=title), marie, RegistrationStatus.CANCELLED,
                          cancelled_at=now - timedelta(days=days))  # fmt: skip
    called_off = make_event(title="Annulé par les organisateurs")
    make_registration(called_off, marie, RegistrationStatus.WAITLISTED)
    editing.cancel_event(called_off)
    draft = make_event(title="Brouillon", status=EventStatus.DRAFT)
    make_registration(draft, marie)
    make_registration(make_event(title="Fini il y a 40 jours", starts_at=now - timedelta(days=40)),
                      marie)  # fmt: skip
    db.session.commit()
    shown = vevents(client.get(feed_path(marie)))
    # An event cancelled by its organisers is cancelled, whatever the registration was.
    assert {summary: v["STATUS"] for summary, v in shown.items()} == {
        "Annulée hier": "CANCELLED",
        "Annulé par les organisateurs": "CANCELLED",
    }


def test_the_feed_speaks_the_persons_language(client):
    ann = make_person(language="en")
    make_registration(make_event(title="Boostcamp Namur"), ann, RegistrationStatus.WAITLISTED)
    response = client.get(feed_path(ann))
    calendar = icalendar.Calendar.from_ical(response.data)
    assert calendar["X-WR-CALNAME"] == "My registrations — Boostcamp"
    assert list(vevents(response)) == ["[Waiting list] Boostcamp Namur"]


def test_summer_and_winter_times_read_by_icaljs(client):
    marie = make_person()
    summer = make_event(title="Boostcamp d’été", starts_at=at(2030, 7, 1, 9))
    winter = make_event(title="Boostcamp d’hiver", starts_at=at(2030, 1, 14, 9))
    for event in (summer, winter):
        make_registration(event, marie)
    parsed = read_with_icaljs(client.get(feed_path(marie)).data)
    assert parsed["method"] == "PUBLISH"
    read = by_uid(parsed)
    assert read[f"event-{summer.id}@boostcamp.test"]["start"] == "2030-07-01T07:00:00Z"
    assert read[f"event-{winter.id}@boostcamp.test"]["start"] == "2030-01-14T08:00:00Z"
    assert {e["tzid"] for e in read.values()} == {"Europe/Brussels"}


# ---------------------------------------------------------------- the address


def test_a_revoked_address_is_a_404_at_once(client):
    marie = make_person()
    make_registration(make_event(), marie)
    old = feed_path(marie)
    assert client.get(old).status_code == 200
    services.revoke_feeds(marie)
    db.session.commit()
    assert client.get(old).status_code == 404
    new = feed_path(marie)  # a new one may be made
    assert new != old and client.get(new).status_code == 200


def test_a_tampered_or_foreign_token_is_a_404(client):
    marie = make_person()
    path = feed_path(marie)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    for wrong in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "x", token.upper()):
        assert client.get(f"/calendar/{wrong}.ics").status_code == 404
    # A staff member's token opens only the staff feed, and the other way round.
    staff_feed, _replaced = services.create_feed(make_user("s@mic.test"))
    db.session.commit()
    assert client.get(f"/calendar/{services.feed_token(staff_feed)}.ics").status_code == 404
    assert client.get(f"/staff/calendar/{token}.ics").status_code == 404


def test_asking_twice_gives_the_same_address_and_one_row(app):
    marie = make_person()
    assert services.personal_feed_for(marie, create=False) is None
    first = services.personal_feed_for(marie)
    again = services.personal_feed_for(marie)
    db.session.commit()
    assert again.id == first.id
    assert db.session.query(CalendarFeed).count() == 1
    assert first.token_hash != services.feed_token(first)  # only its hash is kept


# ---------------------------------------------------------------- caching and cost


def test_an_unchanged_feed_answers_304_and_a_changed_registration_does_not(client):
    marie = make_person()
    registration = make_registration(make_event(title="Boostcamp"), marie,
                                     RegistrationStatus.WAITLISTED)  # fmt: skip
    registration.updated_at -= timedelta(hours=1)
    registration.event.updated_at -= timedelta(hours=1)
    db.session.commit()
    path = feed_path(marie)
    first = client.get(path)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304

    registration.status = RegistrationStatus.CONFIRMED  # a seat, without the event changing
    db.session.commit()
    for validator in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        assert list(vevents(client.get(path, headers=validator))) == ["Boostcamp"]


def test_the_feed_costs_the_same_queries_for_3_and_60_registrations(client, count_queries):
    marie = make_person()
    path = feed_path(marie)
    start = utcnow() + timedelta(days=10)

    def register_to(n, offset):
        for i in range(offset, offset + n):
            day = start + timedelta(days=i)
            event = make_event(
                title=f"Boostcamp {i}", starts_at=day, days=2,
                sessions=[("Jour 1", day, day + timedelta(hours=8)),
                          ("Jour 2", day + timedelta(days=1), day + timedelta(days=1, hours=8))],
            )  # fmt: skip
            make_registration(event, marie, list(RegistrationStatus)[i % 3])

    register_to(3, 0)
    with count_queries() as few:
        assert len(vevents(client.get(path))) == 6
    register_to(57, 3)
    with count_queries() as many:
        assert len(vevents(client.get(path))) == 120
    assert many.count == few.count, many.statements


# ---------------------------------------------------------------- the self-service page


def manage_path(registration) -> str:
    return f"/r/{make_token(registration.id)}"


def feed_on_page(html: str) -> str | None:
    match = re.search(rf'href="{re.escape(HOST)}(/calendar/[^"]+\.ics)"', html)
    return match[1] if match else None


def test_the_self_service_page_creates_and_replaces_the_feed(client):
    marie = make_person()
    registration = make_registration(make_event(title="Boostcamp Mons"), marie)
    make_registration(make_event(title="Boostcamp Liège"), marie, RegistrationStatus.WAITLISTED)
    page = client.get(manage_path(registration)).get_data(as_text=True)
    assert "Toutes mes inscriptions dans mon agenda" in page
    assert "Créer mon adresse de calendrier" in page
    assert feed_on_page(page) is None

    response = client.post(f"{manage_path(registration)}/calendar/new")
    assert response.status_code == 302
    assert response.location.endswith(f"{manage_path(registration)}#my-calendar")
    page = client.get(manage_path(registration)).get_data(as_text=True)
    path = feed_on_page(page)
    assert path and f'href="webcal://boostcamp.test{path}"' in page
    assert "calendar.google.com" in page and "outlook.live.com" in page
    assert "Créer mon adresse de calendrier" not in page and "Remplacer l’adresse" in page
    # Every registration of the person, not only the one whose page it is.
    assert sorted(vevents(client.get(path))) == [
        "Boostcamp Mons", "[Liste d’attente] Boostcamp Liège",
    ]  # fmt: skip
    client.post(f"{manage_path(registration)}/calendar/new")  # a second click changes nothing
    assert feed_on_page(client.get(manage_path(registration)).get_data(as_text=True)) == path

    response = client.post(f"{manage_path(registration)}/calendar/replace")
    page = client.get(response.location).get_data(as_text=True)
    assert "Nouvelle adresse de calendrier créée" in page
    new = feed_on_page(page)
    assert new and new != path
    assert client.get(path).status_code == 404
    assert client.get(new).status_code == 200


def test_another_registrations_page_shows_the_same_feed(client):
    marie = make_person()
    first = make_registration(make_event(), marie)
    second = make_registration(make_event(), marie)
    client.post(f"{manage_path(first)}/calendar/new")
    path = feed_on_page(client.get(manage_path(first)).get_data(as_text=True))
    assert path and feed_on_page(client.get(manage_path(second)).get_data(as_text=True)) == path


@pytest.mark.parametrize("action", ["new", "replace"])
def test_the_buttons_need_the_link_and_the_csrf_token(database_url, app, action):
    registration = make_registration(make_event(), make_person())
    forged = f"/r/x{make_token(registration.id)}/calendar/{action}"
    assert app.test_client().post(forged).status_code == 404
    protected = make_app(database_url, WTF_CSRF_ENABLED=True).test_client()
    assert protected.post(f"{manage_path(registration)}/calendar/{action}").status_code == 400
    html = protected.get(manage_path(registration)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)[1]
    response = protected.post(
        f"{manage_path(registration)}/calendar/{action}", data={"csrf_token": token}
    )
    assert response.status_code == 302
    db.session.rollback()  # see what the request wrote
    assert services.personal_feed_for(registration.person, create=False) is not None
