"""Events in the past with an agenda, and people checked in to some of their sessions."""

from datetime import date, timedelta

from boostcamp.events.models import EventKind
from boostcamp.extensions import db
from tests.factories import at, make_check_in, make_event, make_person, make_registration


def past_event(day: date, kind=EventKind.TRAINING, sessions: int = 2, **kw):
    """An event starting on `day` with one session a day (0: no agenda)."""
    days = [day + timedelta(days=i) for i in range(sessions)]
    return make_event(
        starts_at=at(day.year, day.month, day.day, 9),
        days=max(sessions, 1),
        kind=kind,
        sessions=[(f"Jour {i + 1}", at(d.year, d.month, d.day, 9), at(d.year, d.month, d.day, 17))
                  for i, d in enumerate(days)],
        **kw,
    )  # fmt: skip


def attend(event, person=None, sessions: int | None = None, **registration):
    """`person` registers and is checked in to the first `sessions` sessions (all by default;
    the event as a whole when it has no agenda). Returns the person."""
    person = person or make_person()
    registration = make_registration(event, person, **registration)
    if not event.sessions:
        make_check_in(registration)
    for session in event.sessions[: len(event.sessions) if sessions is None else sessions]:
        make_check_in(registration, session)
    db.session.commit()
    return person
