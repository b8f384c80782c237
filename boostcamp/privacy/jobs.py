"""The worker's periodic retention job (`flask mail work` calls it on every pass; it works
at most every PRIVACY_PURGE_MINUTES)."""

from datetime import datetime, timedelta

from flask import current_app

from boostcamp.privacy import retention
from boostcamp.core.periodic import periodic

_last_run: dict[str, datetime] = {}


@periodic
def privacy_purge(now: datetime) -> dict[str, int] | None:
    last = _last_run.get("purge")
    if last is not None and now - last < timedelta(
        minutes=current_app.config["PRIVACY_PURGE_MINUTES"]
    ):
        return None
    _last_run["purge"] = now
    return retention.purge(now)
