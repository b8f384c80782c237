"""queue_mail: what a mail looks like in the outbox; it lives and dies with its transaction."""

import pytest
import sqlalchemy as sa

from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxMessage, OutboxStatus
from boostcamp.mail.services import Attachment, links_in, queue_mail
from tests.factories import make_centre, make_event, make_person
from tests.mail.helpers import ICS, queue, reload


def count_in_database() -> int:
    """Read through a connection of its own: what other workers would see."""
    with db.engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))


def test_a_french_mail_is_rendered_in_french_with_text_html_and_subject(app):
    make_centre("MIC Mons")
    message = queue(language="fr")
    assert message.subject == "Boîte d’envoi"
    assert message.body_text.startswith(
        "Bonjour Marie,\nBoîte d’envoi: http://boostcamp.test/staff/outbox/"
    )
    assert "Ce courriel vous a été envoyé automatiquement par MIC Mons." in message.body_text
    assert '<html lang="fr">' in message.body_html
    assert '<a href="http://boostcamp.test/staff/outbox/">Boîte d’envoi</a>' in message.body_html
    assert "MIC Mons" in message.body_html
    assert message.status == OutboxStatus.QUEUED and message.attempts == 0
    assert message.message_id.startswith("<") and message.message_id.endswith("@boostcamp.test>")


def test_an_english_mail_is_rendered_in_english(app):
    make_centre("MIC Mons")
    message = queue(language="en")
    assert message.subject == "Outbox"
    assert "This mail was sent automatically by MIC Mons." in message.body_text
    assert '<html lang="en">' in message.body_html
    assert "Ce courriel" not in message.body_html


def test_an_unknown_language_gets_french(app):
    message = queue(language="de")
    assert message.language == "fr"
    assert message.subject == "Boîte d’envoi"


def test_links_are_absolute_outside_a_request_too(app):
    message = queue()
    assert links_in(message.body_text)[0] == "http://boostcamp.test/staff/outbox/"
    app.config["PREFERRED_URL_SCHEME"] = "https"
    with app.app_context():  # the URL adapter is made when a context starts
        assert "https://boostcamp.test/" in queue().body_text


def test_each_mail_has_its_own_message_id_from_the_configured_domain(app):
    app.config["MAIL_MESSAGE_ID_DOMAIN"] = "mail.mic-mons.be"
    first, second = queue(), queue()
    assert first.message_id != second.message_id
    assert first.message_id.endswith("@mail.mic-mons.be>")


def test_attachments_and_links_to_the_event_and_person_are_kept(app):
    event = make_event(title="Boostcamp Mons")
    person = make_person("lea@example.be")
    photo = Attachment("plan.png", "image/png", b"\x89PNG\r\n")
    message = queue(to=person.email, event=event, person=person, attachments=[ICS, photo])
    message = reload(message.id)
    assert message.event.title == "Boostcamp Mons"
    assert message.person_id == person.id
    assert [(a.filename, a.content_type, a.content) for a in message.attachments] == [
        ("invitation.ics", "text/calendar; method=REQUEST; charset=utf-8", ICS.content),
        ("plan.png", "image/png", b"\x89PNG\r\n"),
    ]


def test_a_subject_cannot_carry_a_header(app):
    message = queue(subject="Bienvenue\r\nBcc: everyone@example.be")
    assert message.subject == "Bienvenue Bcc: everyone@example.be"


def test_a_mail_queued_in_a_rolled_back_transaction_never_exists(app):
    queue(commit=False)
    db.session.rollback()
    assert count_in_database() == 0


def test_a_queued_mail_is_only_visible_once_its_transaction_commits(app):
    queue(commit=False)
    assert count_in_database() == 0  # flushed, not committed: no worker can see it
    db.session.commit()
    assert count_in_database() == 1


def test_queue_mail_needs_its_templates(app):
    with pytest.raises(Exception, match="mail/no_such_kind.txt"):
        queue_mail("no_such_kind", to="a@example.be", subject="x", context={})
