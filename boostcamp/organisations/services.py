import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify
from sqlalchemy.orm import contains_eager

from boostcamp.audit import services as audit
from boostcamp.auth import services as auth_services
from boostcamp.auth.models import Membership, MemberRole, User
from boostcamp.core.errors import Conflict, DomainError, NotFound
from boostcamp.core.extensions import db
from boostcamp.mail.services import mail_global
from boostcamp.organisations import logos
from boostcamp.organisations.models import Organisation, OrganisationKind, PlatformType

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def get_by_slug(slug: str) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(_l("Unknown organisation “%(slug)s”.", slug=slug), field="organisation")
    return org


def the_centre() -> Organisation | None:
    """The innovation centre that hosts events (the first one, if a network ever has several)."""
    return db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.kind == OrganisationKind.CENTRE)
        .order_by(Organisation.id)
        .limit(1)
    )


@mail_global("centre_name")  # signs every mail
def _centre_name() -> str:
    centre = the_centre()
    return centre.name if centre else "Boostcamp"


def _check_name_and_slug(name: str, slug: str, org_id: int | None = None) -> None:
    if not name:
        raise DomainError(_l("Give the organisation a name."), field="name")
    if not SLUG_RE.match(slug):
        raise DomainError(
            _l("A slug has only lower-case letters, digits and dashes."), field="slug"
        )
    taken_by = db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug))
    if taken_by is not None and taken_by != org_id:
        raise Conflict(_l("The slug “%(slug)s” is already taken.", slug=slug), field="slug")


def create_organisation(
    name: str,
    kind: OrganisationKind,
    slug: str | None = None,
    city: str | None = None,
    platform_type: PlatformType | None = None,
    website: str | None = None,
    description: str | None = None,
    logo: bytes | None = None,
    logo_filename: str = "",
) -> Organisation:
    name = (name or "").strip()
    slug = slug or slugify(name, max_length=80)
    _check_name_and_slug(name, slug)
    org = Organisation(
        slug=slug,
        name=name,
        kind=OrganisationKind(kind),
        platform_type=platform_type,
        city=city,
        website=website,
        description=description,
        logo_sha256=logos.store(logo, logo_filename).sha256 if logo else None,
    )
    db.session.add(org)
    db.session.flush()
    return org


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.kind, Organisation.name)))


EDITABLE_FIELDS = (
    "name", "slug", "kind", "platform_type", "city", "website", "logo_sha256", "description",
)  # fmt: skip


def update_organisation(
    org: Organisation, *, user=None, logo: bytes | None = None, logo_filename: str = "",
    **fields
) -> dict[str, list]:
    """Change an organisation's details; returns {field: [old, new]}, also in the audit log.
    `logo` is an uploaded file: checked (logos.NotALogo) before anything changes."""
    if logo:
        fields["logo_sha256"] = logos.store(logo, logo_filename).sha256
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown organisation fields: {sorted(unknown)}")
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
    _check_name_and_slug(fields.get("name", org.name), fields.get("slug", org.slug), org.id)
    if "kind" in fields:
        fields["kind"] = OrganisationKind(fields["kind"])
    if fields.get("platform_type") is not None:
        fields["platform_type"] = PlatformType(fields["platform_type"])
    before = {field: getattr(org, field) for field in fields}
    for field, value in fields.items():
        setattr(org, field, value)
    changes = audit.diff(before, fields)
    if changes:
        audit.record("updated", organisation=org, changes=changes, actor=audit.Actor.of(user))
    db.session.flush()
    return changes


# ---------------------------------------------------------------- members


def members_query(org: Organisation) -> sa.Select:
    """The organisation's memberships with their users, by name: paginate it."""
    return (
        sa.select(Membership)
        .join(Membership.user)
        .where(Membership.organisation_id == org.id)
        .options(contains_eager(Membership.user))
        .order_by(User.name, User.id)
    )


def get_membership(org: Organisation, user_id: int) -> Membership:
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.organisation_id == org.id, Membership.user_id == user_id
        )
    )
    if membership is None:
        raise NotFound(_l("This person is not a member of the organisation."))
    return membership


def add_member(
    org: Organisation, email: str, role: MemberRole, *, name: str | None = None, user=None
) -> Membership:
    """Give someone a role in the organisation, by e-mail, and mail them an invitation to
    choose their password (auth.services.invite). Whether the address had an account or not,
    the caller sees the same: nobody learns who has one, and no password is ever shown."""
    role = MemberRole(role)
    member = auth_services.find_user(email)
    if member is None:
        member = auth_services.create_account(email, name=name)
    elif any(m.organisation_id == org.id for m in member.memberships):
        raise Conflict(_l("%(email)s is already a member.", email=member.email), field="email")
    membership = auth_services.add_membership(member, org, role)
    auth_services.invite(member, org, by=user)
    audit.record("member_added", organisation=org, actor=audit.Actor.of(user),
                 changes={member.email: [None, role.value]})  # fmt: skip
    db.session.flush()
    return membership


def change_member_role(membership: Membership, role: MemberRole, *, user=None) -> None:
    role = MemberRole(role)
    if user is not None and membership.user_id == user.id:
        raise DomainError(_l("You cannot change your own role: ask another manager."), field="role")
    if membership.role == role:
        return
    audit.record("member_role_changed", organisation=membership.organisation, actor=audit.Actor.of(user),
                 changes={membership.user.email: [membership.role.value, role.value]})  # fmt: skip
    membership.role = role
    db.session.flush()


def remove_member(membership: Membership, *, user=None) -> None:
    """Take the role away, and nothing else: the account stays (it may belong to other
    organisations); with no membership left it can no longer sign in (User.is_active)."""
    if user is not None and membership.user_id == user.id:
        raise DomainError(_l("You cannot remove yourself: ask another manager."), field="role")
    audit.record("member_removed", organisation=membership.organisation, actor=audit.Actor.of(user),
                 changes={membership.user.email: [membership.role.value, None]})  # fmt: skip
    db.session.delete(membership)
    db.session.flush()
