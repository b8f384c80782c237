from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.core.db import TimestampMixin, UTCDateTime, str_enum, utcnow
from boostcamp.core.extensions import db
from boostcamp.core.labels import Labelled

if TYPE_CHECKING:
    from boostcamp.auth.models import Membership


class OrganisationKind(Labelled):
    CENTRE = "centre", _l("Innovation centre")  # the innovation centre that hosts (MIC Mons)
    # a co-organising partner: incubator, coworking space, competence centre…
    PLATFORM = "platform", _l("Partner platform")
    SPONSOR = "sponsor", _l("Sponsor")


class PlatformType(Labelled):
    INCUBATOR = "incubator", _l("Incubator")
    COWORKING = "coworking", _l("Coworking space")
    COMPETENCE_CENTRE = "competence_centre", _l("Competence centre")
    UNIVERSITY = "university", _l("University")
    OTHER = "other", _l("Other")


class Organisation(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    platform_type: Mapped[PlatformType | None] = mapped_column(str_enum(PlatformType))
    city: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    # The uploaded logo, checked and re-encoded (organisations.logos); stored in the database
    # so that every app instance serves it.
    logo_sha256: Mapped[str | None] = mapped_column(sa.ForeignKey("logo.sha256"))
    description: Mapped[str | None] = mapped_column(sa.Text)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def logo_url(self) -> str | None:
        """Where the app serves the logo (a content address: cached for good)."""
        if not self.logo_sha256:
            return None

        return url_for("logos.show_logo", sha256=self.logo_sha256, ext="png")

    @property
    def is_centre(self) -> bool:
        return self.kind == OrganisationKind.CENTRE

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"


class Logo(db.Model):
    """A logo's image as the app serves it: PNG, re-encoded from the upload (no metadata)."""

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(sa.String(50))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
