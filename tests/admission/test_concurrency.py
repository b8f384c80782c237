"""Decisions at the same instant against a real server (gunicorn, several processes and
threads; the `served` fixture of the sign-up's concurrency test), on SQLite and PostgreSQL:
accepting never gives more seats than the capacity, and a bulk decision is all or nothing."""

import http.client
import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from bench.serving import Visitor
from boostcamp.auth.models import StaffRole
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration, RegistrationStatus
from tests.api.helpers import make_token
from tests.factories import PASSWORD, make_event, make_org, make_registration, make_user


def post_json(port: int, path: str, secret: str, body: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, json.dumps(body), {
        "Content-Type": "application/json", "Authorization": f"Bearer {secret}"})  # fmt: skip
    response = conn.getresponse()
    answer = json.loads(response.read() or b"{}")
    conn.close()
    return response.status, answer


def confirmed(event_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED))


def test_twenty_accepts_at_once_for_five_seats(served):
    partner = make_org()
    event = make_event(co_organisers=[partner], capacity=5, admission="application")
    ids = [make_registration(event, status=RegistrationStatus.APPLIED).id for _ in range(20)]
    secret = make_token(partner)
    post_json(served, "/api/v1/checkins", secret, {})  # notes the token's use first
    slug, event_id = event.slug, event.id
    barrier = threading.Barrier(len(ids))

    def accept(registration_id):
        barrier.wait()
        return post_json(served, f"/api/v1/events/{slug}/registrations/{registration_id}/decision",
                         secret, {"decision": "accept"})  # fmt: skip

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        answers = list(pool.map(accept, ids))
    assert Counter(status for status, _ in answers) == {200: 5, 409: 15}, answers
    assert {a["error"] for status, a in answers if status == 409} == {"capacity"}
    assert confirmed(event_id) == 5


class Staff(Visitor):
    def sign_in(self, email: str) -> None:
        self.request("GET", "/auth/login")
        status, page = self.request("POST", "/auth/login", {
            "csrf_token": self.csrf_token, "email": email, "password": PASSWORD})  # fmt: skip
        assert status == 302, page[-500:]


def test_bulk_accepts_at_once_are_all_or_nothing(served):
    event = make_event(capacity=4, admission="application")
    groups = [[make_registration(event, status=RegistrationStatus.APPLIED).id for _ in range(3)]
              for _ in range(4)]  # fmt: skip
    users = [make_user(f"jury{n}-{event.id}@mic.test", role=StaffRole.STAFF).email for n in range(4)]
    slug, event_id = event.slug, event.id
    barrier = threading.Barrier(len(groups))

    def bulk(n):
        staff = Staff(served)
        staff.sign_in(users[n])
        staff.request("GET", f"/staff/events/{slug}/applications")
        barrier.wait()
        form = [("csrf_token", staff.csrf_token), ("decision", "accept"),
                *(("ids", registration_id) for registration_id in groups[n])]  # fmt: skip
        status, _ = staff.request("POST", f"/staff/events/{slug}/applications/decide", form)
        return status

    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        codes = list(pool.map(bulk, range(len(groups))))
    assert codes == [302] * len(groups)  # every one back to the list, with its message
    db.session.rollback()
    taken = [
        sorted(db.session.scalars(sa.select(Registration.status).where(Registration.id.in_(group))))
        for group in groups
    ]
    # Exactly one group got its three seats; the others got none at all.
    assert sorted(len(set(t)) == 1 and t[0] == RegistrationStatus.CONFIRMED for t in taken) == [
        False, False, False, True]
    assert confirmed(event_id) == 3
