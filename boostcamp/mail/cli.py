import logging
import signal

import click
from flask import current_app
from flask.cli import with_appcontext

from boostcamp.mail.worker import DEMO_SERVER_NAME, Worker, log

# One option for both commands: the worker and the cron pass claim and send alike.
BATCH = click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=None,
    help="Mails claimed and sent over one connection at a time (MAIL_WORKER_BATCH, 20).",
)


@click.group(help="Send the mails of the outbox.")
def mail():
    pass


@mail.command("work")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds to wait when nothing is due (MAIL_WORKER_INTERVAL, 2).",
)
@BATCH
@with_appcontext
def work(interval, batch):
    """Send mails as they are queued and run the periodic jobs, until stopped.

    Several workers may run at once. Ctrl-C or SIGTERM stops after the mail being sent;
    a second Ctrl-C stops at once (its mails are sent again after their lease, 5 minutes)."""
    with _worker_context():
        worker = Worker(batch=batch, interval=interval)

        def stop(signum, frame):
            if worker.stopping.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            worker.stop()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        log.info("mail worker started (%s)", _transport())
        try:
            worker.run_forever()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        log.info("mail worker stopped")


@mail.command("send-pending")
@BATCH
@with_appcontext
def send_pending(batch):
    """Run the periodic jobs and send every mail due now, once (for cron)."""
    with _worker_context():
        counts = Worker(batch=batch).run_pass(until_empty=True)
    click.echo(
        f"{counts['sent']} sent, {counts['printed']} printed (not sent), "
        f"{counts['retried']} to retry later, {counts['failed']} failed."
    )


def _worker_context():
    """An app context whose links can be built without a request."""
    current_app.logger  # noqa: B018 - installs Flask's handler, which our lines go through
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)  # one line per mail
    if not current_app.config.get("SERVER_NAME"):
        current_app.config["SERVER_NAME"] = DEMO_SERVER_NAME
        log.warning("SERVER_NAME is not set: links in mails point to http://%s", DEMO_SERVER_NAME)
    return current_app.app_context()  # a new context, so url_for sees SERVER_NAME


def _transport() -> str:
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        return "no MAIL_SERVER: mails are printed here, not sent"
    return f"SMTP {config['MAIL_SERVER']}:{config['MAIL_PORT']}"
