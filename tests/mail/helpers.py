"""One-line helpers for the mail tests: a sample mail kind and a way to queue it."""

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from jinja2 import ChoiceLoader, DictLoader

from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage, OutboxStatus
from boostcamp.mail.services import Attachment, queue_mail

# A mail kind of the tests' own, on the real layouts (the product's kinds belong to their domains).
SAMPLE_TEMPLATES = {
    "mail/sample.txt": (
        '{% extends "mail/_layout.txt" %}{% block content %}'
        "Bonjour {{ name }},\n{{ _('Outbox') }}: {{ link }}{% endblock %}"
    ),
    "mail/sample.html": (
        '{% extends "mail/_layout.html" %}{% block content %}'
        '<p>Bonjour {{ name }},</p><p><a href="{{ link }}">{{ _("Outbox") }}</a></p>{% endblock %}'
    ),
}


def add_sample_templates(app) -> None:
    app.jinja_env.loader = ChoiceLoader([DictLoader(SAMPLE_TEMPLATES), app.jinja_env.loader])


OUTBOX = _l("Outbox")  # a subject with a French translation


def queue(
    to: str = "marie.dupont@example.be",
    subject=OUTBOX,
    language: str = "fr",
    commit: bool = True,
    **kw,
) -> OutboxMessage:
    """A sample mail in the outbox, committed unless told otherwise."""
    kw.setdefault("to_name", "Marie Dupont")
    message = queue_mail(
        "sample", to=to, subject=subject, language=language,
        context={"name": "Marie", "link": url_for("staff_mail.list_messages", _external=True)},
        **kw,
    )  # fmt: skip
    if commit:
        db.session.commit()
    return message


def queue_many(n: int, **kw) -> list[OutboxMessage]:
    messages = [queue(to=f"person{i}@example.be", commit=False, **kw) for i in range(n)]
    db.session.commit()
    return messages


def set_status(message: OutboxMessage, status: OutboxStatus, **values) -> OutboxMessage:
    message.status = status
    for key, value in values.items():
        setattr(message, key, value)
    db.session.commit()
    return message


def reload(message_id: int) -> OutboxMessage:
    """The row as it is now: a new transaction, as SQLite's would still see its old snapshot."""
    db.session.commit()
    return db.session.get(OutboxMessage, message_id)


def statuses() -> dict[str, int]:
    db.session.commit()
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    return {status.value: n for status, n in rows}


ICS = Attachment("invitation.ics", "text/calendar; method=REQUEST; charset=utf-8",
                 b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")  # fmt: skip
