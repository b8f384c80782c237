"""Finding programmes: the public list, the staff's list, one programme by its address, and the
seats left at its events.
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from boostcamp.core.text import fold
from boostcamp.core.db import utcnow
from boostcamp.core.errors import NotFound
from boostcamp.events.models import Event, EventOrganiser, EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes.models import Programme, ProgrammeEvent, ProgrammeOrganiser
from boostcamp.events import queries


PER_PAGE = 12  # public list
# What a list of programmes shows, loaded with them in a fixed number of queries.
LIST_LOAD = (
    selectinload(Programme.organisers).joinedload(ProgrammeOrganiser.organisation),
    selectinload(Programme.steps).joinedload(ProgrammeEvent.event)
    .selectinload(Event.organisers).joinedload(EventOrganiser.organisation),
)  # fmt: skip
PAGE_LOAD = (
    *LIST_LOAD,
    selectinload(Programme.steps).joinedload(ProgrammeEvent.event).selectinload(Event.sessions),
)


def get_by_slug(slug: str) -> Programme:
    programme = db.session.scalar(
        sa.select(Programme).where(Programme.slug == slug).options(*PAGE_LOAD)
    )
    if programme is None:
        raise NotFound(_l("No such programme."))
    return programme


def _first_start() -> sa.ScalarSelect:
    return _over_events(sa.func.min(Event.starts_at))


def _last_end() -> sa.ScalarSelect:
    return _over_events(sa.func.max(Event.ends_at))


def _over_events(aggregate) -> sa.ScalarSelect:
    """Per programme (correlated): `aggregate` over its events."""
    return (
        sa.select(aggregate)
        .join(ProgrammeEvent, ProgrammeEvent.event_id == Event.id)
        .where(ProgrammeEvent.programme_id == Programme.id)
        .scalar_subquery()
    )


def public_programmes(now: datetime | None = None, words: Sequence[str] = ()) -> sa.Select:
    """Published (or cancelled) programmes not over yet, the soonest first; with `words`,
    those whose title or summary in any language holds each word (accents and case aside)."""
    now = now or utcnow()
    return (
        sa.select(Programme)
        .where(Programme.status != EventStatus.DRAFT, _last_end() >= now,
               *(Programme.search_text.contains(fold(w), autoescape=True) for w in words[:10]))
        .options(*LIST_LOAD)
        .order_by(_first_start(), Programme.id)
    )  # fmt: skip


def programmes_query(condition: sa.ColumnElement[bool]) -> sa.Select:
    """Programmes for the staff pages (`condition`: the permission's WHERE clause)."""
    return (
        sa.select(Programme)
        .where(condition)
        .options(*LIST_LOAD)
        .order_by(_first_start().desc().nulls_first(), Programme.id.desc())
    )


def seats_left(programme: Programme) -> dict[int, int | None]:
    return queries.seats_left_by_event(programme.events)
