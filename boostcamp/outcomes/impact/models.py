"""What the centre promised its funders, and what it counts towards it."""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from boostcamp.core.db import TimestampMixin, str_enum
from boostcamp.core.extensions import db
from boostcamp.core.labels import Labelled


class ImpactMetric(Labelled):
    STARTUPS = "startups", _l("Start-ups created")
    JOBS = "jobs", _l("Jobs (people)")
    JOBS_FTE = "jobs_fte", _l("Jobs (full-time equivalents)")
    CERTIFICATIONS = "certifications", _l("Certifications")
    PARTICIPANTS = "participants", _l("Participants")


class ImpactTarget(TimestampMixin, db.Model):
    """What the centre promised its funders: e.g. 300 jobs over 2012–2014."""

    __table_args__ = (
        sa.CheckConstraint("period_to >= period_from", name="period_ends_after_start"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(sa.String(200))
    metric: Mapped[ImpactMetric] = mapped_column(str_enum(ImpactMetric))
    value: Mapped[int]
    period_from: Mapped[date]
    period_to: Mapped[date]


class ImpactVersion(db.Model):
    """A few rows: the version of everything the impact figures count (impact.version)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(sa.String(32))  # drawn when the row is made
    version: Mapped[int] = mapped_column(sa.BigInteger)
