"""Series: the next editions of an event made in one go — every N days, weeks or months,
or on a list of dates. Each edition is a draft made by events.editing.duplicate_event
(content, agenda, organisers, capacity and sign-up questions copied; times moved on the
clock of the event's zone, so a 09:30 session stays at 09:30 across a change of summer
time), for staff to review and publish."""

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from boostcamp.core import inputs
from boostcamp.core.labels import Labelled
from boostcamp.core.zones import zone_of
from boostcamp.core.errors import ValidationFailed
from boostcamp.events import editing
from boostcamp.events.models import Event

MAX_EDITIONS = 52
MAX_EVERY = 365


class Unit(Labelled):
    DAYS = "days", _l("days")
    WEEKS = "weeks", _l("weeks")
    MONTHS = "months", _l("months")


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has fewer (31 → 30)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))  # fmt: skip


def every(event: Event, *, step: int, unit: Unit | str, count: int,
          first: datetime | None = None) -> list[datetime]:  # fmt: skip
    """The starts of `count` editions, `step` units apart, from `first` (by default one
    step after this edition), at the same time of day in the event's zone."""
    errors = {}
    if not isinstance(step, int) or isinstance(step, bool) or not 1 <= step <= MAX_EVERY:
        errors["every"] = _l("Between %(min)d and %(max)d.", min=1, max=MAX_EVERY)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_EDITIONS:
        errors["count"] = _l("Between %(min)d and %(max)d.", min=1, max=MAX_EDITIONS)
    try:
        unit = Unit(unit)
    except ValueError:
        errors["unit"] = _l("Days, weeks or months.")
    if errors:
        raise ValidationFailed(errors)
    zone = zone_of(event)
    origin = (first or event.starts_at).astimezone(zone)
    offset = 0 if first is not None else 1
    starts = []
    for n in range(offset, offset + count):
        k = n * step
        if unit == Unit.MONTHS:
            day = add_months(origin.date(), k)
        else:
            day = origin.date() + timedelta(days=k * (7 if unit == Unit.WEEKS else 1))
        starts.append(_at(day, origin.time().replace(tzinfo=None), zone))
    return starts


DATE_LINE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2}))?$")


def parse_dates(text: str, event: Event) -> list[datetime]:
    """A list of dates, one a line ("2027-04-12" at this edition's time of day, or
    "2027-04-12 09:30"), as instants in the event's zone."""
    zone = zone_of(event)
    default_time = event.starts_at.astimezone(zone).time().replace(tzinfo=None)
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise ValidationFailed({"dates": _l("Give at least one date.")})
    if len(lines) > MAX_EDITIONS:
        raise ValidationFailed({"dates": _l("At most %(n)d editions at once.", n=MAX_EDITIONS)})
    starts = []
    for number, line in enumerate(lines, 1):
        match = DATE_LINE.match(line)
        try:
            if match is None:
                raise ValueError
            y, m, d, hh, mm = match.groups()
            moment = time(int(hh), int(mm)) if hh is not None else default_time
            starts.append(_at(date(int(y), int(m), int(d)), moment, zone))
        except ValueError:
            raise ValidationFailed({"dates": _l(
                "Line %(n)d is not a date such as 2027-04-12 or 2027-04-12 09:30.", n=number)}
            ) from None  # fmt: skip
    return starts


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone).astimezone(timezone.utc)


def check_starts(starts: list[datetime], own_start: datetime) -> None:
    """The next editions' starts (of an event, or of a programme's first event): 1–52 of
    them, each its own and not this edition's, within 2000–2100; else ValidationFailed."""
    if not 1 <= len(starts) <= MAX_EDITIONS:
        raise ValidationFailed({"count": _l("Between %(min)d and %(max)d.", min=1,
                                            max=MAX_EDITIONS)})  # fmt: skip
    if len(set(starts)) != len(starts) or own_start in starts:
        raise ValidationFailed({"dates": _l("Each edition needs a start of its own.")})
    if not all(inputs.in_window(s) for s in starts):
        raise ValidationFailed({"dates": inputs.DATE_MESSAGE})


def create_editions(event: Event, starts: list[datetime], *, user=None) -> list[Event]:
    """One draft per start, in order. Raises ValidationFailed for a count out of 1–52, a
    date given twice, this edition's own start or a date outside 2000–2100."""
    check_starts(starts, event.starts_at)
    return [editing.duplicate_event(event, s, user=user) for s in sorted(starts)]
