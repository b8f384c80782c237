"""Check-in operations: shared by the check-in screen, its offline sync, the API and the CLI."""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from boostcamp.checkin.models import CheckIn, CheckInKind


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
