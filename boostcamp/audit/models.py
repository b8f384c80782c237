import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import UTCDateTime, str_enum, utcnow
from boostcamp.core.extensions import db


class ActorKind(enum.StrEnum):
    USER = "user"  # a staff member or a partner's member, signed in
    API_TOKEN = "api_token"  # a partner's program, through the API
    SYSTEM = "system"  # a job of the application itself, named in actor_name
    VISITOR = "visitor"  # someone without an account, through a link or a public form


@dataclass(frozen=True)
class Actor:
    """Who does an operation, as the caller says it (never read from the request)."""

    kind: ActorKind
    user: Any = None  # a User (the accounts' floor is above the audit's)
    api_token: Any = None  # an ApiToken (a higher floor's model: only its id is kept)
    name: str | None = None  # the job's or the visitor's way in, for SYSTEM and VISITOR

    @classmethod
    def of_user(cls, user: Any) -> "Actor":
        return cls(ActorKind.USER, user=user)

    @classmethod
    def of_token(cls, token: Any) -> "Actor":
        return cls(ActorKind.API_TOKEN, api_token=token)

    @classmethod
    def system(cls, name: str) -> "Actor":
        return cls(ActorKind.SYSTEM, name=name)

    @classmethod
    def visitor(cls, name: str) -> "Actor":
        return cls(ActorKind.VISITOR, name=name)

    @classmethod
    def of(cls, user: Any = None, api_token: Any = None,
           actor: "Actor | None" = None) -> "Actor":  # fmt: skip
        """The actor a service was given, in whichever of its keywords."""
        if actor is not None:
            return actor
        if api_token is not None:
            return cls.of_token(api_token)
        if user is not None:
            return cls.of_user(user)
        return UNNAMED


# A service called with no actor at all (a test, a shell): said as such, not guessed.
UNNAMED = Actor.system("unnamed")


class AuditEntry(db.Model):
    """Who changed what, when: one row per change of an event or an organisation, or of
    the records behind the funders' figures."""

    __table_args__ = (sa.Index("ix_audit_entry_event_id_at", "event_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Who: the kind says which of the next three holds it (a user or token deleted since
    # leaves its kind behind).
    actor_kind: Mapped[ActorKind] = mapped_column(str_enum(ActorKind, 16))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    api_token_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("api_token.id", ondelete="SET NULL")
    )
    actor_name: Mapped[str | None] = mapped_column(sa.String(60))
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(40))  # created, updated, published, cancelled …
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # field: [old, new]

    # By name: the audit is the floor below accounts (they record what they change).
    user: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821
