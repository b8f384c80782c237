"""Time zones: the one place a zone is built. An event's times are shown and typed in its
own zone (`Event.timezone`, Europe/Brussels unless chosen otherwise); what belongs to no
event (the catalogue's months, the impact's days) is in the centre's, BABEL_DEFAULT_TIMEZONE."""

from datetime import date, datetime, timezone
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_ZONE = "Europe/Brussels"
# What the staff's event form offers: the centre's neighbours first, then places where
# partners have run events; an event with another zone (set through the API) keeps it.
ZONE_CHOICES = (
    "Europe/Brussels", "Europe/Paris", "Europe/Luxembourg", "Europe/Amsterdam",
    "Europe/Berlin", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid",
    "Europe/Rome", "Europe/Zurich", "Europe/Warsaw", "Europe/Athens", "Europe/Helsinki",
    "Africa/Casablanca", "Africa/Dakar", "Africa/Kinshasa", "America/Montreal",
    "America/New_York", "UTC",
)  # fmt: skip


def centre_zone_name() -> str:
    if has_app_context():
        return current_app.config.get("BABEL_DEFAULT_TIMEZONE") or DEFAULT_ZONE
    return DEFAULT_ZONE


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_name(where: Any = None) -> str:
    """The zone's name for an event (anything with `.timezone`), a name, or None (the
    centre's)."""
    if where is None:
        return centre_zone_name()
    if isinstance(where, ZoneInfo):
        return where.key
    if not isinstance(where, str):
        where = getattr(where, "timezone", None)
    return where or centre_zone_name()


def zone_of(where: Any = None) -> ZoneInfo:
    """The zone of an event, of a zone's name, or the centre's (None)."""
    if isinstance(where, ZoneInfo):
        return where
    return _zone(zone_name(where))


def is_zone(name: Any) -> bool:
    """A zone's IANA name that this machine knows ("Europe/London"), nothing else."""
    if not isinstance(name, str) or not name or len(name) > 64:
        return False
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError, OSError):
        return False
    return True


def _now() -> datetime:
    return datetime.now(timezone.utc)


def today_in(where: Any = None) -> date:
    """Today in a zone (zone_of: an event's, a zone's name, the centre's), not on the
    server's clock (UTC on most servers)."""
    return _now().astimezone(zone_of(where)).date()


def centre_today() -> date:
    """Today at the centre: from midnight to one or two in the morning in Brussels, the
    server's date is still yesterday's, and a date typed or answered today read as "in the
    future"."""
    return today_in()
