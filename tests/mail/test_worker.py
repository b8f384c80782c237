"""The worker against a real SMTP server on loopback: delivery, retries, failures, two workers."""

import logging
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.mail import services as mail_services
from boostcamp.mail.models import OutboxMessage, OutboxStatus
from boostcamp.mail.worker import Worker
from tests.conftest import make_app
from tests.mail.helpers import ICS, queue, queue_many, reload, statuses

# Both engines: claims with SKIP LOCKED on PostgreSQL, one UPDATE on SQLite; workers at once.
pytestmark = pytest.mark.both_engines


class Clock:
    """The worker's time, moved on by the test instead of waiting for backoffs."""

    def __init__(self):
        self.now = utcnow() + timedelta(seconds=5)  # just after the test queues its mails

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


def test_a_mail_arrives_with_its_headers_parts_and_attachment(app, smtp_server):
    message = queue(
        subject="Votre place à « Boostcamp été » est confirmée", to_name="Léa Müller",
        to="lea@example.be", attachments=[ICS],
    )  # fmt: skip
    counts = Worker().run_pass()
    assert counts["sent"] == 1
    [received] = smtp_server.wait_for(1)
    assert received["Subject"] == "Votre place à « Boostcamp été » est confirmée"
    assert received["To"] == "Léa Müller <lea@example.be>"
    assert received["From"] == "Boostcamp <noreply@localhost>"
    assert received["Message-ID"] == message.message_id
    assert received["Auto-Submitted"] == "auto-generated"
    assert smtp_server.envelopes == [("noreply@localhost", ["lea@example.be"])]
    assert "Bonjour Marie" in received.get_body(("plain",)).get_content()
    assert (
        '<a href="http://boostcamp.test/staff/outbox/">'
        in received.get_body(("html",)).get_content()
    )
    [attachment] = received.iter_attachments()
    assert attachment.get_filename() == "invitation.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_content() == ICS.content.decode()
    sent = reload(message.id)
    assert (sent.status, sent.attempts, sent.last_error) == (OutboxStatus.SENT, 1, None)
    assert sent.sent_at is not None and sent.claimed_until is None


def test_a_temporary_refusal_is_retried_later_and_then_delivered_once(app, smtp_server, clock):
    message = queue()
    smtp_server.answer_next("451 4.7.1 Greylisted, try again later")
    worker = Worker(clock=clock)
    assert worker.run_pass()["retried"] == 1
    waiting = reload(message.id)
    assert waiting.status == OutboxStatus.QUEUED and waiting.attempts == 1
    assert waiting.last_error == "451 4.7.1 Greylisted, try again later"
    # the first retry waits about MAIL_RETRY_BASE_SECONDS (60 s, ±10 %)
    assert (
        clock.now + timedelta(seconds=53)
        < waiting.next_attempt_at
        < clock.now + timedelta(seconds=67)
    )

    clock.advance(seconds=30)
    assert worker.run_pass()["claimed"] == 0  # not due yet
    clock.advance(seconds=40)
    assert worker.run_pass()["sent"] == 1
    assert smtp_server.message_ids() == {message.message_id: 1}  # the same Message-ID, once
    assert reload(message.id).attempts == 2


def test_the_wait_doubles_with_each_failure_up_to_an_hour(app, smtp_server, clock):
    message = queue()
    smtp_server.stop()
    worker = Worker(clock=clock)
    waits = []
    for _ in range(8):
        worker.run_pass()
        waiting = reload(message.id)
        waits.append((waiting.next_attempt_at - clock.now).total_seconds())
        clock.now = waiting.next_attempt_at
    assert [round(w / 60, -0) for w in waits[:4]] == pytest.approx([1, 2, 4, 8], abs=1)
    assert 3200 < waits[-1] <= 3600 * 1.1


def test_smtp_down_during_a_burst_then_up_again_delivers_every_mail_exactly_once(
    app, smtp_server, clock
):
    smtp_server.stop()
    messages = queue_many(30)
    worker = Worker(batch=8, clock=clock)
    counts = worker.run_pass(until_empty=True)
    assert counts["retried"] == 30 and counts["sent"] == 0
    assert statuses() == {"queued": 30}  # every mail kept
    assert "ConnectionRefusedError" in reload(messages[0].id).last_error

    smtp_server.start()
    clock.advance(minutes=2)
    assert worker.run_pass(until_empty=True)["sent"] == 30
    clock.advance(hours=2)
    assert worker.run_pass(until_empty=True)["claimed"] == 0
    assert smtp_server.message_ids() == {m.message_id: 1 for m in messages}
    assert statuses() == {"sent": 30}


def test_a_server_that_goes_down_in_the_middle_of_a_batch(app, smtp_server, clock):
    messages = queue_many(4)
    smtp_server.answer_next("421 4.3.2 Service shutting down")  # then closes, for smtplib
    counts = Worker(batch=10, clock=clock).run_pass()
    assert counts["retried"] == 1 and counts["sent"] == 3
    assert reload(messages[0].id).last_error.startswith("421")
    clock.advance(minutes=5)
    Worker(clock=clock).run_pass()
    assert smtp_server.message_ids() == {m.message_id: 1 for m in messages}


def test_a_refused_recipient_fails_and_the_others_are_still_sent(app, smtp_server):
    smtp_server.refuse("nobody@example.be", "550 5.1.1 <nobody@example.be>: no such user")
    bad = queue(to="nobody@example.be")
    good = queue(to="lea@example.be")
    counts = Worker().run_pass()
    assert (counts["failed"], counts["sent"]) == (1, 1)
    failed = reload(bad.id)
    assert failed.status == OutboxStatus.FAILED
    assert failed.last_error == "550 5.1.1 <nobody@example.be>: no such user"
    assert smtp_server.message_ids() == {good.message_id: 1}


def test_a_permanent_refusal_of_the_message_fails_at_once(app, smtp_server, clock):
    message = queue()
    smtp_server.answer_next("554 5.7.1 Message rejected")
    Worker(clock=clock).run_pass()
    clock.advance(days=1)
    assert Worker(clock=clock).run_pass()["claimed"] == 0  # failed mails are never retried alone
    failed = reload(message.id)
    assert (failed.status, failed.attempts, failed.last_error) == (
        OutboxStatus.FAILED,
        1,
        "554 5.7.1 Message rejected",
    )
    assert smtp_server.messages == []


def test_after_the_last_attempt_a_mail_is_failed(app, smtp_server, clock):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    message = queue()
    smtp_server.stop()
    worker = Worker(clock=clock)
    for _ in range(5):
        worker.run_pass()
        clock.advance(hours=1)
    failed = reload(message.id)
    assert failed.status == OutboxStatus.FAILED and failed.attempts == 3
    assert failed.last_error.startswith("ConnectionRefusedError")
    assert failed.last_error.endswith("(gave up after 3 attempts)")


def test_a_crashed_workers_mails_are_claimed_again_when_its_lease_expires(app, smtp_server, clock):
    message = queue()
    crashed = Worker(clock=clock)
    assert len(crashed.claim()) == 1  # … and the worker dies before sending
    assert reload(message.id).status == OutboxStatus.SENDING
    clock.advance(minutes=4)
    assert Worker(clock=clock).run_pass()["claimed"] == 0  # still leased
    clock.advance(minutes=2)
    assert Worker(clock=clock).run_pass()["sent"] == 1
    assert smtp_server.message_ids() == {message.message_id: 1}


def test_a_stopped_worker_puts_the_rest_of_its_batch_back(app, smtp_server):
    messages = queue_many(3)
    worker = Worker()
    batch = worker.claim()
    worker.stop()
    assert worker.deliver(batch)["released"] == 3
    assert statuses() == {"queued": 3}
    assert all(reload(m.id).attempts == 0 for m in messages)  # not tried, so not counted


def test_a_worker_does_not_send_once_its_lease_is_nearly_over(app, smtp_server, clock):
    queue_many(2)
    worker = Worker(clock=clock)
    batch = worker.claim()
    clock.advance(minutes=4, seconds=30)  # a slow server ate the lease
    assert worker.deliver(batch)["released"] == 2
    assert smtp_server.messages == []


def test_without_a_mail_server_mails_are_printed_and_marked_not_sent(app, capsys):
    assert app.config["MAIL_SERVER"] is None
    message = queue(to="lea@example.be", to_name="Léa Müller", attachments=[ICS])
    assert Worker().run_pass()["printed"] == 1
    out = capsys.readouterr().out
    assert f"mail #{message.id}: NOT SENT (no MAIL_SERVER configured)" in out
    assert "To: Léa Müller <lea@example.be>" in out
    assert "Subject: Boîte d’envoi" in out
    assert f"Message-ID: {message.message_id}" in out
    assert "Boîte d’envoi: http://boostcamp.test/staff/outbox/" in out  # a link to follow
    assert (
        "[attachment: invitation.ics, text/calendar; method=REQUEST; charset=utf-8, "
        f"{len(ICS.content)} bytes]" in out
    )
    printed = reload(message.id)
    assert printed.status == OutboxStatus.PRINTED and printed.sent_at is not None


def test_periodic_jobs_run_on_every_pass_and_a_failing_one_stops_nothing(
    app, smtp_server, monkeypatch, caplog, clock
):
    runs = []

    def broken_job(now):
        queue(to="never@example.be", commit=False)
        raise RuntimeError("boom")

    def reminders(now):
        runs.append(now)
        queue(to="reminded@example.be", commit=False)  # the job does not even commit

    monkeypatch.setattr("boostcamp.core.periodic.PERIODIC", [broken_job, reminders])
    # the migrations' logging.config.fileConfig() turned off the loggers that existed then
    monkeypatch.setattr(logging.getLogger("boostcamp.mail"), "disabled", False)
    with caplog.at_level(logging.ERROR, logger="boostcamp.mail"):
        counts = Worker(clock=clock).run_pass()
    assert runs == [clock.now]
    assert counts["sent"] == 1  # the reminder left in the same pass
    assert [m["To"] for m in smtp_server.messages] == ["Marie Dupont <reminded@example.be>"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1
    assert (
        "periodic job tests.mail.test_worker.test_periodic_jobs_run_on_every_pass_and_a_failing"
        "_one_stops_nothing.<locals>.broken_job failed" in caplog.text
    )
    Worker(clock=clock).run_pass()
    assert len(runs) == 2


def test_the_app_registers_every_domain_s_periodic_jobs(app):
    from boostcamp.core import periodic

    names = {f"{job.__module__}.{job.__name__}" for job in periodic.PERIODIC}
    assert {
        "boostcamp.registrations.jobs.expire_waitlist_offers",
        "boostcamp.registrations.jobs.send_event_reminders",
        "boostcamp.outcomes.jobs.send_followup_surveys",
        "boostcamp.privacy.jobs.privacy_purge",
        "boostcamp.programmes.jobs.promote_programme_waiting_lists",
    } <= names


def test_two_workers_at_once_deliver_fifty_mails_exactly_once(app, smtp_server, database_url):
    messages = queue_many(50)
    start = threading.Barrier(2, timeout=30)
    errors = []
    # Both apps are built here, not in their threads: Werkzeug compiles each route with
    # ast.parse, and CPython 3.11 counts the AST's depth in state the threads share ("AST
    # constructor recursion depth mismatch", see python/cpython#106905). Mail workers are
    # processes in production, each building its app alone.
    others = [
        make_app(database_url, MAIL_SERVER=smtp_server.host, MAIL_PORT=smtp_server.port,
                 MAIL_SUPPRESS_SEND=False)  # fmt: skip
        for _ in range(2)
    ]

    def work(other):
        try:
            with other.app_context():
                worker = Worker(batch=3)
                start.wait()
                worker.run_pass(until_empty=True)
                db.session.remove()
                db.engine.dispose()
        except Exception as e:  # noqa: BLE001 - reported by the test below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(other,)) for other in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert smtp_server.message_ids() == {m.message_id: 1 for m in messages}
    assert statuses() == {"sent": 50}


# Mails queued with queue_mail_later: written by the worker, once, just before sending.


@mail_services.composer("tests.sample")
def compose_sample(message, params):
    if params.get("explode"):
        raise LookupError("the registration this mail is about no longer exists")
    return mail_services.Composed({"name": params["name"], "link": "http://boostcamp.test/x"},
                                  [mail_services.Attachment("a.txt", "text/plain", b"hello")])  # fmt: skip


def queue_later(**params) -> OutboxMessage:
    message = mail_services.queue_mail_later(
        "sample", composer="tests.sample", params=params, to="lea@example.be", subject="Bonjour"
    )
    db.session.commit()
    return message


def test_a_mail_queued_for_later_is_written_by_the_worker_and_kept(app, smtp_server, clock):
    message = queue_later(name="Léa")
    assert reload(message.id).body_text is None  # the request only said what to send

    smtp_server.answer_next("451 4.7.1 Greylisted, try again later")
    assert Worker(clock=clock).run_pass()["retried"] == 1
    written = reload(message.id)
    assert "Bonjour Léa" in written.body_text and written.draft is None
    assert [a.filename for a in written.attachments] == ["a.txt"]

    clock.advance(hours=1)
    assert Worker(clock=clock).run_pass()["sent"] == 1
    [received] = smtp_server.wait_for(1)
    assert "Bonjour Léa" in received.get_body(("plain",)).get_content()
    assert [a.get_filename() for a in received.iter_attachments()] == ["a.txt"]
    assert len(reload(message.id).attachments) == 1  # written once, not again on the retry


def test_a_mail_that_cannot_be_written_fails_and_the_others_leave(app, smtp_server):
    broken, fine = queue_later(name="Léa", explode=True), queue_later(name="Tom")
    counts = Worker().run_pass()
    assert counts["sent"] == 1
    failed = reload(broken.id)
    assert failed.status == OutboxStatus.FAILED
    assert failed.last_error.startswith("could not be written: LookupError: the registration")
    assert reload(fine.id).status == OutboxStatus.SENT


def test_a_mail_for_later_needs_a_known_composer(app):
    with pytest.raises(LookupError, match="no mail composer named 'nobody'"):
        mail_services.queue_mail_later("sample", composer="nobody", params={}, to="a@b.be",
                                       subject="x")  # fmt: skip
