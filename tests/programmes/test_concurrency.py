"""Many people signing up for a programme at once — and others for one of its events alone —
against gunicorn (4 processes × 4 threads) on SQLite and PostgreSQL: no event gets more
people than its seats, and each programme sign-up has a seat at every event or at none."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa

from bench.serving import Visitor
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.programmes.models import ProgrammeRegistration
from boostcamp.registrations.models import Person, Registration
from tests.factories import make_centre, make_event, make_programme


def post_form(port: int, path: str, email: str, barrier: threading.Barrier) -> int:
    visitor = Visitor(port)
    status, page = visitor.request("GET", path)
    assert status == 200, page[-500:]
    barrier.wait()
    return visitor.request("POST", path, {
        "csrf_token": visitor.csrf_token, "first_name": "Léa", "last_name": "Martin",
        "email": email, "profile": "job_seeker", "consent": "y",
    })[0]  # fmt: skip


# Slow by design (> 5 s on a busy machine): gunicorn serves requests sent at once.
def test_programme_sign_ups_at_once_are_all_or_nothing(served):
    start = (utcnow() + timedelta(days=20)).replace(hour=8, minute=0, second=0, microsecond=0)
    centre = make_centre("Centre concurrence")
    # The middle event's 12 seats: the 8 alone take at most 8, so the programme always gets
    # some (it cannot take more than the first event's 6): at least one whole sign-up.
    capacities = (6, 12, 8)
    events = [make_event(host=centre, starts_at=start + timedelta(days=7 * i), capacity=c)
              for i, c in enumerate(capacities)]  # fmt: skip
    programme = make_programme(events, title="Parcours concurrence")
    slug, middle = programme.slug, events[1].slug
    requests = [(f"/programmes/{slug}/register", f"prog{i}@example.be") for i in range(24)]
    requests += [(f"/events/{middle}/register", f"seul{i}@example.be") for i in range(8)]
    barrier = threading.Barrier(len(requests))
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        codes = list(pool.map(lambda r: post_form(served, r[0], r[1], barrier), requests))
    assert Counter(codes) == {302: len(requests)}  # no error page for anyone

    db.session.rollback()
    confirmed = dict(db.session.execute(
        sa.select(Registration.event_id, sa.func.count())
        .where(Registration.event_id.in_([e.id for e in events]),
               Registration.status == "confirmed")
        .group_by(Registration.event_id)).all())  # fmt: skip
    for event, capacity in zip(events, capacities):
        assert confirmed.get(event.id, 0) <= capacity
    assert confirmed[events[1].id] == 12  # 6 + 8 at least wanted its 12 seats
    entries = db.session.scalars(
        sa.select(ProgrammeRegistration).where(ProgrammeRegistration.programme_id == programme.id)
    ).all()
    assert len(entries) == 24
    held = Counter(db.session.scalars(
        sa.select(Registration.person_id).where(
            Registration.event_id.in_([e.id for e in events]), Registration.status == "confirmed",
            Registration.person_id.in_([e.person_id for e in entries]))))  # fmt: skip
    for entry in entries:
        # all or nothing: confirmed → a seat at each event; waiting → at none
        assert held[entry.person_id] == (3 if entry.status.value == "confirmed" else 0), entry.status
    assert sum(e.status.value == "confirmed" for e in entries) >= 1
    assert db.session.scalar(sa.select(sa.func.count(Person.id)).where(
        Person.email.like("prog%@example.be"))) == 24  # fmt: skip


def leave(port: int, path: str, barrier: threading.Barrier) -> int:
    visitor = Visitor(port)
    status, page = visitor.request("GET", path)
    assert status == 200, page[-500:]
    barrier.wait()
    return visitor.request("POST", f"{path}/cancel", {"csrf_token": visitor.csrf_token})[0]


# Slow by design (> 5 s on a busy machine): gunicorn serves requests sent at once.
def test_people_leaving_while_others_sign_up_hand_their_seats_to_the_queue_whole(served):
    """Three people leave the programme while eight sign up and four register for its first
    event alone: the freed seats go to the first three of the programme's waiting list, each
    with a seat at every event, and nobody holds part of the programme."""
    from itsdangerous import URLSafeSerializer

    from boostcamp.programmes import enrolment
    from boostcamp.programmes.tokens import SALT
    from boostcamp.registrations.signup import SignUp

    start = (utcnow() + timedelta(days=30)).replace(hour=8, minute=0, second=0, microsecond=0)
    centre = make_centre("Centre départs")
    capacities = (20, 3, 20)
    events = [make_event(host=centre, starts_at=start + timedelta(days=7 * i), capacity=c)
              for i, c in enumerate(capacities)]  # fmt: skip
    programme = make_programme(events, title="Parcours départs")
    entries = [enrolment.sign_up(programme, SignUp(email=f"dep{i}@example.be", first_name="A",
                                                  last_name="B", consent=True)).programme_registration
               for i in range(3 + 5)]  # fmt: skip
    db.session.commit()
    leaving, queue = entries[:3], entries[3:]
    assert {e.status.value for e in leaving} == {"confirmed"}
    assert {e.status.value for e in queue} == {"waitlisted"}
    signer = URLSafeSerializer("concurrency-test", salt=SALT)
    slug = programme.slug
    jobs = [("leave", f"/programmes/{slug}/p/{signer.dumps(e.id)}", None) for e in leaving]
    jobs += [("form", f"/programmes/{slug}/register", f"arr{i}@example.be") for i in range(8)]
    jobs += [("form", f"/events/{events[0].slug}/register", f"solo{i}@example.be")
             for i in range(4)]  # fmt: skip
    barrier = threading.Barrier(len(jobs))

    def run(job):
        kind, path, email = job
        return leave(served, path, barrier) if kind == "leave" else post_form(
            served, path, email, barrier)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        codes = list(pool.map(run, jobs))
    assert Counter(codes) == {302: len(jobs)}

    db.session.rollback()
    confirmed = Counter(db.session.scalars(
        sa.select(Registration.event_id).where(Registration.event_id.in_([e.id for e in events]),
                                               Registration.status == "confirmed")))  # fmt: skip
    for event, capacity in zip(events, capacities):
        assert confirmed[event.id] <= capacity
    assert confirmed[events[1].id] == 3
    rows = db.session.scalars(
        sa.select(ProgrammeRegistration).where(ProgrammeRegistration.programme_id == programme.id)
    ).all()
    by_status = Counter(r.status.value for r in rows)
    assert by_status == {"cancelled": 3, "confirmed": 3, "waitlisted": 5 - 3 + 8}
    # the first three of the queue, in order, got the seats
    promoted = sorted(r.id for r in rows if r.status.value == "confirmed")
    assert promoted == [e.id for e in queue[:3]]
    held = Counter(db.session.scalars(
        sa.select(Registration.person_id).where(
            Registration.event_id.in_([e.id for e in events]), Registration.status == "confirmed",
            Registration.person_id.in_([r.person_id for r in rows]))))  # fmt: skip
    for row in rows:
        assert held[row.person_id] == (3 if row.status.value == "confirmed" else 0), row.status
