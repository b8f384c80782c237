"""The centre's impact targets: recorded by staff (validated at once, ValidationFailed with a
message per field, flushed; the caller commits), and how far each one is reached."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact.figures import Figures, kept_figures
from boostcamp.outcomes.impact.models import ImpactMetric, ImpactTarget
from boostcamp.outcomes.impact.scope import Scope
from boostcamp.outcomes.records.services import check_date, check_lengths, clean_text

TARGET_FIELDS = ("label", "metric", "value", "period_from", "period_to")


def _clean_target(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    label = clean_text(fields.get("label"))
    if not label:
        errors["label"] = _l("Give the target a name.")
    try:
        metric = ImpactMetric(fields.get("metric"))
    except ValueError:
        metric = None
        errors["metric"] = _l("Choose what is counted.")
    value = fields.get("value")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors["value"] = _l("Give a whole number, 0 or more.")
    period_from = check_date(fields, "period_from", errors, required=True)
    period_to = check_date(fields, "period_to", errors, required=True)
    if period_from and period_to and period_to < period_from:
        errors["period_to"] = _l("The period ends before it starts.")
    check_lengths({"label": label}, errors)
    if errors:
        raise ValidationFailed(errors)
    return dict(label=label, metric=metric, value=value, period_from=period_from,
                period_to=period_to)  # fmt: skip


def create_target(**fields) -> ImpactTarget:
    target = ImpactTarget(**_clean_target(fields))
    db.session.add(target)
    db.session.flush()
    return target


def update_target(target: ImpactTarget, **fields) -> ImpactTarget:
    merged = {f: getattr(target, f) for f in TARGET_FIELDS}
    merged.update(fields)
    for field, value in _clean_target(merged).items():
        setattr(target, field, value)
    db.session.flush()
    return target


def delete_target(target: ImpactTarget) -> None:
    db.session.delete(target)
    db.session.flush()


# ---------------------------------------------------------------- how far they are reached


@dataclass
class Progress:
    target: ImpactTarget
    reached: Decimal | int

    @property
    def percent(self) -> int:
        if not self.target.value:
            return 100
        return round(Decimal(self.reached) * 100 / self.target.value)


def targets_progress(scope: Scope) -> list[Progress]:
    """Every target, reached so far within its own period (up to today)."""
    targets = db.session.scalars(
        sa.select(ImpactTarget).order_by(ImpactTarget.period_from, ImpactTarget.label)
    ).all()
    cache: dict[tuple[date, date], Figures] = {}
    progress = []
    for target in targets:
        period = (target.period_from, target.period_to)
        if period not in cache:
            cache[period] = kept_figures(scope.with_period(*period))
        progress.append(Progress(target, cache[period].metric(target.metric)))
    return progress
