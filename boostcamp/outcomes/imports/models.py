"""An uploaded import file, kept between its preview and its confirmation."""

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from boostcamp.core.db import UTCDateTime, str_enum, utcnow
from boostcamp.core.extensions import db
from boostcamp.core.labels import Labelled


class ImportKind(Labelled):
    STARTUPS = "startups", _l("Start-ups")
    JOBS = "jobs", _l("Jobs snapshots")
    CERTIFICATIONS = "certifications", _l("Certifications")


def new_upload_key() -> str:
    return secrets.token_urlsafe(24)


class ImportUpload(db.Model):
    """An uploaded file waiting for its confirmation. In the database rather than on disk,
    so that the preview and the confirmation may land on different workers or machines."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(40), unique=True, default=new_upload_key)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
