import enum
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from boostcamp.db import TimestampMixin, str_enum
from boostcamp.extensions import db

if TYPE_CHECKING:
    from boostcamp.auth.models import Membership


class OrganisationKind(enum.StrEnum):
    CENTRE = "centre"  # the innovation centre that hosts (MIC Mons)
    PLATFORM = "platform"  # a co-organising partner: incubator, coworking space, competence centre…
    SPONSOR = "sponsor"


class PlatformType(enum.StrEnum):
    INCUBATOR = "incubator"
    COWORKING = "coworking"
    COMPETENCE_CENTRE = "competence_centre"
    UNIVERSITY = "university"
    OTHER = "other"


class Organisation(TimestampMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    platform_type: Mapped[PlatformType | None] = mapped_column(str_enum(PlatformType))
    city: Mapped[str | None] = mapped_column(sa.String(120))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    logo_url: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def is_centre(self) -> bool:
        return self.kind == OrganisationKind.CENTRE

    def __repr__(self) -> str:
        return f"<Organisation {self.slug}>"
