"""The events' own questions, asked once on the programme's sign-up form: each answer goes
to the registration for its event."""

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from boostcamp.core.extensions import db
from boostcamp.programmes.models import Programme
from boostcamp.registrations.models import EventQuestion


def questions_of(programme: Programme) -> list[EventQuestion]:
    """Every question of the programme's events, event by event in their order, in one query."""
    order = {event.id: n for n, event in enumerate(programme.events)}
    if not order:
        return []
    found = db.session.scalars(
        sa.select(EventQuestion)
        .where(EventQuestion.event_id.in_(order))
        .order_by(EventQuestion.position, EventQuestion.id)
    ).all()  # fmt: skip
    return sorted(found, key=lambda q: order[q.event_id])  # stable: positions kept per event


def for_event(questions: list[EventQuestion], answers: Mapping[int, Any],
              event_id: int) -> tuple[list[EventQuestion], dict[int, Any]]:  # fmt: skip
    """The event's questions that were answered, and those answers (already checked)."""
    asked = [q for q in questions if q.event_id == event_id and q.id in answers]
    return asked, {q.id: answers[q.id] for q in asked}


def stored(answers: Mapping[int, Any]) -> dict[str, Any]:
    return {str(qid): value for qid, value in answers.items()}


def loaded(answers: Mapping[str, Any] | None) -> dict[int, Any]:
    return {int(qid): value for qid, value in (answers or {}).items() if str(qid).isdigit()}
