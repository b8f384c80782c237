"""Events a programme keeps for its own sign-up: staff may untick "sign-up for this event
alone" for an event of a published programme; the public form and the API then refuse to
register someone for that event on its own (registrations asks through its signal
sign_up_alone), and the event's page points to the programme. Staff and the door still may."""

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.core.texts import Localized
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes.models import Programme, ProgrammeEvent
from boostcamp.registrations import signals


@dataclass(frozen=True)
class Membership:
    """A published programme the event belongs to."""

    programme: Programme
    alone_allowed: bool


def memberships(event: Event) -> list[Membership]:
    rows = db.session.execute(
        sa.select(Programme, ProgrammeEvent.alone_allowed)
        .join(ProgrammeEvent, ProgrammeEvent.programme_id == Programme.id)
        .where(ProgrammeEvent.event_id == event.id, Programme.status == EventStatus.PUBLISHED)
        .order_by(Programme.id)
    ).all()  # fmt: skip
    return [Membership(programme, allowed) for programme, allowed in rows]


@functools.cache
def _keeping_statement():
    """The first published programme that keeps the event for its own sign-up: asked on
    every public sign-up, so built once per process and answering one id (the programme is
    loaded only when there is one)."""
    return (
        sa.select(ProgrammeEvent.programme_id)
        .join(Programme, ProgrammeEvent.programme_id == Programme.id)
        .where(ProgrammeEvent.event_id == sa.bindparam("event_id"),
               Programme.status == EventStatus.PUBLISHED, ProgrammeEvent.alone_allowed.is_(False))
        .order_by(ProgrammeEvent.programme_id)
        .limit(1)
    )  # fmt: skip


@signals.sign_up_alone.connect
def _refuse_alone(event: Event) -> str | None:
    keeping = db.session.scalar(_keeping_statement(), {"event_id": event.id})
    if keeping is None:
        return None
    return str(_l("“%(event)s” is part of the programme “%(programme)s”: sign up for the "
                  "programme.", event=Localized(event, "title"),
                  programme=Localized(db.session.get(Programme, keeping), "title")))  # fmt: skip
