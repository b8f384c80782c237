from typing import Any

from flask_login import current_user

from boostcamp.audit.models import AuditEntry
from boostcamp.extensions import db


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
    event=None,
    organisation=None,
    changes: dict[str, Any] | None = None,
    user=None,
    api_token=None,
) -> AuditEntry:
    """Note a change; the signed-in user is the author unless another (or a token) is given."""
    if user is None and api_token is None and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    entry = AuditEntry(
        action=action,
        event_id=event.id if event is not None else None,
        organisation_id=organisation.id if organisation is not None else None,
        changes=changes or {},
        user=user,
        api_token_id=api_token.id if api_token is not None else None,
    )
    db.session.add(entry)
    return entry
