"""The participant's path with a real SMTP server on loopback: the mails arrive, their links
work, and a server that is down loses nothing and sends nothing twice."""

import re
from datetime import timedelta

from flask_babel import force_locale

from boostcamp.core.i18n import local_span
from boostcamp.core.db import utcnow
from boostcamp.mail.worker import Worker
from tests.factories import make_event
from tests.registrations.helpers import statuses

LINK = re.compile(r"https?://boostcamp\.test(/r/[\w.-]+)")


def register(client, event, email, first_name="Marie"):
    data = dict(first_name=first_name, last_name="Dupont", email=email, profile="student",
                consent="y")  # fmt: skip
    response = client.post(f"/events/{event.slug}/register", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def send_mails(clock=utcnow):
    return Worker(clock=clock).run_pass(until_empty=True)


def received(server, to):
    return [m for m in server.messages if m["To"].addresses[0].addr_spec == to]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def self_service_path(message) -> str:
    return LINK.search(text_of(message)).group(1)


def test_sign_up_mail_link_cancel_offer_accept(client, smtp_server):
    event = make_event(capacity=1, title="Boostcamp Mons")
    register(client, event, "ana@example.be", "Ana")
    register(client, event, "ben@example.be", "Ben")
    send_mails()
    (confirmation,) = received(smtp_server, "ana@example.be")
    assert confirmation["Subject"] == "Votre place pour Boostcamp Mons est confirmée"
    parts = {part.get_content_type(): part for part in confirmation.iter_attachments()}
    assert set(parts) == {"text/calendar", "image/png"}
    assert "METHOD:REQUEST" in parts["text/calendar"].get_content()
    (waiting,) = received(smtp_server, "ben@example.be")
    assert "liste d’attente, numéro 1" in text_of(waiting)

    ana = self_service_path(confirmation)
    page = client.get(ana).get_data(as_text=True)
    assert "Votre place est confirmée." in page
    client.post(f"{ana}/cancel")
    send_mails()
    (cancelled,) = received(smtp_server, "ana@example.be")[1:]
    assert cancelled["Subject"] == "Annulation : Boostcamp Mons"
    (ics,) = [p for p in cancelled.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert "METHOD:CANCEL" in ics.get_content()
    (offer,) = received(smtp_server, "ben@example.be")[1:]
    assert offer["Subject"] == "Une place s’est libérée pour vous à Boostcamp Mons"

    ben = self_service_path(offer)
    assert ben == self_service_path(waiting)  # one link per registration, in every mail
    assert "Accepter la place" in client.get(ben).get_data(as_text=True)
    client.post(f"{ben}/accept")
    send_mails()
    (ticket,) = received(smtp_server, "ben@example.be")[2:]
    assert ticket["Subject"] == "Votre place pour Boostcamp Mons est confirmée"
    assert statuses(event) == {"cancelled": 1, "confirmed": 1}
    assert sum(smtp_server.message_ids().values()) == len(smtp_server.messages) == 5


def test_an_offer_that_runs_out_goes_to_the_next_person(client, smtp_server):
    event = make_event(capacity=1)
    register(client, event, "seat@example.be")
    register(client, event, "first@example.be")
    register(client, event, "second@example.be")
    client.post(f"{self_service_path_for(smtp_server, 'seat@example.be')}/cancel")
    send_mails()
    later = utcnow() + timedelta(hours=49)
    send_mails(clock=lambda: later)  # the worker's jobs run first, then their mails leave
    expired = received(smtp_server, "first@example.be")[-1]
    assert "n’a pas été acceptée à temps" in text_of(expired)
    offer = received(smtp_server, "second@example.be")[-1]
    assert offer["Subject"].startswith("Une place s’est libérée pour vous")


def self_service_path_for(server, to) -> str:
    send_mails()
    return self_service_path(received(server, to)[0])


def test_smtp_down_during_a_burst_then_up_loses_nothing_and_sends_once(client, smtp_server):
    event = make_event(capacity=20)
    smtp_server.stop()
    for i in range(30):
        register(client, event, f"p{i}@example.be")
    counts = send_mails()
    assert counts["retried"] == 30 and counts["sent"] == 0
    assert statuses(event) == {"confirmed": 20, "waitlisted": 10}
    smtp_server.start()
    later = utcnow() + timedelta(hours=2)  # past every retry's wait
    assert send_mails(clock=lambda: later)["sent"] == 30
    assert send_mails(clock=lambda: later)["claimed"] == 0
    ids = smtp_server.message_ids()
    assert len(ids) == 30 and set(ids.values()) == {1}
    assert {m["To"].addresses[0].addr_spec for m in smtp_server.messages} == {
        f"p{i}@example.be" for i in range(30)}
    kinds = [m["Subject"].split(" ")[0] for m in smtp_server.messages]
    assert kinds.count("Votre") == 20 and kinds.count("Vous") == 10
    assert statuses(event) == {"confirmed": 20, "waitlisted": 10}


def test_a_three_day_event_mail_gives_the_programme_once_and_the_qr_inline(client, smtp_server):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    brussels = ZoneInfo("Europe/Brussels")
    days = [datetime(2031, 3, 4 + n, 9, tzinfo=brussels) for n in range(3)]
    sessions = [dict(title=f"Jour {n}", starts_at=day, ends_at=day + timedelta(hours=8))
                for n, day in enumerate(days, 1)]  # fmt: skip
    event = make_event(title="Boostcamp Mons", starts_at=days[0], days=3, sessions=sessions,
                       venue="Microsoft Innovation Center", address="Rue Jean Monnet 1, 7000 Mons",
                       city="Mons")  # fmt: skip
    register(client, event, "ana@example.be", "Ana")
    send_mails()
    (mail,) = received(smtp_server, "ana@example.be")
    text = text_of(mail)
    html = mail.get_body(preferencelist=("html",)).get_content()
    for body in (text, html):
        assert "mardi 4 mars 2031, 9 h – 17 h" in body
        assert "mercredi 5 mars 2031, 9 h – 17 h" in body
        assert "jeudi 6 mars 2031, 9 h – 17 h" in body
        assert "Jour 3" in body
        assert ":00:00" not in body and "+0100" not in body and "09:00" not in body
        assert body.count("Mons, Mons") == 0 and body.count("7000 Mons") == 1
    attachments = list(mail.iter_attachments())
    (ics,) = [p for p in attachments if p.get_content_type() == "text/calendar"]
    assert ics.get_content().count("BEGIN:VEVENT") == 3
    (png,) = [p for p in attachments if p.get_content_type() == "image/png"]
    cid = png["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html


def test_a_one_day_event_mail_reads_as_people_write_it(client, smtp_server):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    start = datetime(2031, 3, 18, 9, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    event = make_event(title="Atelier", starts_at=start)
    register(client, event, "ana@example.be", "Ana")
    send_mails()
    (mail,) = received(smtp_server, "ana@example.be")
    assert "mardi 18 mars 2031, 9 h 30 – 18 h 30" in text_of(mail)
    with force_locale("en"):
        assert local_span(event.starts_at, event.ends_at, event.timezone) == (
            "Tuesday, 18 March 2031, 09:30 – 18:30"  # British English, 24-hour
        )
