"""The base of every form: Flask-WTF's, with the input hygiene all forms share.

Every text a form receives is checked for NUL, control characters (a multi-line field keeps
tab and newlines) and lone surrogates (boostcamp.core.inputs): such a value is a field error,
so nothing is saved and PostgreSQL never sees a NUL. Numbers must fit an INTEGER column and
dates lie between 1900 and 2100 (a domain may narrow it: events 2000–2100). Forms import
FlaskForm from here, not from flask_wtf (tests/core/test_hostile_input.py checks that every
form does)."""

from contextlib import contextmanager
from datetime import date

import flask_wtf
from flask import flash
from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, IntegerField, TextAreaField

from boostcamp.core import inputs
from boostcamp.core.texts import LANGUAGES
from boostcamp.core.errors import DomainError
from boostcamp.core.extensions import db


class FlaskForm(flask_wtf.FlaskForm):
    # A service's name for a field, where the form names it otherwise.
    error_fields: dict[str, str] = {}

    def field_for(self, key: str):
        """The field a service's error key ("phone", "organisation_name") belongs to, or None."""
        return self._fields.get(self.error_fields.get(key, key))

    def show_errors(self, errors: dict[str, str]) -> None:
        """A service's {field: message}: each next to its field, the rest above the form."""
        for key, message in errors.items():
            target = self.field_for(key)
            if target is None:
                self.form_errors.append(message)
            else:
                target.errors = [*target.errors, message]

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

    def error_links(self) -> list[tuple[str | None, str, str]]:
        """(field id, label, message) for every error, in the page's order, for the banner
        above the form (_macros/forms.html error_summary). A field inside a list of rows is
        named with its row ("Session 2 – Ends"); a hidden field or a form-wide error has no id."""
        links = []
        for field, label in _labelled_fields(self, ""):
            hidden = field.type in ("HiddenField", "CSRFTokenField") or (
                getattr(field.widget, "input_type", None) == "hidden"
            )
            for message in field.errors:
                links.append((None if hidden else field.id, label, str(message)))
        links.extend((None, "", str(message)) for message in self.form_errors)
        return links


def _labelled_fields(form, prefix: str):
    for field in form:
        if isinstance(field, FormField):
            yield from _labelled_fields(field.form, prefix)
        elif isinstance(field, FieldList):
            for n, entry in enumerate(field.entries, start=1):
                row = f"{prefix}{field.label.text} {n} – "
                if isinstance(entry, FormField):
                    yield from _labelled_fields(entry.form, row)
                else:
                    yield entry, row + str(entry.label.text)
        else:
            yield field, prefix + str(field.label.text)


class ButtonForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


def apply_errors(form: FlaskForm, error: DomainError) -> None:
    """A service refused: nothing it wrote is kept, and its errors go onto the form."""
    db.session.rollback()
    form.show_errors(error.errors)


@contextmanager
def refusal_onto(form: FlaskForm, *refusals: type[DomainError]):
    """Around the service call of a form sent: its refusal (a DomainError, or only the kinds
    given) goes onto the form (apply_errors) and the view goes on past the block, to show
    the form again; anything else goes on up."""
    try:
        yield
    except refusals or DomainError as e:
        apply_errors(form, e)


@contextmanager
def refusal_flashed(*refusals: type[DomainError]):
    """Around the service call of a button (no form to show again): its refusal (a
    DomainError, or only the kinds given) is flashed as an error and the view goes on past
    the block; anything else goes on up."""
    try:
        yield
    except refusals or DomainError as e:
        flash(e.message, "error")


def _fields(form):
    for field in form:
        if isinstance(field, FormField):
            yield from _fields(field.form)
        elif isinstance(field, FieldList):
            for entry in field.entries:
                yield from _fields(entry.form) if isinstance(entry, FormField) else [entry]
        else:
            yield field


TEXT_FIELDS = ("title", "summary", "description")  # the texts written in each language


class TextsByLanguage:
    """For a form with a title, summary and description in each language (`title_fr`,
    `summary_nl` …) and a main `language`, whose title is required. Put before FlaskForm."""

    title_missing: str  # the message: each form names what it titles

    def text_fields(self, language: str) -> list:
        """The title, summary and description fields of one language."""
        return [self[f"{field}_{language}"] for field in TEXT_FIELDS]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        title = self[f"title_{self.language.data}"] if self.language.data in LANGUAGES else None
        if title is not None and not (title.data or "").strip() and not title.errors:
            title.errors.append(self.title_missing)
            ok = False
        return ok
