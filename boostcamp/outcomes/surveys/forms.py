"""The follow-up survey's form, as the participant fills it in. Field-level checks only."""


from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectChoice, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from boostcamp.core.zones import centre_today
from boostcamp.core.forms import FlaskForm
from boostcamp.outcomes.records.forms import enterprise_number_field


class SurveyForm(FlaskForm):
    started_company = RadioField(
        _l("Have you started a company since the event?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))], default="no",
    )  # fmt: skip
    startup_name = StringField(_l("Its name"), validators=[Optional(), Length(max=200)])
    enterprise_number = StringField(_l("Its enterprise number (if you know it)"),
                                    validators=[Optional(), enterprise_number_field])  # fmt: skip
    founded_on = DateField(_l("Founded on"), validators=[Optional()])
    jobs = IntegerField(_l("How many people work in it today (you included)?"),
                        validators=[Optional(), NumberRange(min=0, max=100000)])  # fmt: skip
    certification_name = StringField(_l("A certification you obtained since (name)"),
                                     validators=[Optional(), Length(max=200)])  # fmt: skip
    certification_issuer = StringField(
        _l("Who issued it"), validators=[Optional(), Length(max=120)]
    )
    certification_on = DateField(_l("Obtained on"), validators=[Optional()])
    stop_asking = BooleanField(_l("Do not send me any more of these surveys"))

    def validate_startup_name(self, field) -> None:
        if self.started_company.data == "yes" and not field.data:
            raise ValidationError(_l("Give the company's name."))

    def validate_founded_on(self, field) -> None:
        if self.started_company.data == "yes" and not field.data:
            raise ValidationError(_l("Give the date."))
        if field.data and field.data > centre_today():
            raise ValidationError(_l("This date is in the future."))

    def validate_certification_on(self, field) -> None:
        if field.data and field.data > centre_today():
            raise ValidationError(_l("This date is in the future."))

    def validate_certification_issuer(self, field) -> None:
        if self.certification_name.data and not field.data:
            raise ValidationError(_l("Say who issued it."))
