"""Staff's people pages: centre staff only; anonymise with a reason; merge."""

import pytest
import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Person, Registration
from tests.factories import make_event, make_org, make_person, make_registration, make_user

# Both engines: the search, lower() and LIKE in SQL.
pytestmark = pytest.mark.both_engines


def test_partners_get_404_and_staff_find_export_anonymise(app, client, auth):
    partner = make_org("Partner")
    make_user("p@partner.be", org=partner, org_role=MemberRole.MANAGER)
    make_user("staff@centre.be", role=StaffRole.STAFF)
    person = make_person("zeb@quetz.example", first_name="Zebulon")
    make_registration(make_event(host=partner), person)
    auth.login("p@partner.be")
    for url in ("/staff/people/", f"/staff/people/{person.id}",
                f"/staff/people/{person.id}/export.json"):
        assert client.get(url).status_code == 404
    assert client.post(f"/staff/people/{person.id}/anonymise",
                       data={"reason": "x"}).status_code == 404
    auth.logout()
    auth.login("staff@centre.be")
    assert "Zebulon" in client.get("/staff/people/?q=zebu").text
    page = client.get(f"/staff/people/{person.id}").text
    assert "Zebulon" in page
    assert "Formulaire d’inscription" in page and "<td>form</td>" not in page  # its source, named
    assert client.get(f"/staff/people/{person.id}/export.json").json["person"]["email"] \
        == "zeb@quetz.example"
    client.post(f"/staff/people/{person.id}/anonymise", data={"reason": "asked by phone"})
    db.session.rollback()
    assert db.session.get(Person, person.id).anonymised_at is not None
    # Its name already carries its number: the heading says it once.
    erased_page = client.get(f"/staff/people/{person.id}").text
    heading = erased_page.split("<h1", 1)[1].split("</h1>")[0]
    assert heading.count(f"#{person.id}") == 1
    # The placeholder name is stored in English; pages say it in their reader's language.
    assert f"anonyme #{person.id}" in heading and "anonymised" not in heading
    event_page = client.get(f"/staff/events/{person.registrations[0].event.slug}/registrations")
    assert f'<th scope="row">#{person.id} anonyme</th>' in event_page.text
    # Nor is its placeholder address shown, or offered as a mail link: it leads nowhere.
    assert "invalid.invalid" not in event_page.text + erased_page
    english = client.get(f"/staff/people/{person.id}", headers={"Accept-Language": "en"}).text
    assert f"anonymised #{person.id}" in english
    entry = db.session.scalars(sa.select(AuditEntry)
                               .where(AuditEntry.action == "person_anonymised")).one()
    assert entry.changes["reason"] == [None, "asked by phone"] and entry.user is not None


def test_merge_keeps_the_history_and_refuses_a_shared_event(app, client, auth):
    make_user("staff@centre.be", role=StaffRole.STAFF)
    keep, other = make_person(), make_person()
    shared = make_event(title="Boostcamp Mons")
    make_registration(shared, keep)
    make_registration(make_event(), other)
    clash = make_registration(shared, make_person())
    auth.login("staff@centre.be")
    reply = client.post(f"/staff/people/{keep.id}/merge", data={"other_id": clash.person_id},
                        headers={"Accept-Language": "en"}, follow_redirects=True)
    assert "Boostcamp Mons" in reply.text
    db.session.rollback()
    assert db.session.get(Person, clash.person_id) is not None

    other_id = other.id
    client.post(f"/staff/people/{keep.id}/merge", data={"other_id": other_id})
    db.session.rollback()
    assert db.session.get(Person, other_id) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)
                             .where(Registration.person_id == keep.id)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 3
