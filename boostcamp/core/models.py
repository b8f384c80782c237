from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from boostcamp.core.db import TimestampMixin
from boostcamp.core.extensions import db


class Setting(TimestampMixin, db.Model):
    """A setting the centre's staff change from the app (not deployment configuration)."""

    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
