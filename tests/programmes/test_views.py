"""Programme pages: public page, calendar, one sign-up through the form, the person's page
with progress and the way out; the staff's list, grid and form; editions of an event."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.db import utcnow
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.programmes.models import Programme
from boostcamp.registrations.models import EventQuestion, Registration
from tests.factories import (
    at,
    make_centre,
    make_event,
    make_org,
    make_programme,
    make_question,
    make_user,
)

FORM = {"first_name": "Léa", "last_name": "Martin", "email": "lea@example.be",
        "profile": "job_seeker", "consent": "y"}  # fmt: skip


def soon(days: int, hour: int = 9):
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    partner, other = make_org("Mind & Market"), make_org("Namur coworking")
    events = [
        make_event(host=centre, co_organisers=[partner], title="Boostcamp", starts_at=soon(10),
                   days=3, capacity=10),
        make_event(host=centre, co_organisers=[partner], title="Atelier pitch",
                   starts_at=soon(20), capacity=10),
        make_event(host=centre, title="Examen MCP", starts_at=soon(30), capacity=10),
    ]  # fmt: skip
    programme = make_programme(events, title="Parcours printemps", co_organisers=[partner],
                               summary="Du projet à la certification")  # fmt: skip
    make_user("staff@mic.test", role=StaffRole.STAFF)
    make_user("manager@a.test", org=partner, org_role=MemberRole.MANAGER)
    make_user("manager@b.test", org=other, org_role=MemberRole.MANAGER)
    return {"programme": programme, "events": events, "partner": partner, "other": other,
            "centre": centre}  # fmt: skip


def test_the_public_page_lists_its_events_in_order_with_seats_and_organisers(client, world):
    page = client.get("/programmes/parcours-printemps").get_data(as_text=True)
    titles = re.findall(r'href="/events/[^"]+">([^<]+)</a>', page)
    assert titles == ["Boostcamp", "Atelier pitch", "Examen MCP"]
    assert "10 places restantes" in page and "Mind &amp; Market" in page
    assert 'href="/programmes/parcours-printemps/register"' in page
    listing = client.get("/programmes").get_data(as_text=True)
    assert "Parcours printemps" in listing


def test_a_draft_programme_is_not_public(client, world):
    world["programme"].status = EventStatus.DRAFT
    db.session.commit()
    assert client.get("/programmes/parcours-printemps").status_code == 404
    assert client.get("/programmes/parcours-printemps/register").status_code == 404
    assert "Parcours" not in client.get("/programmes").get_data(as_text=True)


def test_the_programmes_calendar_has_each_event(client, world):
    response = client.get("/programmes/parcours-printemps.ics")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    assert all(f"UID:event-{e.id}@" in body for e in world["events"])
    assert "Parcours printemps" in body
    again = client.get("/programmes/parcours-printemps.ics",
                       headers={"If-None-Match": response.headers["ETag"]})  # fmt: skip
    assert again.status_code == 304


def test_one_sign_up_through_the_form_and_the_persons_page(client, world):
    response = client.post("/programmes/parcours-printemps/register", data=FORM)
    assert response.status_code == 302
    done = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "inscrit·e à chaque événement" in done and "les billets de tous les événements" in done
    link = re.search(r'href="(/programmes/parcours-printemps/p/[^"]+)"', done).group(1)
    page = client.get(link)
    assert page.status_code == 200 and "no-store" in page.headers["Cache-Control"]
    text = page.get_data(as_text=True)
    assert text.count("Inscrit, pas encore") == 3 and "0 événement suivi" in text
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 3
    # Each event's own page is one click away, and the same person's calendar has them all.
    assert text.count('href="/r/') == 3
    response = client.post(f"{link}/cancel")
    assert response.status_code == 302
    db.session.rollback()
    assert {r.status.value for r in db.session.scalars(sa.select(Registration))} == {"cancelled"}


def test_a_mangled_link_is_a_404(client, world):
    assert client.get("/programmes/parcours-printemps/p/abc.def").status_code == 404


def test_a_started_programme_shows_a_clear_closed_page(client, world):
    world["events"][0].starts_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    response = client.get("/programmes/parcours-printemps/register")
    assert response.status_code == 200
    assert "a commencé" in response.get_data(as_text=True)
    response = client.post("/programmes/parcours-printemps/register", data=FORM)
    assert "a commencé" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 0


def test_bad_input_on_the_form_is_field_errors(client, world):
    response = client.post("/programmes/parcours-printemps/register",
                           data={**FORM, "email": "x", "first_name": "\x00"})  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="email-error"' in page and 'id="first_name-error"' in page


# ---------------------------------------------------------------- staff


def test_staff_see_the_progress_grid(client, auth, world):
    client.post("/programmes/parcours-printemps/register", data=FORM)
    auth.login("staff@mic.test")
    page = client.get("/staff/programmes/parcours-printemps").get_data(as_text=True)
    assert "Léa Martin" in page and page.count("Inscrit, pas encore") == 3
    assert "/staff/programmes/parcours-printemps/edit" in page
    assert "Parcours printemps" in client.get("/staff/programmes").get_data(as_text=True)


def test_the_grid_costs_the_same_queries_for_5_and_40_participants(client, auth, world,
                                                                   count_queries):  # fmt: skip
    from boostcamp.programmes import enrolment
    from boostcamp.registrations.signup import SignUp

    def add(n, start):
        for i in range(start, start + n):
            enrolment.sign_up(world["programme"], SignUp(
                email=f"p{i}@example.be", first_name="P", last_name=f"N{i}", consent=True))
        db.session.commit()

    auth.login("staff@mic.test")
    add(5, 0)
    with count_queries() as few:
        assert client.get("/staff/programmes/parcours-printemps").status_code == 200
    add(35, 5)
    with count_queries() as many:
        assert client.get("/staff/programmes/parcours-printemps").status_code == 200
    assert many.count == few.count


def test_staff_create_a_programme_and_overlapping_events_are_a_field_error(client, auth, world):
    auth.login("staff@mic.test")
    events = world["events"]
    clash = make_event(host=world["centre"], title="Le même jour", starts_at=events[1].starts_at)
    data = {"title_fr": "Parcours automne", "events": [events[1].id, clash.id]}
    page = client.post("/staff/programmes/new", data=data).get_data(as_text=True)
    assert 'id="events-error"' in page and "chevauchent" in page
    response = client.post("/staff/programmes/new",
                           data={**data, "events": [events[1].id, events[2].id],
                                 "co_organisers": [world["partner"].id]})  # fmt: skip
    assert response.status_code == 302
    db.session.rollback()
    made = db.session.scalars(sa.select(Programme).where(Programme.title == "Parcours automne")).one()
    assert made.status == EventStatus.DRAFT and made.host.name == "MIC Mons"
    assert [o.name for o in made.co_organisers] == ["Mind & Market"]


def test_removing_a_booked_event_is_a_409_that_says_what_to_do(client, auth, world):
    client.post("/programmes/parcours-printemps/register", data=FORM)
    auth.login("staff@mic.test")
    events = world["events"]
    response = client.post("/staff/programmes/parcours-printemps/edit",
                           data={"title_fr": "Parcours printemps",
                                 "events": [events[0].id, events[1].id]})  # fmt: skip
    assert response.status_code == 409
    assert "annulez" in response.get_data(as_text=True).lower()


def test_a_partner_manager_edits_its_programme_with_its_own_events_only(client, auth, world):
    auth.login("manager@a.test")
    events = world["events"]
    page = client.get("/staff/programmes/parcours-printemps/edit").get_data(as_text=True)
    assert 'name="co_organisers"' not in page
    foreign = make_event(host=world["centre"], title="Hors partenaire", starts_at=soon(40))
    response = client.post("/staff/programmes/parcours-printemps/edit",
                           data={"title_fr": "Parcours", "events": [e.id for e in events] + [foreign.id]})
    assert response.status_code == 200 and 'id="events-error"' in response.get_data(as_text=True)
    response = client.post("/staff/programmes/parcours-printemps/edit",
                           data={"title_fr": "Parcours", "events": [e.id for e in events]})
    assert response.status_code == 302
    assert client.post("/staff/programmes/parcours-printemps/publish").status_code == 403
    assert client.get("/staff/programmes/new").status_code == 403


# ---------------------------------------------------------------- editions


def test_staff_create_four_monthly_editions_in_one_form(client, auth, world):
    event = make_event(host=world["centre"], title="Boostcamp Mons", starts_at=at(2030, 1, 14, 9, 30),
                       sessions=[("Jour 1", at(2030, 1, 14, 9, 30), at(2030, 1, 14, 17))],
                       capacity=12)  # fmt: skip
    make_question(event, "Votre projet ?", required=True)
    auth.login("staff@mic.test")
    response = client.post(f"/staff/events/{event.slug}/editions",
                           data={"every": "1", "unit": "months", "count": "4"})
    assert response.status_code == 302
    db.session.rollback()
    copies = db.session.scalars(sa.select(Event).where(Event.title == "Boostcamp Mons",
                                                       Event.id != event.id)
                                .order_by(Event.starts_at)).all()  # fmt: skip
    # 09:30 in Brussels every time, across the change to summer time in March.
    assert [c.starts_at for c in copies] == [at(2030, m, 14, 9, 30) for m in (2, 3, 4, 5)]
    assert [c.sessions[0].starts_at for c in copies] == [at(2030, m, 14, 9, 30) for m in (2, 3, 4, 5)]
    assert {c.status for c in copies} == {EventStatus.DRAFT} and {c.capacity for c in copies} == {12}
    assert db.session.scalar(sa.select(sa.func.count(EventQuestion.id))) == 5


@pytest.mark.parametrize("data, field", [
    ({"every": "1", "unit": "months", "count": "0"}, "count"),
    ({"every": "1", "unit": "months", "count": "500"}, "count"),
    ({"every": "0", "unit": "weeks", "count": "3"}, "every"),
    ({"dates": "2030-13-01"}, "dates"),
    ({"dates": "demain"}, "dates"),
])  # fmt: skip
def test_editions_out_of_bounds_are_field_errors(client, auth, world, data, field):
    auth.login("staff@mic.test")
    event = world["events"][2]
    response = client.post(f"/staff/events/{event.slug}/editions", data=data)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 3


def test_a_partner_cannot_make_editions_of_another_partners_event(client, auth, world):
    auth.login("manager@b.test")
    event = world["events"][0]
    assert client.post(f"/staff/events/{event.slug}/editions",
                       data={"count": "2", "unit": "weeks", "every": "1"}).status_code == 404


def test_each_events_page_of_the_person_leads_to_their_programme_and_its_progress(client, world):
    from boostcamp.checkin.models import CheckIn  # noqa: F401  (the factory writes one)
    from tests.factories import make_check_in

    client.post("/programmes/parcours-printemps/register", data=FORM)
    db.session.rollback()
    registration = db.session.scalars(sa.select(Registration).where(
        Registration.event_id == world["events"][0].id)).one()
    make_check_in(registration)
    from boostcamp.registrations.tokens import make_token

    page = client.get(f"/r/{make_token(registration.id)}").get_data(as_text=True)
    assert "Mes programmes" in page and "1 événements suivis sur 3" in page
    link = re.search(r'href="http://boostcamp.test(/programmes/parcours-printemps/p/[^"]+)"', page)
    assert link and "Présent 100 %" in client.get(link.group(1)).get_data(as_text=True)
