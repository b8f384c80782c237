"""Many people signing up at once, against a real server: gunicorn with several worker
processes and threads, the real app with its CSRF protection, on SQLite and PostgreSQL.
No seat is given twice, nobody is registered twice, nobody sees an error."""

import contextlib
import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bench.serving import Visitor, gunicorn
from boostcamp.extensions import db
from boostcamp.registrations.models import Person, Registration
from tests.conftest import make_app, migrate_to_head, postgres_schema
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


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """A migrated database of its own, an app context on it, and gunicorn serving it; the
    tests of this module share it, each with events and addresses of its own."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        schema = contextlib.nullcontext(url)
    else:
        schema = postgres_schema()
    with schema as url:
        migrate_to_head(make_app(url))
        app = make_app(url)
        env = {
            **os.environ,
            "FLASK_SQLALCHEMY_DATABASE_URI": url,
            "FLASK_SECRET_KEY": "concurrency-test",
            "FLASK_RATELIMIT_ENABLED": "false",
        }
        # The app as deployed (wsgi:app): 4 worker processes of 4 threads each.
        server = gunicorn("wsgi:app", env, tmp_path / "gunicorn.log", workers=4, threads=4,
                          preload=True)  # fmt: skip
        with app.app_context(), server as port:
            yield port
            db.session.remove()
            db.engine.dispose()


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
