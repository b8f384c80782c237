from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from boostcamp.core.forms import FlaskForm
from boostcamp.outcomes.impact.models import ImpactMetric



class RuleForm(FlaskForm):
    min_attendance_percent = IntegerField(
        _l("Attended: at least this share of the event's sessions (%)"),
        validators=[InputRequired(_l("Give a number.")), NumberRange(1, 100)],
    )
    startup_months = IntegerField(
        _l("A start-up is credited to events its founders attended up to this many months "
           "before founding it"),
        validators=[InputRequired(_l("Give a number.")), NumberRange(0, 120)],
    )
    certification_months = IntegerField(
        _l("A certification is credited to trainings attended up to this many months before"),
        validators=[InputRequired(_l("Give a number.")), NumberRange(0, 120)],
    )


class TargetForm(FlaskForm):
    label = StringField(_l("Target"), validators=[DataRequired(_l("Give the target a name.")),
                                                  Length(max=200)])  # fmt: skip
    metric = SelectField(_l("What is counted"), choices=ImpactMetric.choices())
    value = IntegerField(_l("Value"), validators=[InputRequired(_l("Give a number.")),
                                                  NumberRange(min=0)])  # fmt: skip
    period_from = DateField(_l("Start of the period"),
                            validators=[InputRequired(_l("Give the date."))])  # fmt: skip
    period_to = DateField(_l("End of the period"),
                          validators=[InputRequired(_l("Give the date."))])  # fmt: skip
