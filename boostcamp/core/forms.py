"""The base of every form: Flask-WTF's, with the input hygiene all forms share.

Every text a form receives is checked for NUL, control characters (a multi-line field keeps
tab and newlines) and lone surrogates (boostcamp.core.inputs): such a value is a field error,
so nothing is saved and PostgreSQL never sees a NUL. Numbers must fit an INTEGER column and
dates lie between 1900 and 2100 (a domain may narrow it: events 2000–2100). Forms import
FlaskForm from here, not from flask_wtf (tests/core/test_hostile_input.py checks that every
form does)."""

from datetime import date

import flask_wtf
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, IntegerField, TextAreaField

from boostcamp.core import inputs


class FlaskForm(flask_wtf.FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in _fields(self):
            multiline = isinstance(field, TextAreaField)
            raw = [v for v in (field.raw_data or ()) if isinstance(v, str)]
            if any(inputs.bad_text(value, multiline) for value in raw):
                message = inputs.CONTROL_MESSAGE
            elif isinstance(field, IntegerField) and isinstance(field.data, int) and (
                abs(field.data) > inputs.INTEGER_MAX
            ):
                message = _l("This number is too large.")
            elif isinstance(field.data, date) and not 1900 <= field.data.year <= 2100:
                message = _l("Give a date between 1900 and 2100.")
            else:
                continue
            field.errors = [*field.errors, message]
            valid = False
        return valid


class ButtonForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


def _fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field
