import enum
import hashlib
import secrets
import time
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from boostcamp.core.db import TimestampMixin, UTCDateTime, str_enum, utcnow
from boostcamp.core.extensions import db
from boostcamp.core.labels import Labelled


class StaffRole(enum.StrEnum):
    """A user's role at the centre; partners' people have none and act through memberships."""

    ADMIN = "admin"
    STAFF = "staff"


class MemberRole(Labelled):
    # edits its organisation's events, sees and exports their participants
    MANAGER = "manager", _l("Manager")
    CHECKIN = "checkin", _l("Check-in")  # only checks people in at the door
    # a jury member: reviews and scores the applications to its events
    REVIEWER = "reviewer", _l("Jury")


class User(UserMixin, TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    active: Mapped[bool] = mapped_column(default=True)
    role: Mapped[StaffRole | None] = mapped_column(str_enum(StaffRole))
    language: Mapped[str | None] = mapped_column(sa.String(5))
    # Part of every session and remember cookie of the account (get_id): a new one ends
    # them all (revoke_sessions). None: the account's sessions were never revoked.
    session_token: Mapped[str | None] = mapped_column(sa.String(32))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def set_password(self, password: str) -> None:
        # Tests set a cheap method (PASSWORD_HASH_METHOD); deployments keep Werkzeug's scrypt.
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember cookie: the account, its
        session token and when this sign-in began (see auth.views.load_user)."""
        return f"{self.id}.{self.session_token or '-'}.{int(time.time())}"

    def revoke_sessions(self) -> None:
        self.session_token = secrets.token_urlsafe(16)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        # An account is for someone the centre or a partner has: with no staff role and no
        # membership left (removed from their last organisation), it cannot sign in.
        return self.active and (self.role is not None or bool(self.memberships))

    @property
    def is_centre_staff(self) -> bool:
        return self.role in (StaffRole.ADMIN, StaffRole.STAFF)

    @property
    def is_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(db.Model):
    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MemberRole] = mapped_column(str_enum(MemberRole))

    user: Mapped[User] = relationship(back_populates="memberships")
    # By name: organisations are the floor above accounts (their members), never imported here.
    organisation: Mapped["Organisation"] = relationship(  # noqa: F821
        back_populates="memberships", lazy="joined"
    )


TOKEN_PREFIX = "bct_"


def hash_token(token: str) -> str:
    # Tokens are long random strings, so a fast hash is enough (no brute force possible).
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(db.Model):
    """An organisation's key to the partner API, an account like a user's (so every domain
    may name it as an actor). Only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))  # what it is for: "site web", "CRM" …
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hint: Mapped[str] = mapped_column(sa.String(16))  # the first characters, to recognise it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped["Organisation"] = relationship(lazy="joined")  # noqa: F821

    @property
    def active(self) -> bool:
        return self.revoked_at is None
