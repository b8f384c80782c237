"""The demo's programmes: a newcomer signs up once for the next Boostcamp's path and finds
every event of it on their page and in their calendar; the 2009 path shows its participants'
progress without changing the funders' figures."""

import re

import sqlalchemy as sa

from boostcamp.checkin.models import CheckIn
from boostcamp.core.extensions import db
from boostcamp.programmes import demo
from boostcamp.registrations.models import Registration
from tests.test_demo import seed, sign_in


def test_one_sign_up_for_the_demo_programme_shows_every_event_on_the_page_and_calendar(app):
    seed()
    client = app.test_client()
    page = client.get(f"/programmes/{demo.NEXT}").get_data(as_text=True)
    assert "Boostcamp Mons : prochaine édition" in page and "Atelier" in page and "examens" in page
    client.get("/lang/nl")
    dutch = client.get(f"/programmes/{demo.NEXT}").get_data(as_text=True)
    assert "Boostcamp-traject Bergen" in dutch and "één inschrijving" in dutch
    assert "/programmes/" + demo.NEXT in client.get("/programmes?q=traject").get_data(as_text=True)
    client.get("/lang/fr")
    response = client.post(f"/programmes/{demo.NEXT}/register", data={
        "first_name": "Nadia", "last_name": "Benali", "email": "nadia@example.be",
        "profile": "job_seeker", "consent": "y"})
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/programmes/[^"]+/p/[^"]+)"', done).group(1)
    mine = client.get(link).get_data(as_text=True)
    assert mine.count('href="/r/') == 4  # each event, with its ticket page
    event_page = re.search(r'href="(/r/[^"]+)"', mine).group(1)
    assert client.post(f"{event_page}/calendar/new").status_code == 302
    feed = re.search(r'(/calendar/[^".]+\.ics)', client.get(event_page).get_data(as_text=True))
    calendar = client.get(feed.group(1)).get_data(as_text=True)
    assert calendar.count("BEGIN:VEVENT") >= 4
    assert "Boostcamp Mons" in calendar and "examens de certification" in calendar


def test_the_2009_path_shows_progress_and_adds_no_registration_or_check_in(app):
    def figures():
        return (db.session.scalar(sa.select(sa.func.count(Registration.id))),
                db.session.scalar(sa.select(sa.func.count(CheckIn.id))))

    seed()
    with_programmes = figures()
    client, _response = sign_in(app, "staff@mic-mons.example", "demo-staff")
    page = client.get(f"/staff/programmes/{demo.HISTORY}").get_data(as_text=True)
    assert "Boostcamp de printemps 2009" in page and "Présent" in page
    from boostcamp.programmes.models import Programme

    db.session.execute(sa.delete(Programme))  # the demo without programmes
    db.session.commit()
    assert figures() == with_programmes
