"""The one iCalendar writer: downloads, subscription feeds and mail attachments.

Pure: it reads events (models or anything with their attributes: sessions, organisers and
host loaded) and returns bytes. No database, no request: the server's name for UIDs and the
address of an event's page come in a `Site`.

What calendar clients rely on:
- one VEVENT per session of a multi-day Boostcamp, or the event itself when it has none;
- UIDs derived from ids and the server's name, so they survive downloads and edits, and a
  mail's METHOD:CANCEL removes what the feed or the METHOD:REQUEST put there;
- SEQUENCE from Event.sequence, raised by events.editing on every change of time, place
  or status: clients ignore an update whose SEQUENCE did not grow;
- local times with their TZID and a VTIMEZONE (timezones.py), never floating or UTC-only;
- DTSTAMP and LAST-MODIFIED from the event's last change, so that an unchanged feed gives
  the same bytes (and ETag); a mail passes the time it is written.
"""

import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from icalendar import Calendar
from icalendar import Event as VEvent
from icalendar.prop import vCalAddress, vCategory, vDatetime, vDuration, vInt, vText, vUri

from boostcamp.core.text import location
from boostcamp.core.texts import LocalText
from boostcamp.core.zones import DEFAULT_ZONE, today_in
from boostcamp.events.models import Event, EventSession, EventStatus
from boostcamp.ical.timezones import vtimezone

PRODID = "-//Boostcamp//Boostcamp calendar//FR"
END_VCALENDAR = b"END:VCALENDAR\r\n"


class Method(enum.StrEnum):
    PUBLISH = "PUBLISH"  # downloads and feeds
    REQUEST = "REQUEST"  # a registration confirmed, by mail
    CANCEL = "CANCEL"  # a registration or the event cancelled, by mail


@dataclass(frozen=True)
class Site:
    """What the builder needs to know about this server."""

    uid_domain: str
    organizer_email: str
    event_url: Callable[[str], str]  # slug → absolute address of the event's page
    # (language, kind) → the kind's name in that language, e.g. ("fr", "workshop") → "Atelier".
    kind_labels: Mapping[tuple[str, str], str] = field(default_factory=dict)
    default_timezone: str = DEFAULT_ZONE


@dataclass(frozen=True)
class Feed:
    """A subscription: its name in calendar apps and how often they should refresh it."""

    name: str
    refresh: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class Mark:
    """How a person's own feed shows an event, where it is not simply the event: a place on
    the waiting list is TENTATIVE and says so before the title (many apps show no STATUS),
    a cancelled registration is CANCELLED."""

    status: str  # "TENTATIVE" or "CANCELLED"
    label: str | None = None  # e.g. "Waiting list", shown as "[Waiting list] <title>"


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


def event_uid(event: Event, site: Site) -> str:
    return f"event-{event.id}@{site.uid_domain}"


def session_uid(session: EventSession, site: Site) -> str:
    return f"session-{session.id}@{site.uid_domain}"


def publish(
    events: Iterable[Event],
    site: Site,
    feed: Feed | None = None,
    marks: Mapping[int, Mark] | None = None,
    language: str | None = None,
) -> bytes:
    """METHOD:PUBLISH: an event's download (no `feed`), or a subscription feed. `marks`: by
    event id, for a person's feed (an event cancelled by its organisers stays CANCELLED).
    `language`: the reader's, for the events' texts (default: each event's own)."""
    marks = marks or {}
    calendar = _calendar(Method.PUBLISH)
    if feed is not None:
        calendar.add("NAME", feed.name)  # RFC 7986
        calendar.add("X-WR-CALNAME", feed.name)  # what Google, Apple and Outlook read
        calendar.add("X-WR-TIMEZONE", site.default_timezone)
        calendar["REFRESH-INTERVAL"] = vDuration(feed.refresh)
        calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
        calendar["X-PUBLISHED-TTL"] = vDuration(feed.refresh)
    events = list(events)
    # An empty feed still names its zone: a VCALENDAR needs at least one component.
    _add_timezones(calendar, events, always=site.default_timezone if feed else None)
    return _serialise(
        calendar,
        (
            v
            for e in events
            for v in _vevents(e, site, Method.PUBLISH, mark=marks.get(e.id), language=language)
        ),
    )


def invitations(
    event: Event, attendee: Attendee, site: Site, method: Method, stamp: datetime,
    language: str | None = None,
) -> list[bytes]:  # fmt: skip
    """iTIP messages about one person's registration: METHOD:REQUEST when it is confirmed,
    METHOD:CANCEL when it (or the event) is cancelled. One calendar per UID, as mail
    clients expect: a Boostcamp with three sessions gives three attachments. `language`:
    the attendee's, for the texts the site writes (default: the event's)."""
    if method == Method.PUBLISH:
        raise ValueError("invitations are REQUEST or CANCEL; use publish()")
    messages = []
    for vevent in _attended(event, attendee, site, method, stamp, language):
        calendar = _calendar(method)
        _add_timezones(calendar, [event])
        messages.append(_serialise(calendar, [vevent]))
    return messages


def invitation(
    event: Event, attendee: Attendee, site: Site, method: Method, stamp: datetime,
    language: str | None = None,
) -> bytes:  # fmt: skip
    """The whole programme in one calendar, for one attachment to a mail: its sessions are
    the VEVENTs of invitations(), side by side. `language`: the attendee's."""
    if method == Method.PUBLISH:
        raise ValueError("invitations are REQUEST or CANCEL; use publish()")
    calendar = _calendar(method)
    _add_timezones(calendar, [event])
    return _serialise(calendar, _attended(event, attendee, site, method, stamp, language))


def _attended(event, attendee: Attendee, site: Site, method: Method, stamp, language) -> list:
    """The event's VEVENTs with the attendee on each."""
    vevents = _vevents(event, site, method, stamp=stamp, language=language)
    for vevent in vevents:
        address = vCalAddress(f"mailto:{attendee.email}")
        address.params.update(
            CN=attendee.name, ROLE="REQ-PARTICIPANT", PARTSTAT="ACCEPTED", RSVP="FALSE"
        )
        vevent["ATTENDEE"] = address
    return vevents


def _calendar(method: Method) -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method.value)
    return calendar


def _serialise(calendar: Calendar, vevents: Iterable[VEvent]) -> bytes:
    """The calendar's bytes with the VEVENTs at its end, each serialised as soon as it is
    built: a feed's thousands of components never live all at once, which spares the
    garbage collector full passes over them (a third of the time of a 1,000-event feed)."""
    head = calendar.to_ical()
    assert head.endswith(END_VCALENDAR)
    return b"".join([head[: -len(END_VCALENDAR)], *(v.to_ical() for v in vevents), END_VCALENDAR])


def _add_timezones(calendar: Calendar, events: Iterable[Event], always: str | None = None):
    """One VTIMEZONE per zone used, covering the years of the events that use it (their
    sessions lie within them)."""
    spans: dict[str, list[date]] = {}
    for event in events:
        zone = event.zone
        days = spans.setdefault(event.timezone, [])
        days += (event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date())
    if always and always not in spans:
        spans[always] = [today_in(always)]
    for tzid, days in sorted(spans.items()):
        calendar.add_component(vtimezone(tzid, min(days), max(days)))


def _vevents(
    event: Event, site: Site, method: Method, stamp: datetime | None = None,
    mark: Mark | None = None, language: str | None = None,
) -> list[VEvent]:  # fmt: skip
    zone = event.zone
    cancelled = method == Method.CANCEL or event.status == EventStatus.CANCELLED
    status = "CANCELLED" if cancelled else (mark.status if mark else "CONFIRMED")
    # The reader's language, else the event's own (LANGUAGE says which one it is).
    title = event.text_in("title", language)
    summary = event.text_in("summary", language)
    if mark and mark.label and not cancelled:  # a cancelled event is cancelled for everyone
        title = LocalText(f"[{mark.label}] {title}", title.lang)
    url = site.event_url(event.slug)
    # Shared by the event's VEVENTs: built once, serialised in each.
    modified = vDatetime(event.updated_at.astimezone(timezone.utc))
    common = {
        "DTSTAMP": vDatetime(stamp.astimezone(timezone.utc)) if stamp else modified,
        "LAST-MODIFIED": modified,
        "SEQUENCE": vInt(event.sequence or 0),
        "STATUS": vText(status),
        "DESCRIPTION": _in_language(vText("\n\n".join(p for p in (summary, url) if p)),
                                    summary.lang if summary else title.lang),
        "URL": vUri(url),
        "CATEGORIES": vCategory(
            [site.kind_labels.get((language or event.language, event.kind.value),
                                  event.kind.value)]
        ),
    }
    host = event.host
    if host is not None:
        organizer = vCalAddress(f"mailto:{site.organizer_email}")
        organizer.params["CN"] = host.name
        common["ORGANIZER"] = organizer
    place = location(event.venue, event.address, event.city)
    if not event.sessions:
        return [
            _vevent(event_uid(event, site), title, event.starts_at, event.ends_at,
                    zone, place, common)
        ]  # fmt: skip
    return [
        _vevent(
            session_uid(session, site),
            _session_summary(title, session.text_in("title", language), language),
            session.starts_at,
            session.ends_at,
            zone,
            location(session.venue, None, event.city) if session.venue else place,
            common,
        )
        for session in event.sessions
    ]


def _session_summary(title: LocalText, session: LocalText, language: str | None) -> LocalText:
    """"<event> — <session>", in the reader's language; its LANGUAGE is the one of the part
    that is not (a title in the event's language, for want of one in the reader's)."""
    lang = session.lang if session.lang != language else title.lang
    return LocalText(f"{title} — {session}", lang)


def _vevent(uid, summary, starts_at, ends_at, zone, place, common) -> VEvent:
    # Properties are set directly rather than with .add(), and times as vDatetime rather
    # than the generic vDDDTypes: a feed builds thousands of them.
    vevent = VEvent()
    vevent["UID"] = vText(uid)
    vevent["SUMMARY"] = _in_language(vText(summary), summary.lang)
    vevent["DTSTART"] = vDatetime(starts_at.astimezone(zone))
    vevent["DTEND"] = vDatetime(ends_at.astimezone(zone))
    if place:
        vevent["LOCATION"] = vText(place)
    vevent.update(common)
    return vevent


def _in_language(value: vText, language: str) -> vText:
    value.params["LANGUAGE"] = language  # RFC 5545 3.2.10
    return value
