"""A visitor whose browser prefers Dutch gets the site, the mail and the calendar invitation
in Dutch, through the real SMTP test server."""

from zoneinfo import ZoneInfo

from babel.dates import format_date

from boostcamp.core.extensions import db
from boostcamp.events.models import EventKind
from boostcamp.registrations.models import Person
from tests.factories import make_event
from tests.registrations.test_mail_flow import received, send_mails, text_of

DUTCH = {"Accept-Language": "nl-BE,nl;q=0.9,fr;q=0.5,en;q=0.3"}


def test_a_browser_preferring_dutch_gets_dutch(client):
    event = make_event(title="Boostcamp Gent")
    page = client.get(f"/events/{event.slug}", headers=DUTCH).get_data(as_text=True)
    assert '<html lang="nl"' in page
    assert "Inschrijven" in page
    # The switch offers the three languages; French stays the default.
    assert 'hreflang="fr"' in page and 'hreflang="en"' in page
    assert '<html lang="fr"' in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_a_dutch_sign_up_gets_a_dutch_mail_and_ics(client, smtp_server):
    event = make_event(title="Boostcamp Gent", kind=EventKind.TRAINING, city="Gent")
    data = dict(first_name="Lotte", last_name="Peeters", email="lotte@example.be",
                profile="student", consent="y")  # fmt: skip
    response = client.post(f"/events/{event.slug}/register", data=data, headers=DUTCH)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.rollback()  # on SQLite, see what the request wrote
    assert db.session.scalar(db.select(Person.language).filter_by(email="lotte@example.be")) == "nl"
    send_mails()

    (mail,) = received(smtp_server, "lotte@example.be")
    assert mail["Subject"] == "Uw plaats bij Boostcamp Gent is bevestigd"
    text = text_of(mail)
    assert "Beste Lotte," in text
    assert "Uw plaats is bevestigd." in text
    day = format_date(event.starts_at.astimezone(ZoneInfo(event.timezone)), "full", locale="nl")
    assert day in text  # e.g. "maandag 4 januari 2027": names of days and months in Dutch
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'lang="nl"' in html and "Uw ticket" in html
    (ics,) = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = ics.get_content()
    assert "METHOD:REQUEST" in calendar
    assert "CATEGORIES:Opleiding" in calendar  # the kind of event, in the attendee's language
    assert "Formation" not in calendar and "Training" not in calendar


def sign_up_in_dutch(client, event, email="lotte@example.be"):
    data = dict(first_name="Lotte", last_name="Peeters", email=email,
                profile="student", consent="y")  # fmt: skip
    response = client.post(f"/events/{event.slug}/register", data=data, headers=DUTCH)
    assert response.status_code == 302, response.get_data(as_text=True)
    send_mails()


def test_the_mail_and_ics_carry_the_events_dutch_title(client, smtp_server):
    event = make_event(title="Atelier pitch", kind=EventKind.WORKSHOP, city="Mons",
                       translations={"nl": {"title": "Workshop pitchen"}})  # fmt: skip
    sign_up_in_dutch(client, event)

    (mail,) = received(smtp_server, "lotte@example.be")
    assert mail["Subject"] == "Uw plaats bij Workshop pitchen is bevestigd"
    text = text_of(mail)
    assert "Workshop pitchen" in text and "Atelier pitch" not in text
    assert "9 uur" in text  # hours as Dutch writes them (the factory's events start at 9)
    (ics,) = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    calendar = ics.get_content().replace("\r\n ", "")
    assert "SUMMARY;LANGUAGE=nl:Workshop pitchen" in calendar
    assert "Atelier pitch" not in calendar


def test_an_event_in_french_only_is_mailed_in_french_within_a_dutch_mail(client, smtp_server):
    event = make_event(title="Atelier pitch", kind=EventKind.WORKSHOP, city="Mons")
    sign_up_in_dutch(client, event)

    (mail,) = received(smtp_server, "lotte@example.be")
    assert mail["Subject"] == "Uw plaats bij Atelier pitch is bevestigd"
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'lang="nl"' in html and '<span lang="fr">Atelier pitch</span>' in html
    (ics,) = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert "SUMMARY;LANGUAGE=fr:Atelier pitch" in ics.get_content().replace("\r\n ", "")
