"""Retention: aged people anonymised, old mail bodies and expired links deleted, in
batches; a dry run changes nothing."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.core.db import utcnow
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from boostcamp.privacy import retention
from boostcamp.privacy import jobs
from boostcamp.privacy.jobs import privacy_purge
from boostcamp.registrations.models import Person
from tests.factories import make_event, make_registration

# Both engines: ages compared in SQL on instants kept by the database.
pytestmark = pytest.mark.both_engines


def test_the_purge_anonymises_aged_people_and_clears_old_mails(app, runner):
    jobs._last_run.clear()  # the job's clock is the process's
    now = utcnow()
    old_event = make_event(starts_at=now - timedelta(days=365 * 7))
    aged_registrations = [make_registration(old_event) for _ in range(3)]
    aged = [r.person for r in aged_registrations]
    for row in [*aged, *aged_registrations]:
        row.created_at = now - timedelta(days=365 * 7)
    active = make_registration(make_event())  # an upcoming event: active
    recent = active.person
    recent.created_at = active.created_at = now - timedelta(days=365 * 7)
    old_mail = OutboxMessage(kind="x", to_address="a@b.be", subject="s", body_text="Hello Marie",
                             message_id="<old@x>", status=OutboxStatus.SENT,
                             sent_at=now - timedelta(days=91))
    old_mail.attachments.append(OutboxAttachment(filename="a.ics", content_type="text/calendar",
                                                 content=b"x"))
    new_mail = OutboxMessage(kind="x", to_address="a@b.be", subject="s", body_text="Hi",
                             message_id="<new@x>", status=OutboxStatus.SENT,
                             sent_at=now - timedelta(days=10))
    db.session.add_all([old_mail, new_mail])
    db.session.commit()

    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert "people_anonymised: 3 " in result.output and "mail_bodies_deleted: 1" in result.output
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)
                             .where(Person.anonymised_at.is_not(None))) == 0

    assert retention.purge(now, limit=2)["people_anonymised"] == 2  # bounded batches
    assert privacy_purge(now)["people_anonymised"] == 1
    assert privacy_purge(now + timedelta(minutes=1)) is None  # at most hourly
    db.session.rollback()
    assert all(db.session.get(Person, p.id).anonymised_at for p in aged)
    assert db.session.get(Person, recent.id).anonymised_at is None
    old = db.session.get(OutboxMessage, old_mail.id)
    new = db.session.get(OutboxMessage, new_mail.id)
    assert (old.body_text, old.attachments, new.body_text) == (None, [], "Hi")
