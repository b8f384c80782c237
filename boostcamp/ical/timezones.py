"""VTIMEZONE components that every calendar client reads the same way.

icalendar's own Timezone.from_tzinfo() lists each change of offset as values of one RDATE
property, with the onset in the new offset's wall-clock time. Mozilla's ical.js (Thunderbird)
reads only the first value of an RDATE property, so it puts every summer event an hour off.
Here the changes are written as calendar producers usually write them (tzurl.org, Google):
one yearly RRULE per rule ("last Sunday of March"), the onset in the wall-clock time before
the change, as RFC 5545 says; an irregular change gets a sub-component of its own.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

from boostcamp.core.zones import zone_of

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Change:
    at: datetime  # the UTC instant
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool

    @property
    def onset(self) -> datetime:
        """The wall-clock time of the change, before it happens (RFC 5545 §3.6.5)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of `tzid` for times between `first` and `last`."""
    component = Timezone()
    component.add("TZID", tzid)
    for onset, offset_from, offset_to, name, is_dst, rule in _observances(
        tzid, first.year - 1, last.year + 1
    ):
        sub = TimezoneDaylight() if is_dst else TimezoneStandard()
        sub.add("TZNAME", name)
        sub.add("TZOFFSETFROM", offset_from)
        sub.add("TZOFFSETTO", offset_to)
        sub.add("DTSTART", onset)
        if rule:
            sub.add("RRULE", dict(rule))
        component.add_component(sub)
    return component


@lru_cache(maxsize=128)
def _observances(tzid: str, first_year: int, last_year: int) -> tuple:
    """The STANDARD and DAYLIGHT sub-components as (onset, from, to, name, is_dst, rule);
    cached, as scanning a zone takes milliseconds and feeds ask for the same years."""
    zone = zone_of(tzid)
    changes = _changes(zone, first_year, last_year)
    observances = []
    if not any(c.at.year == first_year for c in changes):
        # A zone without summer time (or one that changes rarely): its offset at the start.
        start = datetime(first_year, 1, 1, tzinfo=timezone.utc)
        offset, name, is_dst = _state(zone, start)
        observances.append((start.replace(tzinfo=None), offset, offset, name, is_dst, None))
    groups: dict[tuple, list[_Change]] = {}
    for change in changes:
        key = (change.offset_from, change.offset_to, change.name, change.is_dst)
        groups.setdefault(key, []).append(change)
    for (offset_from, offset_to, name, is_dst), group in groups.items():
        for run in _yearly_runs(group):
            first_change, last_change = run[0], run[-1]
            rule = None
            if len(run) > 1:
                rule = (
                    ("FREQ", "YEARLY"),
                    ("BYMONTH", first_change.onset.month),
                    ("BYDAY", _weekday_rule(run)),
                )
                if last_change.at.year < last_year:  # the rule stopped within the years scanned
                    rule += (("UNTIL", last_change.at),)
            observances.append((first_change.onset, offset_from, offset_to, name, is_dst, rule))
    return tuple(observances)


def _state(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, str, bool]:
    local = instant.astimezone(zone)
    return local.utcoffset(), local.tzname() or "", bool(local.dst())


def _changes(zone: ZoneInfo, first_year: int, last_year: int) -> list[_Change]:
    """Every change of offset or name in those years: a day at a time, then to the second."""
    changes = []
    day = timedelta(days=1)
    instant = datetime(first_year, 1, 1, tzinfo=timezone.utc)
    end = datetime(last_year + 1, 1, 1, tzinfo=timezone.utc)
    state = _state(zone, instant)
    while instant < end:
        following = _state(zone, instant + day)
        if following != state:
            low, high = int(instant.timestamp()), int((instant + day).timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if _state(zone, datetime.fromtimestamp(middle, timezone.utc)) == state:
                    low = middle
                else:
                    high = middle
            at = datetime.fromtimestamp(high, timezone.utc)
            changes.append(_Change(at, state[0], following[0], following[1], following[2]))
            state = following
        instant += day
    return changes


def _weekday_specs(day: date) -> set[str]:
    """How an RRULE may name this day in its month: "2SU" (second Sunday), "-1SU" (last)."""
    weekday = WEEKDAYS[day.weekday()]
    specs = set()
    if day.day <= 28:
        specs.add(f"{(day.day - 1) // 7 + 1}{weekday}")
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        specs.add(f"-1{weekday}")
    return specs


def _weekday_rule(run: list[_Change]) -> str:
    specs = set.intersection(*(_weekday_specs(c.onset.date()) for c in run))
    return next((s for s in specs if s.startswith("-1")), None) or min(specs)


def _yearly_runs(group: list[_Change]) -> list[list[_Change]]:
    """The changes cut into runs that one yearly rule describes: same month, same time, the
    same weekday of the month, one a year."""
    runs: list[list[_Change]] = []
    for change in group:
        run = runs[-1] if runs else None
        if run:
            previous = run[-1].onset
            onset = change.onset
            common = set.intersection(*(_weekday_specs(c.onset.date()) for c in run))
            if (
                onset.year == previous.year + 1
                and onset.month == previous.month
                and onset.time() == previous.time()
                and common & _weekday_specs(onset.date())
            ):
                run.append(change)
                continue
        runs.append([change])
    return runs
