"""One-line helpers for the API tests."""

import sqlalchemy as sa

from boostcamp.api import services
from boostcamp.audit.models import AuditEntry
from boostcamp.events.models import Event, EventOrganiser, EventSession
from boostcamp.core.extensions import db


def make_token(org, name: str = "Site web") -> str:
    """A token for the organisation; returns its secret."""
    _token, secret = services.create_token(org, name)
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def new_event(**overrides) -> dict:
    """The JSON of a valid new event: a two-day Boostcamp in Namur."""
    data = {
        "title": "Boostcamp Namur",
        "kind": "boostcamp",
        "starts_at": "2030-03-30T09:00:00+01:00",
        "ends_at": "2030-03-31T17:00:00+02:00",
        "city": "Namur",
        "venue": "TRAKK",
        "capacity": 20,
        "description": "Deux jours pour passer de l’idée au projet.",
        "sessions": [
            {"title": "Jour 1", "starts_at": "2030-03-30T09:00:00+01:00",
             "ends_at": "2030-03-30T17:00:00+01:00"},
            {"title": "Jour 2", "starts_at": "2030-03-31T09:00:00+02:00",
             "ends_at": "2030-03-31T17:00:00+02:00"},
        ],
    }  # fmt: skip
    data.update(overrides)
    return data


def row_counts() -> dict[str, int]:
    """Rows of everything an event request may write, to prove nothing was half-saved."""
    db.session.rollback()  # a fresh read: SQLite keeps a snapshot per transaction
    return {
        model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Event, EventSession, EventOrganiser, AuditEntry)
    }
