import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from slugify import slugify

from boostcamp.errors import Conflict, DomainError, NotFound
from boostcamp.extensions import db
from boostcamp.organisations.models import Organisation, OrganisationKind, PlatformType

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def get_by_slug(slug: str) -> Organisation:
    org = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(_l("Unknown organisation “%(slug)s”.", slug=slug), field="organisation")
    return org


def the_centre() -> Organisation | None:
    """The innovation centre that hosts events (the first one, if a network ever has several)."""
    return db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.kind == OrganisationKind.CENTRE)
        .order_by(Organisation.id)
        .limit(1)
    )


def create_organisation(
    name: str,
    kind: OrganisationKind,
    slug: str | None = None,
    city: str | None = None,
    platform_type: PlatformType | None = None,
    website: str | None = None,
    logo_url: str | None = None,
    description: str | None = None,
) -> Organisation:
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Give the organisation a name."), field="name")
    slug = slug or slugify(name, max_length=80)
    if not SLUG_RE.match(slug):
        raise DomainError(
            _l("A slug has only lower-case letters, digits and dashes."), field="slug"
        )
    if db.session.scalar(sa.select(Organisation.id).where(Organisation.slug == slug)):
        raise Conflict(_l("The slug “%(slug)s” is already taken.", slug=slug), field="slug")
    org = Organisation(
        slug=slug,
        name=name,
        kind=OrganisationKind(kind),
        platform_type=platform_type,
        city=city,
        website=website,
        logo_url=logo_url,
        description=description,
    )
    db.session.add(org)
    db.session.flush()
    return org


def list_organisations() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.kind, Organisation.name)))
