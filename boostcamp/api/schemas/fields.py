"""The partner API's building blocks: fields that check lengths, texts, instants and numbers with
the services' own limits and messages, the strict schema that refuses unknown fields, a page
of results and the error body.

Error messages are English msgids, translated when the error body is built
(boostcamp.api.errors), so that a field's message follows the request's language.
"""

import marshmallow as ma
from flask_babel import gettext
from marshmallow import fields, validate

from boostcamp.core import inputs
from boostcamp.core.i18n import N_
from boostcamp.core.texts import LANGUAGES


DATETIME_ERRORS = {
    "invalid": N_("Give a date and time with its time zone."),
    "invalid_awareness": N_("Give a date and time with its time zone."),
}


def column_length(column) -> int:
    return column.property.columns[0].type.length


class MaxLength(validate.Length):
    """Length(max=…) with the same message as the event services' own length check."""

    def __init__(self, limit: int):
        super().__init__(max=limit)

    def _format_error(self, value, message) -> str:
        return gettext("At most %(n)d characters.", n=self.max)


CONTROL_MESSAGE = N_("Remove the invisible control characters from this text.")
WINDOW_MESSAGE = N_("Give a date between 2000 and 2100.")
# Stated in the OpenAPI document as patterns (ECMA-262): what text_ok() refuses.
SINGLE_LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f]*$"
MULTI_LINE_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"


def text_ok(multiline: bool = False):
    """No NUL, control characters (but tab and newlines in a multi-line text) or lone
    surrogates (boostcamp.core.inputs)."""

    def check(value: str) -> None:
        if inputs.bad_text(value, multiline):
            raise ma.ValidationError(CONTROL_MESSAGE)

    return check


def text(column=None, *, limit: int | None = None, multiline: bool = False, **kwargs):
    """A string no longer than its column (or `limit`), without control characters."""
    metadata = {"pattern": MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN,
                **kwargs.pop("metadata", {})}  # fmt: skip
    return fields.String(
        validate=[MaxLength(limit or column_length(column)), text_ok(multiline)],
        metadata=metadata, **kwargs,
    )  # fmt: skip


def in_window(value) -> None:
    if not inputs.in_window(value):
        raise ma.ValidationError(WINDOW_MESSAGE)


def instant(**kwargs) -> fields.AwareDateTime:
    """An ISO 8601 date and time with its offset: "2030-03-30T09:00:00+02:00", between
    2000 and 2100."""
    metadata = kwargs.pop("metadata", {})
    description = metadata.get("description", "")
    metadata["description"] = (description + " " if description else "") + (
        "Between 2000-01-01 and 2100-12-31 (UTC)."
    )
    return fields.AwareDateTime(
        format="iso", error_messages=DATETIME_ERRORS, validate=in_window, metadata=metadata,
        **kwargs,
    )  # fmt: skip


class Texts(fields.Field):
    """A text in the event's own language (a plain string), or texts by language:
    {"fr": "…", "nl": "…", "en": "…"}; on a change, a language left out keeps its text and
    null removes it."""

    def __init__(self, limit: int, multiline: bool = False, **kwargs):
        self.limit, self.multiline = limit, multiline
        string = {"type": "string", "maxLength": limit,
                  "pattern": MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN}  # fmt: skip
        by_language = {
            "type": "object",
            "properties": {language: {**string, "nullable": True} for language in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        }
        metadata = {
            "oneOf": [string, by_language],
            "description": "A string (the event's language), or "
            '{"fr": …, "nl": …, "en": …}.',
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _check(self, value: str) -> None:
        MaxLength(self.limit)(value)
        text_ok(self.multiline)(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            self._check(value)
            return value
        if not isinstance(value, dict) or not value:
            raise ma.ValidationError(BY_LANGUAGE_MESSAGE)
        errors = {}
        for language, text in value.items():
            if language not in LANGUAGES:
                errors[language] = [UNKNOWN_LANGUAGE_MESSAGE]
            elif text is not None and not isinstance(text, str):
                errors[language] = [BY_LANGUAGE_MESSAGE]
            elif text is not None:
                try:
                    self._check(text)
                except ma.ValidationError as e:
                    errors[language] = e.messages
        if errors:
            raise ma.ValidationError(errors)
        return dict(value)


BY_LANGUAGE_MESSAGE = N_('Give a text, or texts by language: {"fr": …, "nl": …}.')
UNKNOWN_LANGUAGE_MESSAGE = N_("Choose French, Dutch or English.")


class AtMost(validate.Range):
    """The INTEGER columns' maximum, with the services' message in the request's language.
    (The minimum is the services' rule: stated in the document, checked with the others.)"""

    def __init__(self):
        super().__init__(max=inputs.INTEGER_MAX)

    def _format_error(self, value, message) -> str:
        return gettext("At most %(n)d.", n=self.max)


def number(minimum: int = 0, **kwargs) -> fields.Integer:
    """A whole number that fits the INTEGER columns."""
    metadata = {"minimum": minimum, **kwargs.pop("metadata", {})}
    return fields.Integer(strict=True, validate=AtMost(), metadata=metadata, **kwargs)


def page_field() -> fields.Integer:
    return fields.Integer(load_default=1, validate=validate.Range(min=1, max=inputs.PAGE_MAX))


class Day(fields.Date):
    """A YYYY-MM-DD filter; a day before 2000 or after 2100 counts as the window's edge."""

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        metadata["description"] = (metadata.get("description", "") + " Days before 2000 or "
                                   "after 2100 count as 2000-01-01 or 2100-12-31.").strip()
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return inputs.clamp_day(super()._deserialize(value, attr, data, **kwargs))


class Since(fields.AwareDateTime):
    """An instant used as a filter: outside 2000–2100 it counts as the window's edge."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", error_messages=DATETIME_ERRORS, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return min(max(value, inputs.EARLIEST), inputs.LATEST)


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE  # a misspelt field is an error, not silently ignored
        ordered = True


class PageInfo(ma.Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class ErrorOut(ma.Schema):
    """Every error of the API."""

    error = fields.String(
        metadata={"description": "bad_json, unauthorized, forbidden, not_found, conflict, "
                  "validation_failed …"}
    )  # fmt: skip
    message = fields.String()
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": 'Message per field; nested as "sessions.0.starts_at".'},
    )
