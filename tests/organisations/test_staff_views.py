"""Staff pages for organisations and their members."""

import re

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, Membership, StaffRole
from boostcamp.extensions import db
from boostcamp.organisations.models import Organisation, OrganisationKind
from tests.factories import PASSWORD, make_centre, make_org, make_user


@pytest.fixture
def world(app):
    centre = make_centre("MIC Mons")
    a, b = make_org("Partner A"), make_org("Partner B")
    make_user("staff@mic.test", role=StaffRole.STAFF)
    make_user("manager@a.test", org=a, org_role=MemberRole.MANAGER)
    make_user("checkin@a.test", org=a, org_role=MemberRole.CHECKIN)
    make_user("manager@b.test", org=b, org_role=MemberRole.MANAGER)
    return centre, a, b


def fresh(model, **where):
    db.session.rollback()  # a fresh snapshot: see what the requests committed
    return db.session.scalar(sa.select(model).filter_by(**where))


def test_staff_see_every_organisation_and_a_partner_only_its_own(client, auth, world):
    auth.login("staff@mic.test")
    page = client.get("/staff/organisations/").get_data(as_text=True)
    assert all(name in page for name in ("MIC Mons", "Partner A", "Partner B"))
    assert "Nouvelle organisation" in page
    assert "Organisations" in client.get("/staff/").get_data(as_text=True)  # in the menu
    auth.logout()
    auth.login("manager@a.test")
    page = client.get("/staff/organisations/").get_data(as_text=True)
    assert "Partner A" in page and "Partner B" not in page and "MIC Mons" not in page
    assert "Nouvelle organisation" not in page


def test_staff_create_an_organisation(client, auth, world):
    auth.login("staff@mic.test")
    response = client.post("/staff/organisations/new", data={
        "name": "Le Grenier", "kind": "platform", "platform_type": "coworking", "city": "Namur",
        "website": "https://grenier.example"})  # fmt: skip
    assert response.status_code == 302
    org = fresh(Organisation, name="Le Grenier")
    assert (org.slug, org.kind, org.city) == ("le-grenier", OrganisationKind.PLATFORM, "Namur")
    assert response.location.endswith("/staff/organisations/le-grenier/members")


def test_a_taken_slug_or_a_bad_website_gets_a_field_error(client, auth, world):
    auth.login("staff@mic.test")
    page = client.post("/staff/organisations/new", data={
        "name": "Autre A", "slug": "partner-a", "kind": "platform", "platform_type": ""}
    ).get_data(as_text=True)  # fmt: skip
    assert re.search(r'id="slug-error">L’identifiant « partner-a » est déjà pris.', page)
    page = client.post("/staff/organisations/new", data={
        "name": "Autre", "kind": "platform", "platform_type": "", "website": "grenier"}
    ).get_data(as_text=True)  # fmt: skip
    assert 'id="website-error">Indiquez une adresse complète' in page
    assert fresh(Organisation, name="Autre") is None


def test_partners_do_not_create_organisations(client, auth, world):
    auth.login("manager@a.test")
    assert client.get("/staff/organisations/new").status_code == 403
    response = client.post("/staff/organisations/new", data={"name": "X", "kind": "centre"})
    assert response.status_code == 403
    assert fresh(Organisation, name="X") is None


def test_partner_manager_edits_own_details_but_cannot_become_the_centre(client, auth, world):
    centre, a, b = world
    auth.login("manager@a.test")
    page = client.get(f"/staff/organisations/{a.slug}/edit").get_data(as_text=True)
    assert 'name="kind"' not in page and 'name="slug"' not in page
    response = client.post(f"/staff/organisations/{a.slug}/edit", data={
        "name": "Partner A+", "kind": "centre", "slug": "mic", "platform_type": "incubator",
        "city": "Mons"})  # fmt: skip
    assert response.status_code == 302
    org = fresh(Organisation, id=a.id)
    assert (org.name, org.kind, org.slug) == ("Partner A+", OrganisationKind.PLATFORM, a.slug)
    assert client.get(f"/staff/organisations/{b.slug}/edit").status_code == 403


def test_adding_a_new_member_shows_the_password_once_and_it_signs_in(client, auth, world):
    centre, a, b = world
    auth.login("manager@a.test")
    response = client.post(f"/staff/organisations/{a.slug}/members/add", data={
        "email": "nouveau@a.test", "name": "Nora Nouveau", "role": "checkin"})  # fmt: skip
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Compte créé" in page and "Nora Nouveau" in page
    password = re.search(r'<code id="initial-password">([^<]+)</code>', page).group(1)
    members_page = client.get(f"/staff/organisations/{a.slug}/members").get_data(as_text=True)
    assert password not in members_page
    auth.logout()
    assert auth.login("nouveau@a.test", password).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_adding_an_existing_user_just_adds_the_role(client, auth, world):
    centre, a, b = world
    auth.login("staff@mic.test")
    response = client.post(f"/staff/organisations/{a.slug}/members/add",
                           data={"email": "manager@b.test", "role": "checkin"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "est maintenant membre de Partner A" in page
    assert "manager@b.test" in page
    assert auth.login("manager@b.test", PASSWORD).status_code == 302  # password unchanged


def test_adding_a_member_twice_is_an_error_on_the_e_mail(client, auth, world):
    centre, a, b = world
    auth.login("manager@a.test")
    page = client.post(f"/staff/organisations/{a.slug}/members/add",
                       data={"email": "checkin@a.test", "role": "manager"}).get_data(as_text=True)
    assert 'id="email-error">checkin@a.test est déjà membre.' in page


def test_manager_changes_a_role_and_removes_a_member(client, auth, world):
    centre, a, b = world
    checkin = fresh(Membership, role=MemberRole.CHECKIN, organisation_id=a.id)
    user_id = checkin.user_id
    auth.login("manager@a.test")
    response = client.post(f"/staff/organisations/{a.slug}/members/{user_id}/role",
                           data={f"m{user_id}-role": "manager"})  # fmt: skip
    assert response.status_code == 302
    assert fresh(Membership, user_id=user_id, organisation_id=a.id).role == MemberRole.MANAGER
    response = client.post(f"/staff/organisations/{a.slug}/members/{user_id}/remove")
    assert "n’est plus membre de Partner A" in client.get(response.location).get_data(as_text=True)
    assert fresh(Membership, user_id=user_id, organisation_id=a.id) is None


def test_manager_cannot_remove_themselves(client, auth, world):
    centre, a, b = world
    me = fresh(Membership, role=MemberRole.MANAGER, organisation_id=a.id)
    auth.login("manager@a.test")
    response = client.post(f"/staff/organisations/{a.slug}/members/{me.user_id}/remove",
                           follow_redirects=True)  # fmt: skip
    assert "Vous ne pouvez pas vous retirer vous-même" in response.get_data(as_text=True)
    assert fresh(Membership, user_id=me.user_id, organisation_id=a.id) is not None


def test_other_partners_and_check_in_members_do_not_manage_members(client, auth, world):
    centre, a, b = world
    checkin = fresh(Membership, role=MemberRole.CHECKIN, organisation_id=a.id)
    for email in ("manager@b.test", "checkin@a.test"):
        auth.login(email)
        assert client.get(f"/staff/organisations/{a.slug}/members").status_code == 403
        assert client.post(f"/staff/organisations/{a.slug}/members/add",
                           data={"email": "x@x.test", "role": "manager"}).status_code == 403
        assert client.post(
            f"/staff/organisations/{a.slug}/members/{checkin.user_id}/remove"
        ).status_code == 403
        auth.logout()
    assert fresh(Membership, user_id=checkin.user_id, organisation_id=a.id) is not None


def test_a_member_of_another_organisation_is_not_found_here(client, auth, world):
    centre, a, b = world
    b_manager = fresh(Membership, organisation_id=b.id)
    auth.login("staff@mic.test")
    assert client.post(
        f"/staff/organisations/{a.slug}/members/{b_manager.user_id}/remove"
    ).status_code == 404


@pytest.mark.parametrize("what", ["list", "members"])
def test_lists_cost_the_same_queries_for_few_and_many_rows(
    client, auth, count_queries, world, what
):
    centre, a, b = world
    auth.login("staff@mic.test")
    path = "/staff/organisations/" if what == "list" else f"/staff/organisations/{a.slug}/members"

    def add(n):
        for _ in range(n):
            if what == "list":
                org = make_org()
                make_user(org=org, org_role=MemberRole.MANAGER)
            else:
                make_user(org=a, org_role=MemberRole.CHECKIN)

    with count_queries() as few:
        assert client.get(path).status_code == 200
    add(55)  # more than a page
    with count_queries() as many:
        page = client.get(path)
    assert page.status_code == 200
    assert many.count == few.count, many.statements
    assert "Suivant" in page.get_data(as_text=True)
