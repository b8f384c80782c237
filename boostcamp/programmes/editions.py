"""The next editions of a whole programme, made in one go: every N days, weeks or months,
or on a list of dates (series.py computes the starts of its first event). Each edition is a
draft programme over draft copies of its events (events.editing.duplicate_event: content,
agenda, organisers, capacity, admission mode and questions), every event moved by the same
shift on the wall clock of its zone — a 09:30 session stays at 09:30 in Brussels across a
change of summer time — with the programme's texts, rule and organisers copied, and the
same events kept for the programme's sign-up. Staff review and publish each one."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from boostcamp.core import inputs
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.editing import duplicate_event
from boostcamp.events.models import Event
from boostcamp.programmes import editing
from boostcamp.programmes.models import Programme
from boostcamp.programmes.series import check_starts


def _wall(moment: datetime, event: Event) -> datetime:
    return moment.astimezone(event.zone).replace(tzinfo=None)


def first_event(programme: Programme) -> Event:
    found = programme.events
    if not found:
        raise ValidationFailed({"events": _l("The programme has no events to copy.")})
    return found[0]


def create_editions(programme: Programme, starts: list[datetime], *, user=None) -> list[Programme]:
    """One draft programme per start of its first event, in order. Raises ValidationFailed for
    a count out of 1–52, a start given twice or equal to this edition's, or out of 2000–2100."""
    first = first_event(programme)
    check_starts(starts, first.starts_at)
    return [_edition(programme, first, start, user) for start in sorted(starts)]


def _edition(programme: Programme, first: Event, start: datetime, user) -> Programme:
    delta = _wall(start, first) - _wall(first.starts_at, first)
    kept = {s.event_id for s in programme.steps if not s.alone_allowed}
    copies, kept_copies = [], []
    for event in programme.events:
        moved = (_wall(event.starts_at, event) + delta).replace(tzinfo=event.zone)
        if not inputs.in_window(moved):
            raise ValidationFailed({"dates": inputs.DATE_MESSAGE})
        copy = duplicate_event(event, moved, user=user)
        copies.append(copy)
        if event.id in kept:
            kept_copies.append(copy)
    fields: dict[str, Any] = {f: getattr(programme, f) for f in editing.EDITABLE_FIELDS}
    return editing.create_programme(
        host=programme.host, co_organisers=programme.co_organisers, events=copies,
        kept_events=kept_copies, user=user, **fields,
    )  # fmt: skip
