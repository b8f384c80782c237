from datetime import timedelta

import pytest

from boostcamp.core.extensions import db
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.events.models import EventStatus
from boostcamp.registrations.models import RegistrationStatus
from tests.factories import make_centre, make_event, make_org, make_person, make_registration, make_user


def test_home_lists_upcoming_published_events_only(client):
    centre = make_centre()
    make_event(host=centre, title="Boostcamp de printemps", city="Mons")
    make_event(host=centre, title="Brouillon secret", status=EventStatus.DRAFT)
    make_event(host=centre, title="Boostcamp de 2010", starts_at=utcnow() - timedelta(days=400))
    html = client.get("/").get_data(as_text=True)
    assert "Boostcamp de printemps" in html
    assert "Brouillon secret" not in html
    assert "Boostcamp de 2010" not in html
    assert '<html lang="fr">' in html


def test_home_shows_co_organisers_and_seats_left(client):
    centre = make_centre("MIC Mons")
    partner = make_org("Mind & Market")
    event = make_event(host=centre, co_organisers=[partner], capacity=3)
    make_registration(event)
    make_registration(event, status=RegistrationStatus.CANCELLED)
    html = client.get("/").get_data(as_text=True)
    assert "Mind &amp; Market" in html
    assert "2 places restantes" in html


def test_a_full_event_says_waiting_list(client):
    event = make_event(capacity=1)
    make_registration(event)
    assert "Complet — liste d’attente" in client.get("/").get_data(as_text=True)


def test_event_page_shows_agenda_in_brussels_time(client):
    from tests.factories import at

    event = make_event(
        title="Boostcamp Mons",
        starts_at=at(2030, 3, 30, 9),  # the night of 30–31 March 2030 clocks go forward
        days=2,
        sessions=[
            ("Jour 1 — De l'idée au projet", at(2030, 3, 30, 9), at(2030, 3, 30, 17)),
            ("Jour 2 — Pitch", at(2030, 3, 31, 9), at(2030, 3, 31, 17)),
        ],
    )
    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Jour 1 — De l&#39;idée au projet" in html
    # Both sessions start at 09:00 local time, on each side of the change to summer time.
    assert html.count("09:00") == 2


def test_drafts_are_not_public_but_their_organisers_see_them(client, auth):
    centre = make_centre()
    partner = make_org("Partner A")
    draft = make_event(host=centre, co_organisers=[partner], status=EventStatus.DRAFT)
    assert client.get(f"/events/{draft.slug}").status_code == 404
    make_user("b@p.test", org=make_org("Partner B"), org_role=MemberRole.MANAGER)
    auth.login("b@p.test")
    assert client.get(f"/events/{draft.slug}").status_code == 404
    auth.logout()  # writes (it ends the account's sessions): SQLite needs a fresh snapshot
    db.session.rollback()
    make_user("a@p.test", org=partner, org_role=MemberRole.MANAGER)
    auth.login("a@p.test")
    assert client.get(f"/events/{draft.slug}").status_code == 200


def test_unknown_event_is_a_404_page_in_french(client):
    response = client.get("/events/nope")
    assert response.status_code == 404
    assert "Page introuvable" in response.get_data(as_text=True)


def test_dashboard_lists_only_the_events_a_partner_may_manage(client, auth):
    centre = make_centre()
    a, b = make_org("Partner A"), make_org("Partner B")
    make_event(host=centre, co_organisers=[a], title="Event of A")
    make_event(host=centre, co_organisers=[b], title="Event of B")
    make_event(host=centre, title="Centre event")
    make_user("a@p.test", org=a, org_role=MemberRole.CHECKIN)
    auth.login("a@p.test")
    html = client.get("/staff/").get_data(as_text=True)
    assert "Event of A" in html
    assert "Event of B" not in html
    assert "Centre event" not in html


def test_dashboard_shows_past_events_on_their_own_tab(client, auth):
    make_event(title="Old one", starts_at=utcnow() - timedelta(days=300))
    make_event(title="New one")
    make_user("s@mic.test", role=StaffRole.STAFF)
    auth.login("s@mic.test")
    upcoming = client.get("/staff/").get_data(as_text=True)
    past = client.get("/staff/?show=past").get_data(as_text=True)
    assert "New one" in upcoming and "Old one" not in upcoming
    assert "Old one" in past and "New one" not in past


@pytest.mark.parametrize("path", ["/", "/staff/"])
def test_lists_cost_the_same_queries_for_few_and_many_events(client, auth, count_queries, path):
    centre = make_centre()
    partners = [make_org(f"Partner {i}") for i in range(3)]
    make_user("s@mic.test", role=StaffRole.STAFF)
    auth.login("s@mic.test")

    def add_events(n):
        for i in range(n):
            event = make_event(host=centre, co_organisers=partners[: i % 3], capacity=10)
            make_registration(event, make_person())

    add_events(2)
    with count_queries() as few:
        assert client.get(path).status_code == 200
    add_events(30)  # more than a page
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert many.count == few.count, many.statements
