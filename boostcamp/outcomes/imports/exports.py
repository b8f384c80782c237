"""The exports of every outcomes table, in the import's columns where there is an import."""

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from boostcamp.core.extensions import db
from boostcamp.outcomes.imports.importer import COLUMNS
from boostcamp.outcomes.imports.models import ImportKind
from boostcamp.outcomes.records.models import Certification, JobsSnapshot, Startup, StartupMember

EXPORTS = ("startups", "members", "jobs", "certifications")


def export_rows(table: str) -> tuple[list[str], Iterable[list[Any]]]:
    """Header and rows of one outcomes table. The importable ones use the import's columns."""
    if table == "startups":
        startups = db.session.scalars(
            sa.select(Startup)
            .options(selectinload(Startup.members).joinedload(StartupMember.person))
            .order_by(Startup.name, Startup.id)
        )  # fmt: skip
        return [c.name for c in COLUMNS[ImportKind.STARTUPS]], (
            [s.name, s.enterprise_number, s.founded_on, s.legal_form, s.sector, s.city,
             s.website, s.status.value, s.status_since, s.supported_from, s.supported_until,
             " ".join(m.person.email for m in s.founders)]
            for s in startups
        )  # fmt: skip
    if table == "members":
        members = db.session.scalars(
            sa.select(StartupMember).join(StartupMember.startup)
            .options(selectinload(StartupMember.startup), selectinload(StartupMember.person))
            .order_by(Startup.name, StartupMember.id)
        )  # fmt: skip
        return ["startup", "enterprise_number", "email", "first_name", "last_name", "role",
                "started_on", "ended_on"], (
            [m.startup.name, m.startup.enterprise_number, m.person.email, m.person.first_name,
             m.person.last_name, m.role.value, m.started_on, m.ended_on]
            for m in members
        )  # fmt: skip
    if table == "jobs":
        snapshots = db.session.scalars(
            sa.select(JobsSnapshot).join(JobsSnapshot.startup)
            .options(selectinload(JobsSnapshot.startup))
            .order_by(Startup.name, JobsSnapshot.on)
        )  # fmt: skip
        return ["enterprise_number", "on", "headcount", "fte", "startup"], (
            [s.startup.enterprise_number, s.on, s.headcount, s.fte, s.startup.name]
            for s in snapshots
        )  # fmt: skip
    if table == "certifications":
        certifications = db.session.scalars(
            sa.select(Certification).join(Certification.person)
            .options(selectinload(Certification.person))
            .order_by(Certification.obtained_on, Certification.id)
        )  # fmt: skip
        return [c.name for c in COLUMNS[ImportKind.CERTIFICATIONS]], (
            [c.person.email, c.name, c.code, c.issuer, c.obtained_on] for c in certifications
        )
    raise ValueError(table)
