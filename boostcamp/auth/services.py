import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from boostcamp.auth.models import Membership, MemberRole, StaffRole, User
from boostcamp.errors import Conflict, DomainError
from boostcamp.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.registrations.models import normalise_email

MIN_PASSWORD_LENGTH = 8

# Checked when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def create_user(
    email: str,
    password: str,
    name: str | None = None,
    role: StaffRole | None = None,
    organisation: Organisation | None = None,
    org_role: MemberRole | None = None,
    language: str | None = None,
) -> User:
    email = normalise_email(email)
    if "@" not in email:
        raise DomainError(_l("Enter a valid e-mail address."), field="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
            field="password",
        )
    if find_user(email) is not None:
        raise Conflict(_l("A user with this e-mail address already exists."), field="email")
    if (organisation is None) != (org_role is None):
        raise DomainError(_l("Give both an organisation and a role in it."), field="org_role")
    user = User(
        email=email,
        name=name or email.split("@")[0],
        role=role,
        language=language,
    )
    user.set_password(password)
    db.session.add(user)
    if organisation is not None:
        user.memberships.append(Membership(organisation=organisation, role=org_role))
    db.session.flush()
    return user


def create_account(email: str, name: str | None = None) -> tuple[User, str]:
    """An account for someone a staff member adds, with a random password to hand over
    (mail comes later); returns the user and that password, which is not kept anywhere."""
    password = secrets.token_urlsafe(12)
    return create_user(email, password, name=name), password


def add_membership(user: User, organisation: Organisation, role: MemberRole) -> Membership:
    existing = next((m for m in user.memberships if m.organisation_id == organisation.id), None)
    if existing is not None:
        existing.role = role
        return existing
    membership = Membership(organisation=organisation, role=role)
    user.memberships.append(membership)
    db.session.flush()
    return membership
