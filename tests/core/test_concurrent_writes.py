"""Every kind of write at once against a real server (gunicorn, several processes and
threads) and a mail worker: public sign-ups, API event creations, check-in scans. On SQLite a
transaction that reads before it writes must take the write lock at BEGIN; otherwise it fails
with "database is locked" as soon as another connection has written. Nobody sees a 5xx."""

import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from boostcamp import ROOT
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage, OutboxStatus
from tests.api.helpers import make_token, new_event
from tests.checkin.test_concurrency import post_json
from tests.factories import make_event, make_org, make_registration
from tests.registrations.test_concurrency import Participant

SECONDS = 4  # of writes of every kind at once: some hundreds of each, overlapping


def mail_worker(url: str, log) -> subprocess.Popen:
    env = {
        **os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url, "FLASK_SECRET_KEY": "concurrency-test",
        "FLASK_SERVER_NAME": "boostcamp.test", "PYTHONUNBUFFERED": "1",
    }  # fmt: skip
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "work", "--interval", "0.1",
               "--batch", "5"]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, seconds: float, step: float = 0.2) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(step)


def printed() -> int:
    db.session.rollback()  # a fresh read
    return db.session.scalar(
        sa.select(sa.func.count()).where(OutboxMessage.status == OutboxStatus.PRINTED)
    )


# Slow by design: every kind of write at once through gunicorn, with a mail worker.
def test_sign_ups_api_writes_check_ins_and_the_mail_worker_at_once(served, tmp_path):
    partner = make_org()
    event = make_event(partner, capacity=1000, sessions=[])
    tickets = [make_registration(event).ticket_code for _ in range(40)]
    secret = make_token(partner)
    slug = event.slug
    post_json(served, "/api/v1/checkins", secret, {})  # notes the token's use first
    url = db.engine.url.render_as_string(hide_password=False)

    def sign_ups(n):
        codes = []
        while time.monotonic() < ends:
            codes.append(Participant(served).sign_up(slug, f"writer{n}-{len(codes)}@example.be"))
        return codes

    def api_events(n):
        codes = []
        while time.monotonic() < ends:
            event = new_event(title=f"Atelier {n}")
            codes.append(post_json(served, "/api/v1/events", secret, event)[0])
        return codes

    def check_ins(n):
        codes = []
        while time.monotonic() < ends:
            body = {"event": slug, "ticket": tickets[(n * 7 + len(codes)) % len(tickets)],
                    "nonce": f"device-{n}-{len(codes)}"}  # fmt: skip
            codes.append(post_json(served, "/api/v1/checkins", secret, body)[0])
        return codes

    jobs = [(sign_ups, n) for n in range(6)] + [(api_events, n) for n in range(6)]
    jobs += [(check_ins, n) for n in range(4)]
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = mail_worker(url, log)
        try:
            wait_for(lambda: "mail worker started" in log_path.read_text(), 60)
            ends = time.monotonic() + SECONDS
            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                results = list(pool.map(lambda job: job[0](job[1]), jobs))
            wait_for(lambda: printed() > 0, 30)  # the worker catches up once the burst ends
        finally:
            worker.terminate()
            worker.wait(15)
    codes = Counter(code for result in results for code in result)
    assert not [code for code in codes if code >= 500], codes
    assert codes[302] and codes[201] and codes[200], codes
    created = db.session.scalar(sa.select(sa.func.count()).where(Event.title.like("Atelier %")))
    assert created == codes[201]
    statuses = dict(db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)).all())
    assert statuses.get(OutboxStatus.PRINTED), (statuses, log_path.read_text()[-2000:])
