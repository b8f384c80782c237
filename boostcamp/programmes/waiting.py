"""The programme's waiting list moves on its own: once every event of the programme has a
seat for the first person waiting (after the events' own waiting lists have been offered
theirs), that person is registered for all of them at once — all or nothing, as at sign-up —
and told by mail; then the next one, while seats last. It runs when someone leaves the
programme (in the same transaction) and in the worker's periodic job (jobs.py), which
catches the seats freed at one event (a single cancellation, a larger capacity).

The person asked for the whole programme and may leave it from the link in the mail, so the
seats are given at once rather than offered for a time (an event's offer stands alone; a
programme's would have to hold a seat at each event until answered)."""

from datetime import datetime

import sqlalchemy as sa

from boostcamp.audit import services as audit
from boostcamp.core.db import utcnow
from boostcamp.events.availability import RegistrationState, registration_state
from boostcamp.core.extensions import db
from boostcamp.programmes import enrolment
from boostcamp.programmes.models import Programme, ProgrammeRegistration
from boostcamp.programmes.models import ProgrammeRegistrationStatus as Status
from boostcamp.registrations import seats
from boostcamp.registrations.models import Registration

# The audit log's name for the seats this list gives, wherever it runs (after someone left,
# or in the worker's job).
WAITING_LIST = audit.Actor.system("programme waiting list")


def waiting(programme: Programme) -> list[ProgrammeRegistration]:
    return list(db.session.scalars(
        sa.select(ProgrammeRegistration)
        .where(ProgrammeRegistration.programme_id == programme.id,
               ProgrammeRegistration.status == Status.WAITLISTED)
        .order_by(ProgrammeRegistration.created_at, ProgrammeRegistration.id)
    ))  # fmt: skip


def promote(programme: Programme, now: datetime | None = None) -> list[ProgrammeRegistration]:
    """Registers the people waiting, first come first served, while each event of the
    programme has a seat for the next one; stops at the first who cannot have them all (the
    queue keeps its order). Raises nothing: a refusal here must not undo the caller's work."""
    now = now or utcnow()
    if enrolment.signup_state(programme, now) or not waiting(programme):
        return []
    events = sorted(programme.events, key=lambda e: e.id)
    for event in events:  # the sign-up's order: two of them never wait for each other
        seats.lock_event(event)
    if any(registration_state(e, now) != RegistrationState.OPEN for e in events):
        return []
    promoted = []
    for entry in waiting(programme):
        held = {
            r.event_id: r
            for r in db.session.scalars(
                sa.select(Registration).where(Registration.person_id == entry.person_id,
                                              Registration.event_id.in_([e.id for e in events]))
            )
        }  # fmt: skip
        if not all(enrolment._holds(held.get(e.id)) or enrolment._has_seat(e, now) for e in events):
            break
        result = enrolment.sign_up(programme, enrolment.given_before(entry), now=now,
                                  answers_required=False, promoted=True,
                                  actor=WAITING_LIST)  # fmt: skip
        if result.outcome != enrolment.Outcome.CONFIRMED:  # cannot happen under the locks
            break
        promoted.append(entry)
    return promoted
