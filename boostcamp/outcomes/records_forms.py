"""Forms of the outcomes' records, imports and follow-up surveys. Field-level checks only:
the record services check everything again and their errors come back on the fields."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from boostcamp.core.forms import FlaskForm
from boostcamp.errors import ValidationFailed
from boostcamp.outcomes.imports import KIND_LABELS
from boostcamp.outcomes.kbo import validate_enterprise_number
from boostcamp.outcomes.models import StartupRole, StartupStatus

STATUS_LABELS = {
    StartupStatus.ACTIVE: _l("Active"),
    StartupStatus.CLOSED: _l("Closed"),
    StartupStatus.ACQUIRED: _l("Acquired"),
}
ROLE_LABELS = {StartupRole.FOUNDER: _l("Founder"), StartupRole.TEAM_MEMBER: _l("Team member")}


class ServiceErrorsMixin:
    def show_errors(self, errors: dict[str, str]) -> None:
        """A service's errors next to their fields; the others above the form."""
        for name, message in errors.items():
            target = self._fields.get(name)
            if target is None:
                self.form_errors.append(message)
            else:
                target.errors = [*target.errors, message]


def _enterprise_number(form, field) -> None:
    if field.data:
        try:
            field.data = validate_enterprise_number(field.data)
        except ValidationFailed as e:
            raise ValidationError(str(next(iter(e.errors.values())))) from None


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value.value, label) for value, label in labels.items()]


REQUIRED_DATE = DataRequired(_l("Give the date."))
REQUIRED_EMAIL = [DataRequired(_l("Give an e-mail address.")), Email()]


class StartupForm(ServiceErrorsMixin, FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the start-up's name.")), Length(max=200)]
    )
    enterprise_number = StringField(
        _l("Enterprise number (KBO/BCE)"), validators=[Optional(), _enterprise_number]
    )
    founded_on = DateField(_l("Founded on"), validators=[REQUIRED_DATE])
    legal_form = StringField(_l("Legal form"), validators=[Optional(), Length(max=40)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=120)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS))
    status_since = DateField(_l("Status since"), validators=[Optional()])
    supported_from = DateField(_l("Supported by the centre from"), validators=[Optional()])
    supported_until = DateField(_l("Supported until"), validators=[Optional()])

    def fields_for_service(self) -> dict:
        return {name: self[name].data or None for name in (
            "name", "enterprise_number", "founded_on", "legal_form", "sector", "city", "website",
            "status", "status_since", "supported_from", "supported_until")}  # fmt: skip


class MemberForm(ServiceErrorsMixin, FlaskForm):
    person = EmailField(_l("E-mail of the person"), validators=REQUIRED_EMAIL)
    role = SelectField(_l("Role"), choices=_choices(ROLE_LABELS))
    started_on = DateField(_l("Since"), validators=[Optional()])
    ended_on = DateField(_l("Until"), validators=[Optional()])


class JobsForm(ServiceErrorsMixin, FlaskForm):
    on = DateField(_l("Counted on"), validators=[REQUIRED_DATE])
    headcount = IntegerField(
        _l("People employed"), validators=[InputRequired(_l("Give a whole number of people."))]
    )
    fte = DecimalField(_l("Full-time equivalents"), places=2, validators=[Optional()])


class CertificationForm(ServiceErrorsMixin, FlaskForm):
    person = EmailField(_l("E-mail of the person"), validators=REQUIRED_EMAIL)
    name = StringField(
        _l("Certification"),
        validators=[DataRequired(_l("Give the certification's name.")), Length(max=200)],
    )
    code = StringField(_l("Exam code"), validators=[Optional(), Length(max=40)])
    issuer = StringField(
        _l("Issuer"), validators=[DataRequired(_l("Say who issued it.")), Length(max=120)]
    )
    obtained_on = DateField(_l("Obtained on"), validators=[REQUIRED_DATE])


class ImportForm(FlaskForm):
    kind = SelectField(_l("What the file holds"), choices=_choices(KIND_LABELS))
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


# ---------------------------------------------------------------- the follow-up survey


class SurveyForm(FlaskForm):
    started_company = RadioField(
        _l("Have you started a company since the event?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))], default="no",
    )  # fmt: skip
    startup_name = StringField(_l("Its name"), validators=[Optional(), Length(max=200)])
    enterprise_number = StringField(_l("Its enterprise number (if you know it)"),
                                    validators=[Optional(), _enterprise_number])  # fmt: skip
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
        if field.data and field.data > date.today():
            raise ValidationError(_l("This date is in the future."))

    def validate_certification_on(self, field) -> None:
        if field.data and field.data > date.today():
            raise ValidationError(_l("This date is in the future."))

    def validate_certification_issuer(self, field) -> None:
        if self.certification_name.data and not field.data:
            raise ValidationError(_l("Say who issued it."))
