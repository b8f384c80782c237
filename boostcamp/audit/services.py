from typing import Any

from flask_login import current_user

from boostcamp.audit.models import Actor, ActorKind, AuditEntry
from boostcamp.core.extensions import db


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):  # enums
        return value.value
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields that changed, as {field: [old, new]} in JSON-friendly values."""
    return {
        key: [_plain(before.get(key)), _plain(after[key])]
        for key in after
        if _plain(before.get(key)) != _plain(after[key])
    }


def record(
    action: str,
    *,
    actor: Actor,
    event=None,
    organisation=None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Note a change made by `actor` (a user, an API token, a named job or a visitor)."""
    if not isinstance(actor, Actor):
        raise TypeError(f"an audit entry needs an Actor, not {actor!r}")
    entry = AuditEntry(
        action=action,
        event_id=event.id if event is not None else None,
        organisation_id=organisation.id if organisation is not None else None,
        changes=changes or {},
        actor_kind=actor.kind,
        user=actor.user,
        api_token_id=actor.api_token.id if actor.api_token is not None else None,
        actor_name=actor.name[:60] if actor.name else None,
    )
    db.session.add(entry)
    return entry


def web_actor() -> Actor:
    """For views and the CLI's faces: the signed-in user, named by the caller (services
    never look at the request)."""
    return Actor.of_user(current_user._get_current_object())


__all__ = ["Actor", "ActorKind", "AuditEntry", "diff", "record", "web_actor"]
