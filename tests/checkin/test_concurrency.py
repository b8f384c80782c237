"""Two devices scanning the same person at the same instant, against a real server (gunicorn,
several processes and threads; the `served` fixture of the sign-up's concurrency test), on
SQLite and PostgreSQL: one attendance, the other scan a duplicate, nobody sees an error."""

import http.client
import json
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from boostcamp.checkin.models import CheckIn
from boostcamp.core.extensions import db
from tests.api.helpers import make_token
from tests.factories import make_event, make_org, make_registration

DEVICES = 4  # scanning each person at once
PEOPLE = 5


def post_json(port: int, path: str, secret: str, body: dict) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("POST", path, json.dumps(body), {
        "Content-Type": "application/json", "Authorization": f"Bearer {secret}"})  # fmt: skip
    response = conn.getresponse()
    answer = json.loads(response.read() or b"{}")
    conn.close()
    return response.status, answer


# Slow by design (> 5 s on a busy machine): gunicorn serves scans sent at once.
def test_the_same_person_scanned_by_several_devices_at_once(served):
    partner = make_org()
    event = make_event(partner, sessions=[])
    people = [make_registration(event) for _ in range(PEOPLE)]
    tickets, registration_ids = [r.ticket_code for r in people], [r.id for r in people]
    secret = make_token(partner)
    post_json(served, "/api/v1/checkins", secret, {})  # notes the token's use first
    slug, ids = event.slug, list(range(PEOPLE * DEVICES))
    barrier = threading.Barrier(len(ids))

    def scan(n):
        body = {"event": slug, "ticket": tickets[n % PEOPLE], "nonce": f"device-{n}"}
        barrier.wait()
        return post_json(served, "/api/v1/checkins", secret, body)

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        answers = list(pool.map(scan, ids))
    assert {status for status, _ in answers} == {200}, answers
    assert Counter(a["result"] for _, a in answers) == {
        "ok": PEOPLE, "already_checked_in": PEOPLE * (DEVICES - 1)}  # fmt: skip
    db.session.rollback()
    counted = db.session.execute(
        sa.select(CheckIn.registration_id, CheckIn.counted, sa.func.count())
        .where(CheckIn.registration_id.in_(registration_ids))
        .group_by(CheckIn.registration_id, CheckIn.counted)
    ).all()
    assert sorted(n for _, was_counted, n in counted if was_counted) == [1] * PEOPLE
    assert sorted(n for _, was_counted, n in counted if not was_counted) == [DEVICES - 1] * PEOPLE


# Slow by design (> 5 s on a busy machine): gunicorn serves scans sent at once.
def test_the_same_upload_twice_at_once_is_saved_once(served):
    partner = make_org()
    event = make_event(partner, sessions=[])
    registration = make_registration(event)
    ticket, slug, registration_id = registration.ticket_code, event.slug, registration.id
    secret = make_token(partner)
    post_json(served, "/api/v1/checkins", secret, {})
    barrier = threading.Barrier(6)

    def upload(_):
        barrier.wait()
        return post_json(served, "/api/v1/checkins", secret,
                         {"event": slug, "ticket": ticket, "nonce": "offline-42"})  # fmt: skip

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(upload, range(6)))
    assert [(s, a["result"]) for s, a in answers] == [(200, "ok")] * 6
    assert sum(not a["replayed"] for _, a in answers) == 1
    db.session.rollback()
    assert db.session.scalar(
        sa.select(sa.func.count()).where(CheckIn.registration_id == registration_id)
    ) == 1
