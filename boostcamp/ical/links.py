"""Links that put an event or a feed into someone's calendar, computed for the templates
(templates/_macros/calendar.html) from what a page already loaded."""

from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode

from flask import url_for

from boostcamp.events.models import Event
from boostcamp.core.text import location

GOOGLE = "https://calendar.google.com/calendar/render?"
OUTLOOK_EVENT = "https://outlook.live.com/calendar/0/deeplink/compose?"
OUTLOOK_FEED = "https://outlook.live.com/calendar/0/addfromweb?"


@dataclass(frozen=True)
class CalendarLinks:
    ics: str  # the download
    webcal: str  # opens the calendar app (subscribes, for a feed)
    google: str
    outlook: str


def webcal(url: str) -> str:
    """The same address for calendar apps: webcal:// makes them subscribe (or import)."""
    return "webcal://" + url.split("://", 1)[1]


def event_links(event: Event) -> CalendarLinks:
    """One event: the .ics, and Google's and Outlook's "new event" forms filled in. Those
    forms take one time span, so a multi-day Boostcamp goes in from its start to its end;
    the .ics has each session."""
    ics = url_for("ical.download_event", slug=event.slug, _external=True)
    page = url_for("events.show_event", slug=event.slug, _external=True)
    details = "\n\n".join(p for p in (event.summary, page) if p)
    place = location(event.venue, event.address, event.city)
    google = GOOGLE + urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{_google_time(event.starts_at)}/{_google_time(event.ends_at)}",
            "details": details,
            "location": place,
            "ctz": event.timezone,
        }
    )
    outlook = OUTLOOK_EVENT + urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": event.title,
            "startdt": _iso_utc(event.starts_at),
            "enddt": _iso_utc(event.ends_at),
            "body": details,
            "location": place,
        }
    )
    return CalendarLinks(ics=ics, webcal=webcal(ics), google=google, outlook=outlook)


def feed_links(url: str, name: str = "Boostcamp") -> CalendarLinks:
    """A subscription: webcal:// for the phone's or computer's own calendar, and the
    "subscribe from the web" forms of Google and Outlook."""
    return CalendarLinks(
        ics=url,
        webcal=webcal(url),
        google=GOOGLE + urlencode({"cid": webcal(url)}),
        outlook=OUTLOOK_FEED + urlencode({"url": url, "name": name}),
    )


def catalogue_feed_url(filters=None) -> str:
    """The feed of the catalogue as filtered (by city, kind and audience: the filters a feed
    takes; a search or a month would empty it over time)."""
    args = {}
    if filters is not None:
        args = {k: v for k, v in filters.args().items() if k in ("city", "kind", "audience")}
    return url_for("ical.calendar_feed", _external=True, **args)


def _google_time(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
