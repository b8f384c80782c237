"""The links that put an event or a feed into someone's calendar (templates/_macros/calendar.html)."""

from urllib.parse import parse_qs, urlsplit

from flask import render_template_string

from boostcamp.events.models import EventStatus
from boostcamp.events.queries import Filters
from boostcamp.ical import links
from tests.factories import at, make_event

MACROS = '{% from "_macros/calendar.html" import calendar_links, feed_links %}'


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_google_and_outlook_get_the_events_instants_in_utc(app):
    event = make_event(
        title="Boostcamp Liège", starts_at=at(2030, 7, 1, 9), city="Liège", venue="LeanSquare",
        summary="Trois jours pour lancer son projet.",
    )  # fmt: skip
    with app.test_request_context():
        found = links.event_links(event)
    google = query(found.google)
    assert found.google.startswith("https://calendar.google.com/calendar/render?")
    assert google["action"] == "TEMPLATE"
    assert google["text"] == "Boostcamp Liège"
    assert google["dates"] == "20300701T070000Z/20300701T160000Z"  # 09:00–18:00 in summer
    assert google["location"] == "LeanSquare, Liège"
    assert google["details"].startswith("Trois jours pour lancer son projet.")
    outlook = query(found.outlook)
    assert found.outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert (outlook["subject"], outlook["startdt"], outlook["enddt"]) == (
        "Boostcamp Liège", "2030-07-01T07:00:00Z", "2030-07-01T16:00:00Z",
    )  # fmt: skip
    assert found.ics == f"http://boostcamp.test/events/{event.slug}.ics"
    assert found.webcal == f"webcal://boostcamp.test/events/{event.slug}.ics"


def test_feed_links_subscribe_with_webcal(app):
    with app.test_request_context():
        url = links.catalogue_feed_url(Filters(city="Mons", q="pitch", month="2030-07"))
        found = links.feed_links(url)
    assert url == "http://boostcamp.test/calendar.ics?city=Mons"  # a search is no feed filter
    assert found.webcal == "webcal://boostcamp.test/calendar.ics?city=Mons"
    assert query(found.google) == {"cid": found.webcal}
    assert query(found.outlook)["url"] == url


def test_the_macros_render_the_links_and_none_for_a_draft_or_a_cancelled_event(app):
    event = make_event()
    draft = make_event(status=EventStatus.DRAFT)
    cancelled = make_event(status=EventStatus.CANCELLED)
    with app.test_request_context():
        html = render_template_string(
            MACROS + "{{ calendar_links(event) }}|{{ calendar_links(draft) }}"
            "{{ calendar_links(cancelled) }}|{{ feed_links(calendar_feed_url()) }}",
            event=event, draft=draft, cancelled=cancelled,
        )  # fmt: skip
    event_part, draft_part, feed_part = html.split("|")
    assert f"/events/{event.slug}.ics" in event_part
    assert "Ajouter à Google Agenda" in event_part
    assert "Ajouter à Outlook" in event_part
    assert draft_part.strip() == ""
    assert 'href="webcal://boostcamp.test/calendar.ics"' in feed_part
    assert "S’abonner dans mon application d’agenda" in feed_part
