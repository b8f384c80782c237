from typing import Any

from boostcamp.core.models import Setting
from boostcamp.core.extensions import db

# Every staff-editable setting with its default; unknown keys are refused.
DEFAULTS: dict[str, Any] = {
    # Partner API: may a partner's token publish its events directly? Off: they stay drafts.
    "api_partner_may_publish": False,
    # The outcomes attribution rule (outcomes.impact.attribution): who gets credit for what.
    "outcomes_min_attendance_percent": 50,
    "outcomes_startup_months": 24,
    "outcomes_certification_months": 12,
    # Centre staff must sign in with a second factor (auth.two_factor).
    "two_factor_required_for_staff": False,
    # The last retention purge (privacy.retention): {"at": ISO time, "counts": {step: n}}.
    "privacy_last_purge": None,
}


def get_setting(key: str) -> Any:
    row = db.session.get(Setting, key)
    return DEFAULTS[key] if row is None else row.value


def set_setting(key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = db.session.get(Setting, key)
    if row is None:
        db.session.add(Setting(key=key, value=value))
    else:
        row.value = value
    db.session.flush()
