"""Events in the past with an agenda, and people checked in to some of their sessions."""

from datetime import date, timedelta

from boostcamp.events.models import Audience, EventKind
from boostcamp.core.extensions import db
from tests.factories import (
    at,
    make_centre,
    make_certification,
    make_check_in,
    make_event,
    make_jobs_snapshot,
    make_org,
    make_person,
    make_registration,
    make_startup,
)

PERIOD = (date(2010, 1, 1), date(2010, 12, 31))


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


def world():
    """Two partners' events in 2010, a start-up and a certification credited to each, one
    start-up credited to nobody; a participant who is a job seeker."""
    centre = make_centre()
    a, b = make_org("Partner A", city="Louvain-la-Neuve"), make_org("Partner B", city="Namur")
    of_a = past_event(date(2010, 3, 1), kind=EventKind.BOOSTCAMP, host=centre, co_organisers=[a],
                      city="Louvain-la-Neuve", audiences=[Audience.ENTREPRENEURS])  # fmt: skip
    of_b = past_event(date(2010, 4, 12), kind=EventKind.TRAINING, host=centre, co_organisers=[b],
                      city="Namur", audiences=[Audience.JOB_SEEKERS])  # fmt: skip
    founder_a, founder_b = attend(of_a), attend(of_b, profile="job_seeker")
    make_registration(of_a, make_person())  # registered, never came
    startup_a = make_startup("Alpha", founders=[founder_a], founded_on=date(2010, 9, 1))
    startup_b = make_startup("Beta", founders=[founder_b], founded_on=date(2010, 10, 1))
    make_startup("Gamma", founders=[make_person()], founded_on=date(2010, 5, 1))  # no credit
    make_jobs_snapshot(startup_a, date(2010, 9, 1), 2, 2)
    make_jobs_snapshot(startup_a, date(2010, 12, 1), 5, "4.5")
    make_jobs_snapshot(startup_a, date(2011, 3, 1), 9, 9)  # after the period: not counted
    make_jobs_snapshot(startup_b, date(2010, 10, 1), 3, "2.5")
    cert_b = make_certification(founder_b, obtained_on=date(2010, 6, 1))
    make_certification(make_person(), obtained_on=date(2010, 6, 1))  # no training: no credit
    return dict(centre=centre, a=a, b=b, of_a=of_a, of_b=of_b, startup_a=startup_a,
                startup_b=startup_b, cert_b=cert_b, founder_a=founder_a,
                founder_b=founder_b)  # fmt: skip
