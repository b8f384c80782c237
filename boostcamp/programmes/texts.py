"""A programme's title, summary and description per language (fr, nl, en), as events have
them (core.texts): the main language's in the columns, the others' in `translations`."""

from typing import Any

from flask_babel import lazy_gettext as _l

from boostcamp.core import inputs
from boostcamp.core.texts import LANGUAGES

LIMITS = {"title": 200, "summary": 500, "description": 50_000}


def errors(language: Any, translations: Any) -> dict[str, Any]:
    """{"language": …} or {"title.nl": message} for each text that breaks a rule."""
    found: dict[str, Any] = {}
    if language not in LANGUAGES:
        found["language"] = _l("Choose French, Dutch or English.")
    if translations is None:
        return found
    if not isinstance(translations, dict):
        return {**found, "translations": _l("Give the texts per language.")}
    for lang, texts in translations.items():
        if lang not in LANGUAGES:
            found[f"translations.{lang}"] = _l("Choose French, Dutch or English.")
            continue
        if not isinstance(texts, dict):
            found[f"translations.{lang}"] = _l("Give the texts per language.")
            continue
        for field, value in texts.items():
            key = f"{field}.{lang}"
            if field not in LIMITS or not isinstance(value, str | None):
                found[key] = _l("Give the texts per language.")
            elif value and len(value) > LIMITS[field]:
                found[key] = _l("At most %(n)d characters.", n=LIMITS[field])
            elif value and inputs.bad_text(value, multiline=field == "description"):
                found[key] = inputs.CONTROL_MESSAGE
    return found
