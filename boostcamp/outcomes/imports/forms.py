"""The upload form of an import."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from boostcamp.core.forms import FlaskForm
from boostcamp.outcomes.imports.importer import KIND_LABELS
from boostcamp.outcomes.records.forms import label_choices


class ImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=label_choices(KIND_LABELS))
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])
