"""Texts written in several languages: an event's title, summary and description (a
programme's may reuse the same columns and functions).

The text in the object's main `language` lives in its own columns (`title`, `summary`,
`description`: what staff pages, exports and the API's plain strings use); the texts in the
other languages in one JSON column, `translations`: {"nl": {"title": "…", "summary": "…"},
"en": {"title": "…"}}. A reader gets their language's text, or the main language's with
`LocalText.fallback` set, so the page can say so and mark the passage with its `lang`.
"""

from typing import Any

import sqlalchemy as sa
from babel import Locale
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column

from boostcamp.core.text import fold

LANGUAGES = ("fr", "nl", "en")  # as config.LANGUAGES; the order of forms and documents


class LocalText(str):
    """A text with the language it is written in; `fallback` when it is not the reader's."""

    lang: str
    fallback: bool

    def __new__(cls, value: str, lang: str, fallback: bool = False) -> "LocalText":
        text = super().__new__(cls, value)
        text.lang, text.fallback = lang, fallback
        return text


class TranslatedTexts:
    """Mixin: the columns named in TRANSLATED_FIELDS hold the main language's text, and
    `translations` the others'. The class has a `language` column of its own."""

    TRANSLATED_FIELDS: tuple[str, ...] = ()

    translations: Mapped[dict[str, dict[str, str]] | None] = mapped_column(sa.JSON)

    def text_in(self, field: str, language: str | None) -> LocalText | None:
        """The field in `language`, else in the main language (marked as a fallback);
        None when the main language has none either."""
        main = self.language
        if language and language != main:
            value = ((self.translations or {}).get(language) or {}).get(field)
            if value:
                return LocalText(value, language)
        value = getattr(self, field)
        if not value:
            return None
        return LocalText(value, main, fallback=bool(language) and language != main)

    def texts_by_language(self) -> dict[str, dict[str, str]]:
        """{language: {field: text}} for every language with a text, the main one first."""
        main = {f: getattr(self, f) for f in self.TRANSLATED_FIELDS if getattr(self, f)}
        texts = {self.language: main}
        for language, fields in (self.translations or {}).items():
            if language != self.language and fields:
                texts[language] = dict(fields)
        return texts

    def texts_by_field(self) -> dict[str, dict[str, str]]:
        """{field: {language: text}}: the shape the API reads and writes."""
        by_field: dict[str, dict[str, str]] = {f: {} for f in self.TRANSLATED_FIELDS}
        for language, fields in self.texts_by_language().items():
            for field, value in fields.items():
                by_field[field][language] = value
        return by_field

    def folded_texts(self, fields: tuple[str, ...]) -> str:
        """The given fields in every language, folded (lower case, no accents): for search."""
        parts = [getattr(self, f) for f in fields]
        for texts in (self.translations or {}).values():
            parts.extend((texts or {}).get(f) for f in fields)
        return fold(" ".join(p for p in parts if p))


def clean_translations(translations: dict | None, language: str) -> dict | None:
    """Without the main language (its texts are the columns) nor empty texts."""
    kept = {}
    for lang, texts in (translations or {}).items():
        texts = {f: v.strip() for f, v in (texts or {}).items() if v and v.strip()}
        if lang != language and texts:
            kept[lang] = texts
    return kept or None


def split_texts(
    language: str, texts: dict[str, dict[str, str | None]], fields: tuple[str, ...]
) -> dict[str, Any]:
    """{language: {field: text}} as the columns take them: the main language's fields, and
    `translations` for the others (empty texts and languages left out)."""
    main = texts.get(language) or {}
    split: dict[str, Any] = {f: (main.get(f) or "").strip() or None for f in fields}
    translations = {}
    for other, values in texts.items():
        if other == language or not isinstance(values, dict):
            continue
        kept = {f: v.strip() for f, v in values.items() if isinstance(v, str) and v.strip()}
        if kept:
            translations[other] = kept
    split["translations"] = translations or None
    return split


def merge_texts(
    current: dict[str, dict[str, str]],
    language: str,
    given: dict[str, str | dict[str, str | None] | None],
) -> dict[str, dict[str, str | None]]:
    """Texts as the API gives them, over the `current` ones ({language: {field: text}}): a
    plain string (or null) is the main `language`'s text; {"nl": "…"} sets that language's
    and leaves the others; {"nl": null} removes it."""
    texts = {lang: dict(values) for lang, values in current.items()}
    for field, value in given.items():
        if isinstance(value, dict):
            for lang, text in value.items():
                texts.setdefault(lang, {})[field] = text
        else:
            texts.setdefault(language, {})[field] = value
    return texts


# ---------------------------------------------------------------- for pages, feeds and mails


def reader_language() -> str:
    """The language pages, feeds and mails are being written in (force_locale() included)."""
    locale = get_locale()
    return locale.language if locale else LANGUAGES[0]


def localized(obj: TranslatedTexts, field: str) -> LocalText | None:
    """`obj`'s field in the reader's language, or its main language's (a fallback)."""
    return obj.text_in(field, reader_language())


def language_name(code: str) -> str:
    """A language's name in the reader's language: "néerlandais", "Frans", "English"."""
    return Locale.parse(code).get_language_name(reader_language()) or code


def with_lang(text: str | None) -> Markup:
    """The text, escaped; wrapped in <span lang="…"> when it is not in the reader's language."""
    if not text:
        return Markup("")
    if isinstance(text, LocalText) and text.fallback:
        return Markup('<span lang="{}">{}</span>').format(text.lang, text)
    return Markup("{}").format(text)


class Localized:
    """`obj`'s field in the language of the moment it is written out: for a lazy subject,
    `_l("Reminder: %(title)s", title=Localized(event, "title"))`, written within the
    recipient's force_locale()."""

    def __init__(self, obj: TranslatedTexts, field: str):
        self.obj, self.field = obj, field

    def __str__(self) -> str:
        return str(localized(self.obj, self.field) or "")
