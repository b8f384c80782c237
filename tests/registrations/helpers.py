import sqlalchemy as sa

from boostcamp.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.registrations.models import Registration


def mails(kind: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    """The outbox, oldest first. Ends the test's transaction first: on SQLite a transaction
    keeps seeing the database as it was when it began, not what requests wrote since."""
    db.session.rollback()
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if to:
        query = query.where(OutboxMessage.to_address == to)
    return list(db.session.scalars(query))


def reload(registration: Registration) -> Registration:
    db.session.rollback()
    return db.session.get(Registration, registration.id)


def statuses(event) -> dict[str, int]:
    db.session.rollback()
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count())
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    )
    return {status.value: n for status, n in rows}


def attachment_types(message: OutboxMessage) -> list[str]:
    return [a.content_type for a in message.attachments]
