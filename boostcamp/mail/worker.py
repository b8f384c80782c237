"""The outbox worker. `flask mail work` loops over Worker.run_pass(); `flask mail send-pending`
runs one pass until nothing is due (for cron). Several workers may run at once.

A pass first runs the periodic jobs (boostcamp.core.periodic.PERIODIC), so that the mails they queue
leave in the same pass, then claims due mails and sends them.

Claiming is one statement, committed at once:
    UPDATE outbox_message SET status='sending', claimed_until=now+lease
    WHERE id IN (SELECT id … WHERE due ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED) RETURNING id
On PostgreSQL workers skip each other's locked rows. SQLite has no row locks (SQLAlchemy
leaves FOR UPDATE out there) but a single writer, so the same statement is atomic, and as the
first statement of its transaction it waits for the lock instead of failing. The claim is a
lease: a crashed worker's mails are claimed again once claimed_until has passed, and a worker
stops sending a batch before its lease runs out.

Mails are sent outside any transaction, over one SMTP connection per batch; each answer is
written in its own short transaction at once, so a mail the server accepted is marked sent
before the next one leaves (exactly once, as far as SMTP allows).

Which jobs run: those registered with @periodic. The outbox knows no domain: each domain keeps
its jobs in its own `jobs.py`, which its blueprint imports, so create_app has registered them all.

No MAIL_SERVER (the demo): mails are printed to stdout and marked "printed", not sent.
No SERVER_NAME: the worker has no request to take the host from, so the CLI uses
DEMO_SERVER_NAME (`make run` passes its own port) and says so in its log.
"""

import dataclasses
import logging
import random
import smtplib
import sys
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import flask_mail
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from boostcamp.core import periodic
from boostcamp.core.db import utcnow, writing
from boostcamp.core.extensions import db
from boostcamp.mail import services as mail_services
from boostcamp.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus

log = logging.getLogger("boostcamp.mail")

DEMO_SERVER_NAME = "127.0.0.1:5000"
LEASE = timedelta(minutes=5)
LEASE_MARGIN = timedelta(minutes=1)  # time a worker keeps for its last send and its writes
MAX_ERROR_LENGTH = 500


@dataclasses.dataclass(frozen=True)
class Outgoing:
    """A claimed row, copied out of the session so no transaction stays open while sending."""

    id: int
    message_id: str
    to_address: str
    to_name: str | None
    subject: str
    body_text: str
    body_html: str | None
    language: str
    attempts: int
    attachments: tuple[tuple[str, str, bytes], ...]

    @classmethod
    def of(cls, row: OutboxMessage) -> "Outgoing":
        return cls(
            row.id, row.message_id, row.to_address, row.to_name, row.subject, row.body_text or "",
            row.body_html, row.language, row.attempts,
            tuple((a.filename, a.content_type, a.content) for a in row.attachments),
        )  # fmt: skip

    @property
    def recipient(self) -> str | tuple[str, str]:
        return (self.to_name, self.to_address) if self.to_name else self.to_address


def run_periodic_jobs(now: datetime) -> None:
    """Each job in its own transaction: one failing job neither stops nor undoes the others."""
    for job in list(periodic.PERIODIC):
        try:
            job(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("periodic job %s failed", _job_name(job))


def _job_name(job: Callable) -> str:
    return f"{getattr(job, '__module__', '?')}.{getattr(job, '__qualname__', repr(job))}"


def classify(error: BaseException) -> tuple[bool, str]:
    """(is it worth trying again later?, a short readable reason). SMTP 4xx, a refused,
    lost or silent connection are temporary; 5xx and anything else are permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return code < 500, _reason(f"{code} {_text(text)}")
    if isinstance(error, smtplib.SMTPResponseException):  # before OSError: it is one
        return error.smtp_code < 500, _reason(f"{error.smtp_code} {_text(error.smtp_error)}")
    if isinstance(error, OSError):  # refused, reset, timeout, DNS, SMTPServerDisconnected
        return True, _reason(f"{type(error).__name__}: {error}")
    return False, _reason(f"{type(error).__name__}: {error}")


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _reason(text: str) -> str:
    return " ".join(text.split())[:MAX_ERROR_LENGTH]


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` tries: base × 2^(attempts−1), capped,
    with ±10 % jitter so that a burst of failures does not come back all at once."""
    config = current_app.config
    seconds = min(
        config["MAIL_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0),
        config["MAIL_RETRY_MAX_SECONDS"],
    )
    return timedelta(seconds=seconds * random.uniform(0.9, 1.1))


class _Connection(flask_mail.Connection):
    """Flask-Mail's connection, with a timeout: a silent server must not hold the worker."""

    def configure_host(self) -> smtplib.SMTP:
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(
            self.mail.server, self.mail.port, timeout=current_app.config["MAIL_TIMEOUT_SECONDS"]
        )
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host

    def open(self) -> "_Connection":
        self.host = None if self.mail.suppress else self.configure_host()
        self.num_emails = 0
        return self

    def usable_after(self, error: Exception) -> bool:
        """After a refusal the server is ready for the next mail (smtplib sent RSET),
        unless it hung up (421 does); after any other error the connection is lost."""
        refused = isinstance(error, smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused)
        return refused and (self.host is None or self.host.sock is not None)

    def close(self) -> None:
        if self.host is not None:
            try:
                self.host.quit()
            except (smtplib.SMTPException, OSError):
                self.host.close()
            self.host = None


class Worker:
    def __init__(
        self,
        batch: int | None = None,
        interval: float | None = None,
        clock: Callable[[], datetime] = utcnow,
    ):
        config = current_app.config
        self.batch = batch or config["MAIL_WORKER_BATCH"]
        self.interval = config["MAIL_WORKER_INTERVAL"] if interval is None else interval
        self.clock = clock
        self.stopping = threading.Event()
        self._lease_ends = clock()

    def stop(self) -> None:
        """Stop after the mail being sent now; the rest of the batch goes back to the queue."""
        self.stopping.set()

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            try:
                counts = self.run_pass()
            except Exception:  # the database is away, say: keep the worker alive
                db.session.rollback()
                log.exception("mail worker pass failed")
                counts = Counter()
            if not counts["claimed"]:
                self.stopping.wait(self.interval)

    def run_pass(self, until_empty: bool = False) -> Counter:
        """Periodic jobs, then one batch of due mails (or batches until none is due).
        Its transactions take SQLite's write lock at BEGIN (they read, then write) and are
        short: none is left open at the end, so requests never wait on an idle worker."""
        counts: Counter = Counter()
        with writing():
            try:
                run_periodic_jobs(self.clock())
                while not self.stopping.is_set():
                    batch = self.claim()
                    if not batch:
                        break
                    counts["claimed"] += len(batch)
                    counts.update(self.deliver(batch))
                    if not until_empty:
                        break
                db.session.commit()
            except BaseException:
                db.session.rollback()
                raise
        return counts

    def claim(self) -> list[Outgoing]:
        db.session.commit()  # the claim must start its own transaction (see above, SQLite)
        now = self.clock()
        self._lease_ends = now + LEASE - LEASE_MARGIN
        queued, sending = OutboxStatus.QUEUED, OutboxStatus.SENDING
        due = sa.or_(
            sa.and_(OutboxMessage.status == queued, OutboxMessage.next_attempt_at <= now),
            # a worker that stopped before its lease ran out
            sa.and_(OutboxMessage.status == sending, OutboxMessage.claimed_until < now),
        )
        candidates = (
            sa.select(OutboxMessage.id)
            .where(due)
            .order_by(OutboxMessage.id)
            .limit(self.batch)
            .with_for_update(skip_locked=True)
        )
        ids = db.session.scalars(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates))
            .values(status=OutboxStatus.SENDING, claimed_until=now + LEASE)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        ).all()
        db.session.commit()
        if not ids:
            return []
        rows = db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .options(selectinload(OutboxMessage.attachments))
            .order_by(OutboxMessage.id)
        ).all()
        batch = [Outgoing.of(row) for row in rows if row.draft is None]
        drafts = [row.id for row in rows if row.draft is not None]
        db.session.commit()  # ends the read: SQLite's writers must not wait on it
        for row_id in drafts:
            if (written := self._write_draft(row_id)) is not None:
                batch.append(written)
        return sorted(batch, key=lambda mail: mail.id)

    def _write_draft(self, row_id: int) -> Outgoing | None:
        """Write the body of a mail queued with queue_mail_later, once (it is kept, so a
        retry sends the same mail). Read and render first, then write in a transaction of
        its own: on SQLite a transaction that has read may not become the writer. A mail
        that cannot be written (a template fails, say) is marked failed for staff to see."""
        row = db.session.get(OutboxMessage, row_id)
        try:
            written = mail_services.compose_pending(row)
        except Exception as e:  # noqa: BLE001 - any failure is this mail's alone
            log.exception("mail #%d could not be written", row_id)
            mail = Outgoing.of(row)
            db.session.rollback()
            self._failed(mail, _reason(f"could not be written: {classify(e)[1]}"))
            return None
        mail = dataclasses.replace(
            Outgoing.of(row), body_text=written.body_text, body_html=written.body_html,
            attachments=tuple((a.filename, a.content_type, a.content) for a in written.attachments),
        )  # fmt: skip
        db.session.rollback()  # ends the read
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(body_text=written.body_text, body_html=written.body_html, draft=sa.null())
            .execution_options(synchronize_session=False)
        )
        db.session.add_all(
            OutboxAttachment(message_id=row_id, filename=a.filename, content_type=a.content_type,
                             content=a.content)
            for a in written.attachments
        )  # fmt: skip
        db.session.commit()
        return mail

    def deliver(self, batch: list[Outgoing]) -> Counter:
        if not current_app.config.get("MAIL_SERVER"):
            return self._print_all(batch)
        counts: Counter = Counter()
        connection: _Connection | None = None
        try:
            for i, mail in enumerate(batch):
                if self.stopping.is_set() or self.clock() >= self._lease_ends:
                    counts["released"] += self._release(batch[i:])
                    break
                try:
                    message = self._message(mail)
                except Exception as e:  # noqa: BLE001 - a bad header or attachment: permanent
                    counts[self._failed(mail, classify(e)[1])] += 1
                    continue
                if connection is None:
                    try:
                        connection = _Connection(current_app.extensions["mail"]).open()
                    except Exception as e:  # noqa: BLE001 - unreachable, or TLS or sign-in refused:
                        # not the mails' fault, so every mail of the batch waits
                        _, reason = classify(e)
                        for waiting in batch[i:]:
                            counts[self._retry_later(waiting, reason)] += 1
                        break
                try:
                    connection.send(message)
                except Exception as e:  # noqa: BLE001 - classify() sorts them out
                    temporary, reason = classify(e)
                    outcome = (
                        self._retry_later(mail, reason) if temporary else self._failed(mail, reason)
                    )
                    counts[outcome] += 1
                    if not connection.usable_after(e):
                        connection.close()  # the next mail reconnects
                        connection = None
                else:
                    counts[self._sent(mail)] += 1
        finally:
            if connection is not None:
                connection.close()
        return counts

    def _message(self, mail: Outgoing) -> flask_mail.Message:
        message = flask_mail.Message(
            subject=mail.subject,
            recipients=[mail.recipient],
            body=mail.body_text,
            html=mail.body_html,
            extra_headers={
                "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies
                "Content-Language": mail.language,
            },
        )
        message.msgId = mail.message_id  # the same on every attempt
        for filename, content_type, content in mail.attachments:
            # Its Content-ID is its name: an HTML body shows an image with <img src="cid:…">,
            # and mail clients still list it among the attachments.
            cid = {"Content-ID": f"<{filename}>"}
            message.attach(filename, content_type, content, headers=cid)
        return message

    def _print_all(self, batch: list[Outgoing]) -> Counter:
        counts: Counter = Counter()
        sender = current_app.config.get("MAIL_DEFAULT_SENDER")
        for mail in batch:
            lines = [
                f"---------- mail #{mail.id}: NOT SENT (no MAIL_SERVER configured) ----------",
                f"Message-ID: {mail.message_id}",
                f"From: {sender}",
                f"To: {mail.to_name} <{mail.to_address}>"
                if mail.to_name
                else f"To: {mail.to_address}",
                f"Subject: {mail.subject}",
                "",
                mail.body_text.rstrip(),
            ]
            lines += [
                f"[attachment: {name}, {ctype}, {len(data)} bytes]"
                for name, ctype, data in mail.attachments
            ]
            lines.append("-" * 40)
            print("\n".join(lines), file=sys.stdout, flush=True)
            self._write(
                mail, "printed", status=OutboxStatus.PRINTED, sent_at=self.clock(), last_error=None
            )
            counts["printed"] += 1
        return counts

    # Outcomes: each in its own short transaction, written as soon as it is known.

    def _sent(self, mail: Outgoing) -> str:
        return self._write(
            mail, "sent", status=OutboxStatus.SENT, sent_at=self.clock(), last_error=None
        )

    def _failed(self, mail: Outgoing, reason: str) -> str:
        return self._write(mail, f"failed: {reason}", status=OutboxStatus.FAILED, last_error=reason)

    def _retry_later(self, mail: Outgoing, reason: str) -> str:
        attempts = mail.attempts + 1
        if attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            reason = _reason(f"{reason} (gave up after {attempts} attempts)")
            return self._failed(mail, reason)
        wait = backoff(attempts)
        self._write(
            mail, f"retry in {int(wait.total_seconds())} s: {reason}",
            status=OutboxStatus.QUEUED, next_attempt_at=self.clock() + wait, last_error=reason,
        )  # fmt: skip
        return "retried"

    def _write(self, mail: Outgoing, what: str, **values) -> str:
        db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == mail.id, OutboxMessage.status == OutboxStatus.SENDING)
            .values(attempts=mail.attempts + 1, claimed_until=None, **values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        log.info("mail #%d to %s: %s", mail.id, mail.to_address, what)
        return values["status"].value

    def _release(self, batch: list[Outgoing]) -> int:
        """Put claimed mails back untried, for this or another worker's next pass."""
        db.session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id.in_([m.id for m in batch]),
                OutboxMessage.status == OutboxStatus.SENDING,
            )
            .values(status=OutboxStatus.QUEUED, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        return len(batch)
