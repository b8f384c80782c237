import secrets

from zxcvbn import zxcvbn

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from boostcamp.auth.models import Membership, MemberRole, StaffRole, User
from boostcamp.audit import services as audit
from boostcamp.auth.tokens import make_link_token
from boostcamp.core.inputs import normalise_email
from boostcamp.core.errors import Conflict, DomainError
from boostcamp.core.extensions import db
from boostcamp.mail.services import queue_mail

MIN_PASSWORD_LENGTH = 8  # accounts made by the command line or the demo
NEW_PASSWORD_LENGTH = 12  # what people choose from an invitation, a reset or My account
INVITATION = "invitation"  # the purposes of account links (auth.tokens)
RESET = "reset"

# Checked when the e-mail is unknown, so that a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a real password")


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = find_user(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.is_active:
        return None
    return user


def create_user(
    email: str,
    password: str,
    name: str | None = None,
    role: StaffRole | None = None,
    organisation=None,  # an Organisation (a floor above accounts), with org_role
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


def create_account(email: str, name: str | None = None) -> User:
    """An account for someone a staff member adds: its password is random and known to nobody
    until the person chooses one from their invitation (invite)."""
    return create_user(email, secrets.token_urlsafe(32), name=name)


def invite(user: User, organisation=None, *, by=None) -> None:
    """Mail the person a link to choose their password (single use, INVITATION_HOURS), in
    their language, through the outbox. Someone who has a password already may use it to
    sign in, or the link to choose a new one: either way only the address's owner can."""
    hours = current_app.config["INVITATION_HOURS"]
    token = make_link_token(user, INVITATION)
    audit.record("account_invited", organisation=organisation, actor=audit.Actor.of(by),
                 changes={"account": [None, user.email]})  # fmt: skip
    _mail_account(
        user, "account_invitation", _l("Your Boostcamp account"),
        organisation=organisation.name if organisation else None,
        invited_by=by.name if by is not None else None,
        url=url_for("auth.accept_invitation", token=token, _external=True),
        login_url=url_for("auth.login", _external=True),
        hours=hours,
    )


def _mail_account(user: User, kind: str, subject, **context) -> None:
    """A mail about the account, to its address, in its language, through the outbox."""
    queue_mail(kind, to=user.email, to_name=user.name, subject=subject,
               language=user.language or "fr", context={"user": user, **context})  # fmt: skip


def check_new_password(password: str, user_inputs=()) -> None:
    """A password someone chooses: at least NEW_PASSWORD_LENGTH characters, and not one that
    zxcvbn (its lists of common passwords, words and patterns, no network) finds easy to
    guess. A few words in a row pass easily; "Password2026" does not."""
    if len(password) < NEW_PASSWORD_LENGTH:
        raise DomainError(
            _l("The password must have at least %(n)d characters.", n=NEW_PASSWORD_LENGTH),
            field="password",
        )
    if zxcvbn(password[:100], user_inputs=[i for i in user_inputs if i])["score"] < 3:
        raise DomainError(
            _l("This password is too easy to guess: it is common or follows a pattern. A few "
               "words of your own in a row are better."), field="password")  # fmt: skip


def choose_password(user: User, password: str, *, purpose: str = "changed") -> None:
    check_new_password(password, (user.email, user.name))
    user.set_password(password)
    user.revoke_sessions()  # whoever knew the old password is signed out everywhere
    audit.record(f"password_{purpose}"[:40], actor=audit.Actor.of_user(user), changes={"account": [None, user.email]})
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError(_l("This is not your current password."), field="current")
    choose_password(user, new)


def sign_out_everywhere(user: User) -> None:
    user.revoke_sessions()
    audit.record("sessions_revoked", actor=audit.Actor.of_user(user), changes={"account": [None, user.email]})
    db.session.flush()


def request_password_reset(email: str) -> None:
    """Mail a link to choose a new password (single use, PASSWORD_RESET_MINUTES) to the
    address, if it is an account that may sign in; nothing otherwise, and the caller answers
    the same either way."""
    user = find_user(email)
    if user is None or not user.is_active:
        return
    _mail_account(
        user, "account_reset", _l("A new password for Boostcamp"),
        url=url_for("auth.reset_password", token=make_link_token(user, RESET), _external=True),
        minutes=current_app.config["PASSWORD_RESET_MINUTES"],
    )
    audit.record("password_reset_asked", actor=audit.Actor.visitor("password reset form"),
                 changes={"account": [None, user.email]})


def add_membership(user: User, organisation, role: MemberRole) -> Membership:
    existing = next((m for m in user.memberships if m.organisation_id == organisation.id), None)
    if existing is not None:
        existing.role = role
        return existing
    membership = Membership(organisation=organisation, role=role)
    user.memberships.append(membership)
    db.session.flush()
    return membership
