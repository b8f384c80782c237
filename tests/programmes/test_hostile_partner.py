"""A partner's manager against another partner's programmes and events: every refused write
leaves the database as it was (every row of every table, tests/test_hostile_partner.py)."""

import pytest

from boostcamp.auth.models import MemberRole, StaffRole
from tests.factories import make_centre, make_event, make_org, make_programme, make_user
from tests.test_hostile_partner import snapshot


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    a, b = make_org("Mind & Market"), make_org("Namur coworking")
    event_a = make_event(host=centre, co_organisers=[a], title="Atelier de A")
    event_b = make_event(host=centre, co_organisers=[b], title="Atelier de B")
    programme_a = make_programme([event_a], host=centre, co_organisers=[a], title="Parcours A")
    programme_b = make_programme([event_b], host=centre, co_organisers=[b], title="Parcours B")
    make_user("manager@a.test", org=a, org_role=MemberRole.MANAGER)
    make_user("staff@mic.test", role=StaffRole.STAFF)
    return {"a": a, "b": b, "event_a": event_a, "event_b": event_b,
            "programme_a": programme_a, "programme_b": programme_b}  # fmt: skip


@pytest.mark.parametrize("path, data", [
    ("/staff/programmes/{programme_b}/edit", {"title_fr": "Pris par A", "events": "{event_b}"}),
    ("/staff/programmes/{programme_b}/cancel", {}),
    ("/staff/programmes/{programme_b}/publish", {}),
    ("/staff/events/{event_b_slug}/editions", {"every": "1", "unit": "weeks", "count": "3"}),
    ("/staff/programmes/{programme_b}/editions", {"every": "1", "unit": "weeks", "count": "3"}),
    ("/staff/programmes/{programme_b}/edit",
     {"title_fr": "Parcours B", "events": "{event_b}", "kept_events": "{event_b}"}),
])  # fmt: skip
def test_as_manager_of_a_nothing_of_bs_changes(client, auth, world, path, data):
    names = {"programme_b": world["programme_b"].slug, "event_b": world["event_b"].id,
             "event_b_slug": world["event_b"].slug}  # fmt: skip
    auth.login("manager@a.test")
    before = snapshot()
    response = client.post(path.format(**names),
                           data={k: str(v).format(**names) for k, v in data.items()})
    assert response.status_code == 404
    assert "Parcours B" not in response.get_data(as_text=True)
    assert snapshot() == before


def test_bs_event_cannot_be_slipped_into_as_programme(client, auth, world):
    auth.login("manager@a.test")
    before = snapshot()
    response = client.post(f"/staff/programmes/{world['programme_a'].slug}/edit", data={
        "title_fr": "Parcours A", "events": [world["event_a"].id, world["event_b"].id]})
    assert response.status_code == 200 and 'id="events-error"' in response.get_data(as_text=True)
    assert snapshot() == before


def test_a_partner_cannot_choose_its_programmes_organisers_or_publish_it(client, auth, world):
    auth.login("manager@a.test")
    slug = world["programme_a"].slug
    before = snapshot()
    response = client.post(f"/staff/programmes/{slug}/edit", data={
        "title_fr": "Parcours A", "events": world["event_a"].id, "co_organisers": world["b"].id})
    assert response.status_code == 403
    assert client.post(f"/staff/programmes/{slug}/cancel").status_code == 403
    assert client.post("/staff/programmes/new", data={"title_fr": "X"}).status_code == 403
    assert snapshot() == before


def test_as_manager_of_a_no_seat_is_given_in_bs_programme(client, auth, world):
    from boostcamp.core.extensions import db
    from boostcamp.programmes.models import ProgrammeRegistration
    from tests.factories import make_person

    entry = ProgrammeRegistration(programme=world["programme_b"], person=make_person(),
                                  status="waitlisted")  # fmt: skip
    db.session.add(entry)
    db.session.commit()
    auth.login("manager@a.test")
    before = snapshot()
    for slug in (world["programme_b"].slug, world["programme_a"].slug):
        response = client.post(f"/staff/programmes/{slug}/registrations/{entry.id}/give-seats")
        assert response.status_code == 404
    assert snapshot() == before
