"""The worker's periodic job for programmes (`flask mail work` runs it on every pass): the
programmes' waiting lists move as seats free up (waiting.py). Each programme is handled in
a transaction of its own that starts with its events' locks."""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from boostcamp.events.models import EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes import waiting
from boostcamp.programmes.models import Programme, ProgrammeRegistration
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status
from boostcamp.core.periodic import periodic


@periodic
def promote_programme_waiting_lists(now: datetime) -> int:
    programme_ids = db.session.scalars(
        sa.select(ProgrammeRegistration.programme_id)
        .join(Programme, Programme.id == ProgrammeRegistration.programme_id)
        .where(ProgrammeRegistration.status == Status.WAITLISTED,
               Programme.status == EventStatus.PUBLISHED)
        .distinct()
    ).all()  # fmt: skip
    db.session.rollback()  # only read: each programme's transaction starts with its locks
    promoted = 0
    for programme_id in programme_ids:
        try:
            programme = db.session.get(Programme, programme_id)
            if programme is not None:
                promoted += len(waiting.promote(programme, now))
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("programme waiting list failed for %s", programme_id)
    return promoted
