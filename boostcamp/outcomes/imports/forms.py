"""The upload form of an import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from boostcamp.core.forms import FlaskForm
from boostcamp.outcomes.imports.models import ImportKind


class ImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=ImportKind.choices())
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])
