"""kill -9 in the middle of a sign-up burst (issue 15): a gunicorn worker and a mail worker
die without warning, on SQLite and PostgreSQL. Every sign-up that was answered with its
redirect is in the database; every queued mail is sent in the end, none more than twice,
and a mail sent twice carries the same Message-ID both times."""

import http.client
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from boostcamp import ROOT
from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db, mail
from boostcamp.mail.models import OutboxMessage, OutboxStatus
from boostcamp.mail.worker import LEASE, Worker
from boostcamp.registrations.models import Person, Registration
from tests.core.test_concurrent_writes import wait_for
from tests.factories import make_event
from tests.registrations.test_concurrency import Participant
from tests.smtp_server import SMTPServer

SIGN_UPS = 60


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


def gunicorn_workers(port: int) -> list[int]:
    """The workers of the gunicorn this test run started on `port`."""
    for pid in children(os.getpid()):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f"127.0.0.1:{port}".encode() in f.read():
                    return children(pid)
        except OSError:
            continue
    return []


def start_worker(url: str, smtp: SMTPServer, log) -> subprocess.Popen:
    env = {
        **os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": url, "FLASK_SECRET_KEY": "concurrency-test",
        "FLASK_SERVER_NAME": "boostcamp.test", "FLASK_MAIL_SERVER": smtp.host,
        "FLASK_MAIL_PORT": str(smtp.port), "PYTHONUNBUFFERED": "1",
    }  # fmt: skip
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "work", "--interval", "0.1",
               "--batch", "10"]  # fmt: skip
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


# Slow by design: gunicorn and a mail worker killed with -9 and restarted mid-burst.
def test_kill_9_of_a_web_worker_and_a_mail_worker_during_a_sign_up_burst(served, tmp_path):
    event = make_event(capacity=1000)
    slug = event.slug
    url = db.engine.url.render_as_string(hide_password=False)
    smtp = SMTPServer().start()
    log_path = tmp_path / "worker.log"
    killed = threading.Event()

    def sign_up(n):
        email = f"crash{n}@example.be"
        if n == SIGN_UPS // 3 and not killed.is_set():
            killed.set()
            victims = gunicorn_workers(served)
            assert victims
            os.kill(victims[0], signal.SIGKILL)  # a web worker, in the middle of requests
        try:
            return email, Participant(served).sign_up(slug, email)
        # The connection died with its worker: refused, reset, or cut in the middle of the answer.
        except (OSError, http.client.HTTPException, AssertionError):
            return email, None

    try:
        with open(log_path, "w") as log:
            worker = start_worker(url, smtp, log)
            wait_for(lambda: "mail worker started" in log_path.read_text(), 60)
            with ThreadPoolExecutor(max_workers=8) as pool:
                answers = list(pool.map(sign_up, range(SIGN_UPS // 2)))
                # the mail worker, while it holds claimed mails (in the middle of a batch)
                wait_for(lambda: outbox(OutboxStatus.SENDING) > 0, 20, step=0.005)
                os.kill(worker.pid, signal.SIGKILL)
                held_by_the_dead = outbox(OutboxStatus.SENDING)
                worker.wait(10)
                answers += pool.map(sign_up, range(SIGN_UPS // 2, SIGN_UPS))
            worker = start_worker(url, smtp, log)  # a new worker takes over
            try:
                wait_for(lambda: outbox(OutboxStatus.QUEUED) == 0, 60)
            finally:
                worker.terminate()
                worker.wait(15)
        # The dead worker's claims come back once its lease has run out: a worker later on.
        current_app.config.update(MAIL_SERVER=smtp.host, MAIL_PORT=smtp.port,
                                  MAIL_SUPPRESS_SEND=False)  # fmt: skip
        mail.init_app(current_app)
        Worker(clock=lambda: utcnow() + LEASE + timedelta(seconds=1)).run_pass(until_empty=True)
    finally:
        smtp.stop()

    redirected = [email for email, status in answers if status == 302]
    assert len(redirected) >= SIGN_UPS // 2, answers
    db.session.rollback()
    registered = set(db.session.scalars(
        sa.select(Person.email).join(Registration).where(Registration.event_id == event.id)))
    assert set(redirected) <= registered
    rows = db.session.execute(sa.select(OutboxMessage.message_id, OutboxMessage.status)).all()
    assert {status for _, status in rows} == {OutboxStatus.SENT}, rows
    arrived = smtp.message_ids()
    assert set(arrived) == {message_id for message_id, _ in rows}
    assert max(arrived.values()) <= 2, arrived
    print(f"mails held by the killed worker: {held_by_the_dead}; "
          f"sign-ups cut off: {sum(status is None for _, status in answers)}")


def outbox(status: OutboxStatus) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.status == status))
