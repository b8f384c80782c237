"""The staff outbox: list, filters, a mail's page, its HTML preview, resending; centre staff only."""

import re

import pytest

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.mail.models import OutboxStatus
from boostcamp.mail.worker import Worker
from tests.factories import make_event, make_org, make_user
from tests.mail.helpers import ICS, queue, queue_many, reload, set_status


@pytest.fixture
def staff(auth):
    make_user("staff@mic-mons.example", role=StaffRole.STAFF)
    auth.login("staff@mic-mons.example")
    return auth


def test_the_outbox_lists_mails_newest_first_with_their_state(client, staff):
    event = make_event(title="Boostcamp Mons")
    old = queue(to="ancien@example.be", subject="Ancien courriel")
    new = queue(
        to="lea@example.be",
        to_name="Léa Müller",
        subject="Votre place",
        event=event,
        attachments=[ICS],
    )
    set_status(old, OutboxStatus.FAILED, attempts=10, last_error="550 5.1.1 No such user")
    html = client.get("/staff/outbox/").get_data(as_text=True)
    assert html.index("Votre place") < html.index("Ancien courriel")
    assert "Léa Müller" in html and "Boostcamp Mons" in html and "1 pièce jointe" in html
    assert "Échec" in html and "550 5.1.1 No such user" in html and "après 10 tentatives" in html
    assert "Aucun serveur de courriel n’est configuré" in html  # the demo: nothing really leaves
    assert f'href="/staff/outbox/{new.id}"' in html


def test_the_outbox_costs_the_same_queries_for_5_or_60_mails(app, client, staff, count_queries):
    event = make_event()
    queue_many(5, event=event, attachments=[ICS])
    with count_queries() as few:
        assert client.get("/staff/outbox/").status_code == 200
    queue_many(55, event=event, attachments=[ICS])
    with count_queries() as many:
        html = client.get("/staff/outbox/").get_data(as_text=True)
    assert "60 courriels" in html
    assert many.count == few.count


def test_the_outbox_filters_by_status_and_by_recipient_or_subject(client, staff):
    set_status(queue(to="echec@example.be", subject="Rappel"), OutboxStatus.FAILED)
    set_status(queue(to="envoye@example.be", subject="Confirmation"), OutboxStatus.SENT)
    queue(to="attente@example.be", to_name="Zoé Lambert", subject="Confirmation 100%")

    html = client.get("/staff/outbox/?status=failed").get_data(as_text=True)
    assert (
        "echec@example.be" in html
        and "envoye@example.be" not in html
        and "attente@example.be" not in html
    )
    assert '<option selected value="failed">Échec (1)</option>' in html

    html = client.get("/staff/outbox/?q=confirmation").get_data(as_text=True)
    assert (
        "envoye@example.be" in html
        and "attente@example.be" in html
        and "echec@example.be" not in html
    )
    html = client.get("/staff/outbox/?q=zoé").get_data(as_text=True)  # the name too
    assert "attente@example.be" in html and "envoye@example.be" not in html
    html = client.get("/staff/outbox/?q=100%25").get_data(
        as_text=True
    )  # % is a letter, not a wildcard
    assert "attente@example.be" in html and "envoye@example.be" not in html
    html = client.get("/staff/outbox/?status=queued&q=confirmation").get_data(as_text=True)
    assert "attente@example.be" in html and "envoye@example.be" not in html
    assert client.get(f"/staff/outbox/?status=nonsense&q={'x' * 300}").status_code == 200


def test_a_mails_page_shows_text_links_and_a_sandboxed_html_version(client, staff):
    message = queue(to="lea@example.be", attachments=[ICS])
    response = client.get(f"/staff/outbox/{message.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Bonjour Marie," in html and message.message_id.strip("<>") in html
    assert '<a href="http://boostcamp.test/staff/outbox/" rel="noopener noreferrer">' in html
    iframe = re.search(r"<iframe[^>]*>", html).group(0)
    assert re.search(r"\ssandbox[\s>]", iframe) and "allow-" not in iframe
    assert f'src="/staff/outbox/{message.id}/preview"' in iframe
    assert "&lt;p&gt;Bonjour Marie,&lt;/p&gt;" in html  # the source, escaped
    assert "invitation.ics" in html
    assert "Renvoyer" not in html  # queued: nothing to send again

    preview = client.get(f"/staff/outbox/{message.id}/preview")
    assert preview.get_data(as_text=True) == message.body_html
    csp = preview.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "frame-ancestors 'self'" in csp
    assert "script-src" not in csp  # so no script at all


def test_a_printed_mail_says_it_was_not_sent(client, staff, app):
    message = queue()
    Worker().run_pass()
    html = client.get(f"/staff/outbox/{message.id}").get_data(as_text=True)
    assert "Affiché, non envoyé" in html
    assert "Ce courriel n’a PAS été envoyé" in html


def test_a_failed_mail_can_be_sent_again(client, staff, smtp_server):
    smtp_server.refuse("lea@example.be")
    message = queue(to="lea@example.be")
    Worker().run_pass()
    assert reload(message.id).status == OutboxStatus.FAILED
    html = client.get("/staff/outbox/?status=failed").get_data(as_text=True)
    assert "lea@example.be" in html and "550 5.1.1 No such user here" in html

    smtp_server.accept("lea@example.be")  # the mailbox is fixed
    response = client.post(f"/staff/outbox/{message.id}/resend", follow_redirects=True)
    assert "Le courriel à lea@example.be est de nouveau en attente d’envoi." in response.get_data(
        as_text=True
    )
    queued = reload(message.id)
    assert (queued.status, queued.attempts, queued.last_error) == (OutboxStatus.QUEUED, 0, None)
    Worker().run_pass()
    assert smtp_server.message_ids() == {message.message_id: 1}
    assert reload(message.id).status == OutboxStatus.SENT


def test_a_sent_mail_cannot_be_sent_twice(client, staff):
    message = set_status(queue(), OutboxStatus.SENT)
    response = client.post(f"/staff/outbox/{message.id}/resend", follow_redirects=True)
    assert "Seul un courriel en échec ou seulement affiché peut être renvoyé." in response.get_data(
        as_text=True
    )
    assert reload(message.id).status == OutboxStatus.SENT


def test_sending_again_needs_the_forms_csrf_token(app, client, staff):
    message = set_status(queue(), OutboxStatus.FAILED)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/staff/outbox/{message.id}/resend").status_code == 400
    assert reload(message.id).status == OutboxStatus.FAILED


def test_an_unknown_mail_is_404(client, staff):
    assert client.get("/staff/outbox/999999").status_code == 404
    assert client.post("/staff/outbox/999999/resend").status_code == 404


def test_partners_never_see_the_outbox(client, auth):
    platform = make_org("Mind & Market")
    make_user("manager@mind-and-market.example", org=platform, org_role=MemberRole.MANAGER)
    message = set_status(queue(), OutboxStatus.FAILED)
    auth.login("manager@mind-and-market.example")
    for url in [
        "/staff/outbox/",
        f"/staff/outbox/{message.id}",
        f"/staff/outbox/{message.id}/preview",
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/staff/outbox/{message.id}/resend").status_code == 403
    assert reload(message.id).status == OutboxStatus.FAILED
    assert "Boîte d’envoi" not in client.get("/staff/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_the_sign_in_page(client):
    message = queue()
    for url in [
        "/staff/outbox/",
        f"/staff/outbox/{message.id}",
        f"/staff/outbox/{message.id}/preview",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url
    assert client.post(f"/staff/outbox/{message.id}/resend").status_code in (302, 401)


def test_centre_staff_find_the_outbox_in_the_menu(client, staff):
    assert '<a class="dropdown-item" href="/staff/outbox/">Boîte d’envoi</a>' in client.get(
        "/staff/"
    ).get_data(as_text=True)


def test_a_mail_the_worker_has_not_written_yet_says_so(client, staff):
    from boostcamp.core.extensions import db
    from boostcamp.mail.services import queue_mail_later
    from tests.mail.test_worker import compose_sample  # noqa: F401  (registers the composer)

    message = queue_mail_later("sample", composer="tests.sample", params={"name": "Léa"},
                               to="lea@example.be", subject="Votre place")  # fmt: skip
    db.session.commit()
    html = client.get(f"/staff/outbox/{message.id}").get_data(as_text=True)
    assert "Votre place" in html
    assert "Le serveur d’envoi écrit ce courriel au moment de l’envoyer" in html
    assert client.get(f"/staff/outbox/{message.id}/preview").status_code == 404


def test_the_preview_shows_the_ticket_qr_inline(client, staff, app):
    from tests.factories import sign_up
    from tests.registrations.helpers import mails

    sign_up(make_event(title="Boostcamp Mons"), email="ana@example.be")
    (message,) = mails("registration_confirmed")
    assert 'src="cid:ticket-' in message.body_html
    preview = client.get(f"/staff/outbox/{message.id}/preview").get_data(as_text=True)
    assert 'src="data:image/png;base64,' in preview and "cid:" not in preview
