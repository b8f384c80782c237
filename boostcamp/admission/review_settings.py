"""An application event's review settings: the criteria reviewers score, blind review, and
whether decision mails wait until staff send them.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from boostcamp.admission.models import ReviewCriterion, ReviewSettings
from boostcamp.audit import services as audit
from boostcamp.core import inputs
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event
from boostcamp.core.extensions import db


CRITERIA_MAX = 10
CRITERION_MAX_LENGTH = 100  # ReviewCriterion.label
DEFAULT_CRITERIA = (_l("Project"), _l("Motivation"), _l("Availability"))


def settings_for(event: Event) -> ReviewSettings:
    """The event's review settings (defaults when none were saved; not added then)."""
    return db.session.get(ReviewSettings, event.id) or ReviewSettings(
        event_id=event.id, blind_review=False, hold_decisions=False
    )


def criteria(event: Event) -> list[ReviewCriterion]:
    return list(db.session.scalars(
        sa.select(ReviewCriterion)
        .where(ReviewCriterion.event_id == event.id)
        .order_by(ReviewCriterion.position, ReviewCriterion.id)
    ))  # fmt: skip


def save_settings(
    event: Event, *, labels: Sequence[str], blind_review: bool, hold_decisions: bool,
    actor: audit.Actor | None = None,
) -> None:
    """The criteria (one label each, in this order; a criterion kept by its label keeps its
    scores, one left out loses them), blind review and held decision mails. Raises
    ValidationFailed ("criteria")."""
    cleaned = list(dict.fromkeys(" ".join(label.split()) for label in labels if label.strip()))
    errors: dict[str, Any] = {}
    if not cleaned:
        errors["criteria"] = _l("Give at least one criterion, one per line.")
    elif len(cleaned) > CRITERIA_MAX:
        errors["criteria"] = _l("At most %(n)d criteria.", n=CRITERIA_MAX)
    elif any(len(label) > CRITERION_MAX_LENGTH for label in cleaned):
        errors["criteria"] = _l("At most %(n)d characters.", n=CRITERION_MAX_LENGTH)
    elif any(inputs.bad_text(label) for label in cleaned):
        errors["criteria"] = inputs.CONTROL_MESSAGE
    if errors:
        raise ValidationFailed(errors)
    existing = {c.label: c for c in criteria(event)}
    for label, criterion in existing.items():
        if label not in cleaned:
            db.session.delete(criterion)
    for position, label in enumerate(cleaned, 1):
        criterion = existing.get(label) or ReviewCriterion(event_id=event.id, label=label)
        criterion.position = position
        db.session.add(criterion)
    settings = db.session.get(ReviewSettings, event.id) or ReviewSettings(event_id=event.id)
    settings.blind_review, settings.hold_decisions = bool(blind_review), bool(hold_decisions)
    db.session.add(settings)
    audit.record("review_settings_changed", event=event, actor=audit.Actor.of(actor=actor), changes={
        "criteria": [sorted(existing), cleaned], "blind_review": [None, bool(blind_review)],
        "hold_decisions": [None, bool(hold_decisions)],
    })  # fmt: skip
    db.session.flush()


def ensure_criteria(event: Event) -> list[ReviewCriterion]:
    """The event's criteria; the default ones (project, motivation, availability, in the
    event's language) the first time, so that reviewers can score before staff have chosen."""
    found = criteria(event)
    if found:
        return found
    with force_locale(event.language):  # the event's, whoever opens it first
        labels = [str(label) for label in DEFAULT_CRITERIA]
    for position, label in enumerate(labels, 1):
        db.session.add(ReviewCriterion(event_id=event.id, label=label, position=position))
    db.session.flush()
    return criteria(event)
