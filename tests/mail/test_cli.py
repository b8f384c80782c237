"""`flask mail send-pending` (cron) and `flask mail work` (a real process, stopped by SIGTERM)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from boostcamp.mail.models import OutboxStatus
from tests.mail.helpers import queue, queue_many, reload, statuses

# Both engines: a worker process on the database, stopped mid-claim.
pytestmark = pytest.mark.both_engines

ROOT = Path(__file__).resolve().parents[2]


def test_send_pending_without_a_mail_server_prints_the_mails(app, runner):
    message = queue(to="lea@example.be")
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0, result.output
    assert f"mail #{message.id}: NOT SENT (no MAIL_SERVER configured)" in result.output
    assert "http://boostcamp.test/staff/outbox/" in result.output
    assert result.output.rstrip().endswith(
        "0 sent, 1 printed (not sent), 0 to retry later, 0 failed."
    )
    assert reload(message.id).status == OutboxStatus.PRINTED


def test_send_pending_sends_everything_due_in_one_pass(app, runner, smtp_server):
    messages = queue_many(7)
    result = runner.invoke(args=["mail", "send-pending", "--batch", "3"])
    assert result.exit_code == 0, result.output
    assert "7 sent, 0 printed (not sent), 0 to retry later, 0 failed." in result.output
    assert smtp_server.message_ids() == {m.message_id: 1 for m in messages}


def test_send_pending_reports_what_waits(app, runner, smtp_server):
    queue_many(2)
    smtp_server.stop()
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0
    assert "0 sent, 0 printed (not sent), 2 to retry later, 0 failed." in result.output


def test_a_worker_process_sends_what_is_queued_and_stops_cleanly_on_sigterm(
    app, smtp_server, database_url
):
    env = dict(
        os.environ,
        FLASK_SQLALCHEMY_DATABASE_URI=database_url,
        FLASK_SECRET_KEY="test",
        FLASK_SERVER_NAME="boostcamp.test",
        FLASK_MAIL_SERVER=smtp_server.host,
        FLASK_MAIL_PORT=str(smtp_server.port),
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "work", "--interval", "0.1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        messages = queue_many(3)  # while it runs: it picks them up on its own
        smtp_server.wait_for(3, timeout=30)
        worker.send_signal(signal.SIGTERM)  # it still writes down the mail it is sending
        _, stderr = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, stderr
    assert "mail worker stopped" in stderr
    assert f"mail #{messages[0].id} to person0@example.be: sent" in stderr
    assert smtp_server.message_ids() == {m.message_id: 1 for m in messages}
    assert statuses() == {"sent": 3}
