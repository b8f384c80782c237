from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.db import UTCDateTime, utcnow
from boostcamp.extensions import db


class AuditEntry(db.Model):
    """Who changed what, when: one row per change of an event or an organisation."""

    __table_args__ = (sa.Index("ix_audit_entry_event_id_at", "event_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    api_token_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("api_token.id", ondelete="SET NULL")
    )
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(40))  # created, updated, published, cancelled …
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)  # field: [old, new]

    # By name: the audit is the floor below accounts (they record what they change).
    user: Mapped["User | None"] = relationship(lazy="joined")  # noqa: F821
