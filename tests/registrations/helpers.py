import sqlalchemy as sa

from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage
from boostcamp.mail.services import write_pending
from boostcamp.registrations.models import Registration


def mails(kind: str | None = None, to: str | None = None) -> list[OutboxMessage]:
    """The outbox, oldest first, each mail written as the worker writes it before sending.
    Ends the test's transaction first: on SQLite a transaction keeps seeing the database
    as it was when it began, not what requests wrote since."""
    db.session.rollback()
    write_all_pending()
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    if to:
        query = query.where(OutboxMessage.to_address == to)
    return list(db.session.scalars(query))


def write_all_pending() -> None:
    """What the worker does to each mail before sending it (write_pending), for them all."""
    for message in db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.draft.is_not(None))):
        write_pending(message)
    db.session.commit()


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
