"""Many people signing up at once, against a real server: gunicorn with several worker
processes and threads, the real app with its CSRF protection, on SQLite and PostgreSQL.
No seat is given twice, nobody is registered twice, nobody sees an error."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from bench.serving import Visitor
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person, Registration
from tests.factories import make_event


class Participant(Visitor):
    def sign_up(self, slug: str, email: str) -> int:
        status, page = self.request("GET", f"/events/{slug}/register")
        assert status == 200, page[-500:]
        status, _ = self.request("POST", f"/events/{slug}/register", {
            "csrf_token": self.csrf_token, "first_name": "Marie", "last_name": "Dupont",
            "email": email, "profile": "student", "consent": "y",
        })  # fmt: skip
        return status


# Slow by design (> 5 s on a busy machine): gunicorn serves requests sent at once.
def test_200_sign_ups_for_20_seats(served):
    event = make_event(capacity=20)
    slug = event.slug  # the threads have no app context to load it in
    emails = [f"person{i}@example.be" for i in range(200)]
    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(lambda email: Participant(served).sign_up(slug, email), emails))
    assert Counter(codes) == {302: 200}  # every one redirected to its result; no error
    db.session.rollback()
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count(), sa.func.count(sa.distinct(Registration.person_id)))
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    assert {status.value: (n, people) for status, n, people in rows} == {
        "confirmed": (20, 20), "waitlisted": (180, 180)}
    assert db.session.scalar(sa.select(sa.func.count(Person.id)).where(Person.email.in_(emails))) == 200


# Slow by design (> 5 s on a busy machine): gunicorn serves requests sent at once.
def test_the_same_new_address_at_once_for_two_events_makes_one_person(served):
    first, second = make_event(capacity=5), make_event(capacity=5)
    slugs = [first.slug, second.slug] * 10
    barrier = threading.Barrier(len(slugs))

    def sign_up(slug):
        visitor = Visitor(served)
        status, page = visitor.request("GET", f"/events/{slug}/register")
        barrier.wait()
        return visitor.request("POST", f"/events/{slug}/register", {
            "csrf_token": visitor.csrf_token, "first_name": "Nouveau", "last_name": "Venu",
            "email": "nouveau@example.be", "profile": "other", "consent": "y",
        })[0]  # fmt: skip

    with ThreadPoolExecutor(max_workers=len(slugs)) as pool:
        codes = list(pool.map(sign_up, slugs))
    assert Counter(codes) == {302: 20}
    db.session.rollback()
    person = db.session.scalars(sa.select(Person).where(Person.email == "nouveau@example.be")).one()
    assert sorted(r.event_id for r in person.registrations) == sorted([first.id, second.id])


# Slow by design (> 5 s on a busy machine): gunicorn serves requests sent at once.
def test_clicks_at_once_on_create_my_calendar_address_make_one_address(served):
    from itsdangerous import URLSafeSerializer

    from boostcamp.ical.models import CalendarFeed
    from boostcamp.registrations.tokens import SALT
    from tests.factories import make_person, make_registration

    # An address of its own: the module's database already has person0… from the sign-ups.
    registration = make_registration(make_event(), make_person("calendrier@example.be"))
    person_id = registration.person_id
    # The served app's key (the test's own app has another).
    manage = "/r/" + URLSafeSerializer("concurrency-test", salt=SALT).dumps(registration.id)
    barrier = threading.Barrier(6)

    def click(_):
        visitor = Visitor(served)
        assert visitor.request("GET", manage)[0] == 200
        barrier.wait()
        return visitor.request("POST", f"{manage}/calendar/new", {"csrf_token": visitor.csrf_token})

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(click, range(6)))
    assert [status for status, _ in answers] == [302] * 6, answers
    db.session.rollback()
    feeds = db.session.scalars(sa.select(CalendarFeed).where(CalendarFeed.person_id == person_id)).all()
    assert [feed.revoked_at for feed in feeds] == [None]
