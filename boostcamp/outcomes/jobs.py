"""The worker's periodic job for outcomes (`flask mail work` runs it on every pass): the
follow-up surveys that are due. Each event's surveys are a transaction of their own. (The
jobs a start-up created are records: records.models.JobsSnapshot.)"""

from datetime import datetime

from flask import current_app
from sqlalchemy.exc import IntegrityError

from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.outcomes.surveys import services as surveys
from boostcamp.core.periodic import periodic


@periodic
def send_followup_surveys(now: datetime) -> int:
    due = surveys.due_events(now)
    db.session.rollback()
    sent = 0
    for event_id, months in due:
        try:
            event = db.session.get(Event, event_id)
            count = surveys.send_surveys(event, months, now) if event else 0
            db.session.commit()
        except IntegrityError:
            # Another worker sent this event's surveys at the same time: its rows stand.
            db.session.rollback()
        except Exception:
            db.session.rollback()
            current_app.logger.exception("follow-up surveys failed for event %s", event_id)
        else:
            sent += count
    return sent
