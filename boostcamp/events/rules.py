"""The rules an event's fields, texts and agenda follow, checked all at once before a change."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from boostcamp.core import inputs, zones
from boostcamp.core.texts import LANGUAGES
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Admission, Event, EventKind


EDITABLE_FIELDS = (
    "title", "kind", "summary", "description", "city", "venue", "address", "starts_at",
    "ends_at", "timezone", "capacity", "registration_opens_at", "registration_closes_at",
    "language", "translations", "admission", "applications_close_at",
)  # fmt: skip
MAX_LENGTHS = {"title": 200, "summary": 500, "city": 120, "venue": 300, "address": 300}
DESCRIPTION_MAX = 50_000  # a Text column: a generous limit so nobody stores megabytes
TEXT_FIELDS = Event.TRANSLATED_FIELDS
TEXT_LIMITS = {"title": MAX_LENGTHS["title"], "summary": MAX_LENGTHS["summary"],
               "description": DESCRIPTION_MAX}  # fmt: skip
SESSION_TEXT_LIMITS = {"title": 200}  # an agenda's session: its title, in each language


def validate(event_fields: dict[str, Any], sessions: Sequence[dict] | None, taken: int = 0):
    """Every rule on an event's fields and agenda, all errors at once."""
    errors: dict[str, Any] = {}
    title = (event_fields.get("title") or "").strip()
    if not title:
        errors["title"] = _l("Give the event a title.")
    if not (event_fields.get("city") or "").strip():
        errors["city"] = _l("Say in which city the event takes place.")
    errors.update(inputs.text_errors(event_fields, MAX_LENGTHS))
    language = event_fields.get("language") or "fr"
    if language not in LANGUAGES:
        errors["language"] = _l("Choose French, Dutch or English.")
    errors.update(_translation_errors(event_fields.get("translations"), TEXT_LIMITS))
    starts_at, ends_at = event_fields.get("starts_at"), event_fields.get("ends_at")
    for field in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at",
                  "applications_close_at"):  # fmt: skip
        value = event_fields.get(field)
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            errors[field] = _l("Give a date and time with its time zone.")
        elif value is not None and not inputs.in_window(value):
            errors[field] = inputs.DATE_MESSAGE
    if "starts_at" not in errors and starts_at is None:
        errors["starts_at"] = _l("Give the start.")
    if "ends_at" not in errors and ends_at is None:
        errors["ends_at"] = _l("Give the end.")
    dates_ok = not ({"starts_at", "ends_at"} & errors.keys())
    if dates_ok and ends_at < starts_at:
        errors["ends_at"] = _l("The end must come after the start.")
    opens, closes = event_fields.get("registration_opens_at"), event_fields.get(
        "registration_closes_at"
    )
    if opens and closes and "registration_closes_at" not in errors and closes < opens:
        errors["registration_closes_at"] = _l("Registration must close after it opens.")
    if "admission" in event_fields and not inputs.is_choice(Admission, event_fields["admission"]):
        errors["admission"] = _l("Choose open registration or admission by application.")
    capacity = event_fields.get("capacity")
    if capacity is not None:
        if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
            errors["capacity"] = _l("The capacity cannot be negative.")
        elif capacity > inputs.INTEGER_MAX:
            errors["capacity"] = _l("At most %(n)d.", n=inputs.INTEGER_MAX)
        elif capacity < taken:
            errors["capacity"] = _l(
                "%(n)d people already hold a seat: the capacity cannot be lower.", n=taken
            )
    if "timezone" in event_fields and not zones.is_zone(event_fields["timezone"]):
        errors["timezone"] = _l("Unknown time zone.")
    if "kind" in event_fields and not inputs.is_choice(EventKind, event_fields["kind"]):
        errors["kind"] = _l("Unknown kind of event.")
    for i, session in enumerate(sessions or ()):
        s_start, s_end = session.get("starts_at"), session.get("ends_at")
        if not (session.get("title") or "").strip():
            errors[f"sessions.{i}.title"] = _l("Give the session a title.")
        elif len(session["title"]) > 200:
            errors[f"sessions.{i}.title"] = _l("At most %(n)d characters.", n=200)
        elif inputs.bad_text(session["title"]):
            errors[f"sessions.{i}.title"] = inputs.CONTROL_MESSAGE
        errors.update(_translation_errors(
            session.get("translations"), SESSION_TEXT_LIMITS, f"sessions.{i}."))  # fmt: skip
        if not isinstance(s_start, datetime) or not isinstance(s_end, datetime) or (
            s_start.tzinfo is None or s_end.tzinfo is None
        ):
            errors[f"sessions.{i}.starts_at"] = _l("Give a date and time with its time zone.")
        elif not (inputs.in_window(s_start) and inputs.in_window(s_end)):
            wrong = "starts_at" if not inputs.in_window(s_start) else "ends_at"
            errors[f"sessions.{i}.{wrong}"] = inputs.DATE_MESSAGE
        elif s_end < s_start:
            errors[f"sessions.{i}.ends_at"] = _l("A session must end after it starts.")
        elif dates_ok and (s_start < starts_at or s_end > ends_at):
            # The start if it is outside the event, else the end (the field that is wrong).
            wrong = "starts_at" if not starts_at <= s_start <= ends_at else "ends_at"
            errors[f"sessions.{i}.{wrong}"] = _l("Every session must lie within the event.")
    if errors:
        raise ValidationFailed(errors)


def _translation_errors(
    translations: Any, limits: dict[str, int], prefix: str = ""
) -> dict[str, Any]:
    """{"title.nl": message} (after `prefix`: "sessions.0.title.nl") for each text in another
    language that breaks a rule; `limits`: the fields written per language, their lengths."""
    if translations is None:
        return {}
    if not isinstance(translations, dict):
        return {f"{prefix}translations": _l("Give the texts per language.")}
    errors: dict[str, Any] = {}
    for language, texts in translations.items():
        if language not in LANGUAGES:
            errors[f"{prefix}translations.{language}"] = _l("Choose French, Dutch or English.")
            continue
        for field, value in (texts or {}).items() if isinstance(texts, dict) else ():
            key = f"{prefix}{field}.{language}"
            if field not in limits or not isinstance(value, str):
                errors[key] = _l("Give the texts per language.")
            elif len(value) > limits[field]:
                errors[key] = _l("At most %(n)d characters.", n=limits[field])
            elif inputs.bad_text(value, multiline=field == "description"):
                errors[key] = inputs.CONTROL_MESSAGE
    return errors
