"""Check-in operations: shared by the check-in screen, its offline sync, the API and the CLI."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from boostcamp.checkin.models import CheckIn, CheckInKind
from boostcamp.events.models import Event
from boostcamp.extensions import db
from boostcamp.registrations.models import Registration


def attendance_query() -> sa.Select:
    """(registration_id, session_id) of every attendance that stands: a counted entry that no
    undo took back. session_id is None for an event without an agenda. Reports, attendance
    lists and the outcomes' attribution rule all count from here."""
    undo = aliased(CheckIn)
    return sa.select(CheckIn.registration_id, CheckIn.session_id).where(
        CheckIn.kind == CheckInKind.ENTRY,
        CheckIn.counted.is_(True),
        ~sa.exists().where(undo.undoes_id == CheckIn.id),
    )


def attendance_rates(event: Event) -> dict[int, float]:
    """Each registration's share of the event's sessions attended (0.0–1.0), for those who
    came at least once. An event without an agenda counts as one session."""
    total = len(event.sessions) or 1
    attended = attendance_query().subquery()
    sessions_attended = sa.func.count(sa.distinct(sa.func.coalesce(attended.c.session_id, 0)))
    rows = db.session.execute(
        sa.select(Registration.id, sessions_attended)
        .join(attended, attended.c.registration_id == Registration.id)
        .where(Registration.event_id == event.id)
        .group_by(Registration.id)
    ).all()
    return {registration_id: min(n / total, 1.0) for registration_id, n in rows}
