"""The public catalogue: which events a visitor sees, filtered, searched and paginated; one
event by its address.

Upcoming means "not ended yet", so a Boostcamp that started yesterday is still listed.
Cancelled events stay listed, marked as such, until they end (nobody travels for nothing);
the archive shows the events that took place. Drafts are never public.
"""

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from boostcamp.core.text import fold
from boostcamp.core.zones import zone_of
from boostcamp.core.db import utcnow
from boostcamp.core.errors import NotFound
from boostcamp.events.availability import seats_left, seats_taken
from boostcamp.events.models import (
    Audience,
    Event,
    EventAudience,
    EventKind,
    EventOrganiser,
    EventStatus,
)
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation

# What a list of events shows, loaded with the events in a fixed number of queries.
LIST_LOAD = (
    selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
    selectinload(Event.audience_rows),
)
PAGE_LOAD = (*LIST_LOAD, selectinload(Event.sessions))  # what an event's own pages show
PER_PAGE = 12
# What an event's card shows besides the event itself: its organisers (not its audiences).
CARD_LOAD = selectinload(Event.organisers).joinedload(EventOrganiser.organisation)
MAX_SEARCH_WORDS = 6
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
# A letter of a search also finds its accented forms: "liege" finds "Liège", "ECOLE" "école".
VARIANTS = {
    "a": "aàâäáã", "e": "eéèêë", "i": "iîïíì", "o": "oôöóò", "u": "uùûüú", "c": "cç",
    "y": "yÿ", "n": "nñ",
}  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """What a visitor asked the catalogue for. Values that make no sense are left out."""

    q: str = ""
    city: str = ""
    kind: str = ""
    audience: str = ""
    month: str = ""  # YYYY-MM, in the display time zone

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "Filters":
        q = " ".join((args.get("q") or "").split())[:100]
        city = (args.get("city") or "").strip()[:120]
        kind = args.get("kind") or ""
        audience = args.get("audience") or ""
        month = args.get("month") or ""
        return cls(
            q=q,
            city=city,
            kind=kind if kind in {k.value for k in EventKind} else "",
            audience=audience if audience in {a.value for a in Audience} else "",
            month=month if _month_bounds(month) else "",
        )

    def args(self) -> dict[str, str]:
        """The filters as URL parameters, empty ones left out."""
        return {name: value for name, value in asdict(self).items() if value}

    def without(self, name: str) -> dict[str, str]:
        return replace(self, **{name: ""}).args()

    @property
    def selects_used(self) -> int:
        """How many of the drop-down filters (all but the text search) are in use."""
        return sum(1 for name, value in self.args().items() if name != "q")


def _zone() -> ZoneInfo:
    """The catalogue's months are the centre's: one list, one calendar."""
    return zone_of(None)


def _month_bounds(month: str) -> tuple[datetime, datetime] | None:
    """The instants a local calendar month starts and ends, or None for a malformed month."""
    match = MONTH_RE.match(month)
    if not match:
        return None
    year, number = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= number <= 12):
        return None
    zone = _zone()
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc)


def matches(text: sa.ColumnElement[str], word: str) -> sa.ColumnElement[bool]:
    """`word` appears in `text`, whatever the case and accents.

    Each letter becomes a class of its forms ([eéèêëEÉÈÊË]): a GLOB on SQLite, a regular
    expression on PostgreSQL. Neither needs an extension (unaccent) nor a lower() that knows
    more than ASCII (SQLite's does not).
    """
    sqlite = db.session.get_bind().dialect.name == "sqlite"
    parts = []
    for char in fold(word):
        if char.isalpha():
            forms = VARIANTS.get(char, char)
            parts.append(f"[{forms}{forms.upper()}]")
        elif sqlite:
            parts.append(f"[{char}]" if char in "*?[" else char)
        else:
            parts.append(re.escape(char))
    if sqlite:
        return text.op("GLOB")("*" + "".join(parts) + "*")
    return text.regexp_match("".join(parts))


def _search(q: str) -> sa.ColumnElement[bool]:
    """Every word of `q` appears in a title or summary (in any language), the city, venue or
    an organiser's name. Reads Event.search_text (one folded column); an event without it
    (inserted in bulk) is matched on its main-language texts."""
    text = (
        Event.title + " " + sa.func.coalesce(Event.summary, "") + " " + Event.city + " "
        + sa.func.coalesce(Event.venue, "")
    )
    conditions = []
    for word in q.split()[:MAX_SEARCH_WORDS]:
        by_organiser = (
            sa.select(EventOrganiser.event_id)
            .join(Organisation, Organisation.id == EventOrganiser.organisation_id)
            .where(matches(Organisation.name, word))
        )
        by_text = sa.or_(
            Event.search_text.contains(fold(word), autoescape=True),
            sa.and_(Event.search_text.is_(None), matches(text, word)),
        )
        conditions.append(sa.or_(by_text, Event.id.in_(by_organiser)))
    return sa.and_(sa.true(), *conditions)


def _visible(past: bool, now: datetime) -> sa.ColumnElement[bool]:
    if past:
        return sa.and_(Event.status == EventStatus.PUBLISHED, Event.ends_at < now)
    return sa.and_(
        Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]), Event.ends_at >= now
    )


def public_events(
    filters: Filters = Filters(),
    *,
    past: bool = False,
    organisation: Organisation | None = None,
    now: datetime | None = None,
) -> sa.Select:
    """Upcoming events soonest first, or past ones most recent first, with what a card shows."""
    query = sa.select(Event).where(_visible(past, now or utcnow())).options(CARD_LOAD)
    if organisation is not None:
        query = query.where(
            Event.id.in_(
                sa.select(EventOrganiser.event_id).where(
                    EventOrganiser.organisation_id == organisation.id
                )
            )
        )
    if filters.city:
        query = query.where(Event.city == filters.city)
    if filters.kind:
        query = query.where(Event.kind == EventKind(filters.kind))
    if filters.audience:
        # An event for everyone is also for students, job seekers …
        wanted = {Audience(filters.audience), Audience.EVERYONE}
        for_them = sa.select(EventAudience.event_id).where(EventAudience.audience.in_(wanted))
        query = query.where(Event.id.in_(for_them))
    if filters.month:
        start, end = _month_bounds(filters.month)
        query = query.where(Event.starts_at >= start, Event.starts_at < end)
    if filters.q:
        query = query.where(_search(filters.q))
    if past:
        return query.order_by(Event.starts_at.desc(), Event.id.desc())
    return query.order_by(Event.starts_at, Event.id)


def _local_month(column: sa.ColumnElement) -> sa.ColumnElement[str]:
    """An instant's YYYY-MM in the display zone, computed by the database."""
    zone = _zone()
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone(zone.key, column), "YYYY-MM")
    # SQLite knows no time zones: its standard offset is right but for events starting in the
    # first hour of a month in summer time (the month filter itself is exact).
    hours = int(zone.utcoffset(datetime(2001, 1, 1)).total_seconds() // 3600)
    return sa.func.strftime("%Y-%m", column, f"{hours:+d} hours")


@dataclass
class Choices:
    cities: list[str]
    months: list[str]


def filter_choices(
    filters: Filters, *, past: bool = False, now: datetime | None = None
) -> Choices:
    """The cities and months that have events to show (one query for both), plus the ones
    asked for, so that the form always shows what is filtered on."""
    month = _local_month(Event.starts_at)
    visible = _visible(past, now or utcnow())
    rows = db.session.execute(
        sa.select(Event.city, month).where(visible).group_by(Event.city, month)
    ).all()
    cities = {city for city, _ in rows} | ({filters.city} if filters.city else set())
    months = {m for _, m in rows} | ({filters.month} if filters.month else set())
    return Choices(cities=sorted(cities, key=fold), months=sorted(months, reverse=past))


def seats_left_by_event(events: list[Event]) -> dict[int, int | None]:
    """Seats left per event (None: no limit), in one query for a page of events."""
    taken = seats_taken(e.id for e in events)
    return {e.id: seats_left(e, taken[e.id]) for e in events}


def get_by_slug(slug: str, *, related: bool = True) -> Event:
    """The event with what its pages show (agenda, organisers, audiences) loaded, or
    only its own columns (`related=False`) for a path that needs no more."""
    query = sa.select(Event).where(Event.slug == slug)
    if related:
        query = query.options(*PAGE_LOAD)
    event = db.session.scalar(query)
    if event is None:
        raise NotFound(_l("No such event."))
    return event
