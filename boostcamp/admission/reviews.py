"""A reviewer's scores (1–5 on each of the event's criteria) and note on an application."""

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.admission.models import SCORE_MAX, SCORE_MIN, Review, ReviewScore
from boostcamp.admission.review_settings import criteria
from boostcamp.core import inputs
from boostcamp.core.db import utcnow
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration


NOTE_MAX_LENGTH = 2000  # Review.note


def reviews_of(registration: Registration) -> list[Review]:
    """Every reviewer's scores and note on the application, the earliest first."""
    return list(db.session.scalars(
        sa.select(Review).where(Review.registration_id == registration.id).order_by(Review.id)
    ))  # fmt: skip


def save_review(
    registration: Registration, reviewer, *, values: Mapping[Any, Any], note: str | None
) -> Review:
    """The reviewer's scores (criterion id → 1…5, every criterion) and note on this
    application, replacing their earlier ones. Raises ValidationFailed ("score.<criterion
    id>", "note")."""
    found = criteria(registration.event)
    errors: dict[str, Any] = {}
    cleaned: dict[int, int] = {}
    given = {str(k): v for k, v in values.items()}
    for criterion in found:
        value = given.get(str(criterion.id))
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if isinstance(value, bool) or number is None or str(value).strip() != str(number):
            errors[f"score.{criterion.id}"] = _l("Give a score from %(low)d to %(high)d.",
                                                 low=SCORE_MIN, high=SCORE_MAX)  # fmt: skip
        elif not SCORE_MIN <= number <= SCORE_MAX:
            errors[f"score.{criterion.id}"] = _l("Give a score from %(low)d to %(high)d.",
                                                 low=SCORE_MIN, high=SCORE_MAX)  # fmt: skip
        else:
            cleaned[criterion.id] = number
    if set(given) - {str(c.id) for c in found}:
        errors["score"] = _l("A score does not belong to a criterion of this event.")
    note, problem = inputs.free_text(note, NOTE_MAX_LENGTH)
    if problem:
        errors["note"] = problem
    if not found:
        errors["score"] = _l("This event has no criteria to score yet.")
    if errors:
        raise ValidationFailed(errors)
    review = db.session.scalar(
        sa.select(Review).where(Review.registration_id == registration.id,
                                Review.reviewer_id == reviewer.id)
    ) or Review(registration_id=registration.id, reviewer_id=reviewer.id)  # fmt: skip
    review.note = note
    review.updated_at = utcnow()
    review.scores = [ReviewScore(criterion_id=cid, value=v) for cid, v in cleaned.items()]
    db.session.add(review)
    db.session.flush()
    return review
