"""Staff pages for organisations and their members."""

import re

import pytest
import sqlalchemy as sa

from boostcamp.auth.models import MemberRole, Membership, StaffRole, User
from boostcamp.core.extensions import db
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


def test_partner_manager_edits_own_description_but_cannot_become_the_centre(client, auth, world):
    centre, a, b = world
    auth.login("manager@a.test")
    page = client.get(f"/staff/organisations/{a.slug}/edit").get_data(as_text=True)
    assert 'name="kind"' not in page and 'name="slug"' not in page
    response = client.post(f"/staff/organisations/{a.slug}/edit", data={
        "name": "Partner A+", "kind": "centre", "slug": "mic", "platform_type": "incubator",
        "city": "Mons", "description": "Incubateur."})  # fmt: skip
    assert response.status_code == 302
    org = fresh(Organisation, id=a.id)
    # Its logo and description only (tests/organisations/test_logos.py): the rest is the centre's.
    assert (org.name, org.kind, org.slug, org.city, org.description) == (
        "Partner A", OrganisationKind.PLATFORM, a.slug, None, "Incubateur.")
    assert client.get(f"/staff/organisations/{b.slug}/edit").status_code == 403


def invitation_link(email: str) -> str:
    from boostcamp.mail.models import OutboxMessage

    db.session.rollback()
    message = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.to_address == email, OutboxMessage.kind == "account_invitation"
    ).order_by(OutboxMessage.id.desc())).first()  # fmt: skip
    return re.search(r"http://boostcamp.test(/auth/invitation/\S+)", message.body_text).group(1)


def test_a_new_member_is_invited_by_mail_and_chooses_a_password(client, auth, world):
    centre, a, b = world
    auth.login("manager@a.test")
    response = client.post(f"/staff/organisations/{a.slug}/members/add", data={
        "email": "nouveau@a.test", "name": "Nora Nouveau", "role": "checkin"})  # fmt: skip
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "nouveau@a.test est maintenant membre de Partner A" in page
    assert "initial-password" not in page and "<code" not in page.split("<main", 1)[1]
    auth.logout()
    link = invitation_link("nouveau@a.test")
    assert "Choisissez votre mot de passe" in client.get(link).get_data(as_text=True)
    response = client.post(link, data={"password": "un mot de passe à moi", "confirm": "x"})
    assert "Les deux mots de passe diffèrent." in response.get_data(as_text=True)
    response = client.post(link, data={"password": "un mot de passe à moi",
                                       "confirm": "un mot de passe à moi"})  # fmt: skip
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200  # signed in
    auth.logout()
    assert client.get(link).status_code == 404  # used: it works once
    assert auth.login("nouveau@a.test", "un mot de passe à moi").status_code == 302


def test_an_invitation_expires(client, app, world):
    centre, a, b = world
    from boostcamp.organisations import services as org_services

    org_services.add_member(a, "lent@a.test", MemberRole.CHECKIN)
    db.session.commit()
    link = invitation_link("lent@a.test")
    app.config["INVITATION_HOURS"] = 0
    import time

    time.sleep(1.1)
    response = client.get(link)
    assert response.status_code == 410
    assert "ne fonctionne plus" in response.get_data(as_text=True)
    assert client.get(link[:-3] + "abc").status_code == 404  # tampered


def test_the_cross_partner_takeover_fails(client, auth, world):
    """Mind & Market adds Namur's colleague, removes her, Namur adds her as its manager: what
    Mind & Market saw (nothing) gives no way into Namur's participants."""
    centre, a, b = world
    auth.login("manager@a.test")
    response = client.post(f"/staff/organisations/{a.slug}/members/add", data={
        "email": "collegue@b.test", "name": "Collègue", "role": "checkin"})  # fmt: skip
    seen_by_a = client.get(response.location).get_data(as_text=True)
    db.session.rollback()
    colleague = db.session.scalar(sa.select(User).where(User.email == "collegue@b.test"))
    client.post(f"/staff/organisations/{a.slug}/members/{colleague.id}/remove")
    db.session.rollback()
    assert db.session.get(User, colleague.id).memberships == []
    auth.logout()
    # Removed from her only organisation, the account cannot sign in, whatever it knows.
    auth.login("manager@b.test")
    answer_b = client.post(f"/staff/organisations/{b.slug}/members/add", data={
        "email": "collegue@b.test", "name": "Collègue", "role": "manager"})  # fmt: skip
    seen_by_b = client.get(answer_b.location).get_data(as_text=True)
    # B gets the same answer as for a new address, and no password went to anyone's page.
    assert "collegue@b.test est maintenant membre" in seen_by_b
    for page in (seen_by_a, seen_by_b):
        assert not re.search(r"<code[^>]*>", page)
    auth.logout()
    # Only the person's own mailbox holds a way in: each invitation went to her address.
    from boostcamp.mail.models import OutboxMessage

    db.session.rollback()
    invitations = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind == "account_invitation")).all()  # fmt: skip
    assert {m.to_address for m in invitations} == {"collegue@b.test"}
    # Mind & Market's invitation link died when she chose her password from Namur's.
    first, second = sorted(invitations, key=lambda m: m.id)
    link_b = re.search(r"http://boostcamp.test(/auth/invitation/\S+)", second.body_text).group(1)
    link_a = re.search(r"http://boostcamp.test(/auth/invitation/\S+)", first.body_text).group(1)
    client.post(link_b, data={"password": "le mot de passe de Namur",
                              "confirm": "le mot de passe de Namur"})  # fmt: skip
    auth.logout()
    assert client.get(link_a).status_code == 404


def test_an_account_with_no_membership_left_cannot_sign_in(client, auth, world):
    centre, a, b = world
    auth.login("manager@a.test")
    checkin = db.session.scalar(sa.select(User).where(User.email == "checkin@a.test"))
    client.post(f"/staff/organisations/{a.slug}/members/{checkin.id}/remove")
    auth.logout()
    assert auth.login("checkin@a.test", PASSWORD).status_code == 200  # refused
    assert client.get("/staff/").status_code == 302


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
