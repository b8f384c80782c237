"""organisations.services: editing an organisation and managing its members."""

import pytest
import sqlalchemy as sa

from boostcamp.audit.models import AuditEntry
from boostcamp.auth import services as auth_services
from boostcamp.auth.models import MemberRole, StaffRole
from boostcamp.core.errors import Conflict, DomainError
from boostcamp.core.extensions import db
from boostcamp.organisations import services
from boostcamp.organisations.models import OrganisationKind, PlatformType
from tests.factories import make_org, make_user


@pytest.fixture
def org(app):
    return make_org("Mind & Market", city="Louvain-la-Neuve")


def test_update_changes_the_details_and_writes_who_did_it(org):
    staff = make_user(role=StaffRole.STAFF)
    changes = services.update_organisation(
        org, name="Mind and Market", platform_type=PlatformType.INCUBATOR, city="LLN", user=staff
    )
    db.session.commit()
    assert (org.name, org.platform_type, org.city) == (
        "Mind and Market", PlatformType.INCUBATOR, "LLN"
    )
    assert changes["name"] == ["Mind & Market", "Mind and Market"]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.organisation_id == org.id))
    assert (entry.action, entry.user_id) == ("updated", staff.id)


def test_update_refuses_an_empty_name_a_bad_or_taken_slug(org):
    make_org("Other", slug="other")
    with pytest.raises(DomainError) as e:
        services.update_organisation(org, name="  ")
    assert e.value.field == "name"
    with pytest.raises(DomainError) as e:
        services.update_organisation(org, slug="Not A Slug")
    assert e.value.field == "slug"
    with pytest.raises(Conflict) as e:
        services.update_organisation(org, slug="other")
    assert e.value.field == "slug"
    services.update_organisation(org, slug=org.slug)  # its own slug is not "taken"
    assert org.name == "Mind & Market"


def test_update_refuses_unknown_fields(org):
    with pytest.raises(TypeError):
        services.update_organisation(org, id=5)


def invitations(to: str) -> list:
    from boostcamp.mail.models import OutboxMessage

    return db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.to_address == to, OutboxMessage.kind == "account_invitation")).all()  # fmt: skip


def test_adding_a_new_e_mail_creates_an_account_and_mails_an_invitation(org):
    membership = services.add_member(org, "Nathalie@Mind.test", MemberRole.MANAGER,
                                     name="Nathalie Renard")  # fmt: skip
    db.session.commit()
    assert membership.role == MemberRole.MANAGER
    user = auth_services.find_user("nathalie@mind.test")
    assert user.name == "Nathalie Renard" and user.role is None  # a partner's member
    [mail] = invitations("nathalie@mind.test")
    assert "/auth/invitation/" in mail.body_text and "Mind & Market" in mail.body_text


def test_adding_an_existing_user_keeps_their_password_and_tells_them(org):
    from tests.factories import PASSWORD

    user = make_user("kevin@mind.test", org=make_org("Other"), org_role=MemberRole.MANAGER)
    membership = services.add_member(org, "kevin@mind.test", MemberRole.CHECKIN)
    db.session.commit()
    assert auth_services.authenticate("kevin@mind.test", PASSWORD) is not None
    assert len(invitations("kevin@mind.test")) == 1
    assert membership.user_id == user.id
    assert {m.organisation.name: m.role for m in user.memberships} == {
        "Other": MemberRole.MANAGER, "Mind & Market": MemberRole.CHECKIN
    }


@pytest.mark.both_engines  # a unique constraint
def test_adding_someone_twice_is_a_conflict(org):
    services.add_member(org, "kevin@mind.test", MemberRole.CHECKIN)
    with pytest.raises(Conflict) as e:
        services.add_member(org, "KEVIN@mind.test", MemberRole.MANAGER)
    assert e.value.field == "email"


def test_a_bad_e_mail_is_refused_on_its_field(org):
    with pytest.raises(DomainError) as e:
        services.add_member(org, "not-an-email", MemberRole.CHECKIN)
    assert e.value.field == "email"


def test_role_change_and_removal_are_written_down(org):
    manager = make_user(org=org, org_role=MemberRole.MANAGER)
    member = make_user("kevin@mind.test", org=org, org_role=MemberRole.CHECKIN)
    membership = services.get_membership(org, member.id)
    services.change_member_role(membership, MemberRole.MANAGER, user=manager)
    assert membership.role == MemberRole.MANAGER
    services.remove_member(membership, user=manager)
    db.session.commit()
    assert [m.user_id for m in org.memberships] == [manager.id]
    assert auth_services.find_user("kevin@mind.test") is not None  # the account stays
    actions = db.session.scalars(
        sa.select(AuditEntry.action)
        .where(AuditEntry.organisation_id == org.id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["member_role_changed", "member_removed"]


def test_nobody_removes_or_demotes_themselves(org):
    manager = make_user(org=org, org_role=MemberRole.MANAGER)
    membership = services.get_membership(org, manager.id)
    with pytest.raises(DomainError):
        services.change_member_role(membership, MemberRole.CHECKIN, user=manager)
    with pytest.raises(DomainError):
        services.remove_member(membership, user=manager)
    assert membership.role == MemberRole.MANAGER


def test_create_and_update_share_the_same_rules(app):
    with pytest.raises(DomainError) as e:
        services.create_organisation(name="", kind=OrganisationKind.PLATFORM)
    assert e.value.field == "name"
