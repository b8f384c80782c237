"""Forms of the outcomes' records (start-ups, members, jobs, certifications). Field-level
checks only: the record services check everything again and their errors come back on the
fields."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from boostcamp.core.forms import FlaskForm
from boostcamp.core.errors import ValidationFailed
from boostcamp.outcomes.records.kbo import validate_enterprise_number
from boostcamp.outcomes.records.models import StartupRole, StartupStatus



def enterprise_number_field(form, field) -> None:
    if field.data:
        try:
            field.data = validate_enterprise_number(field.data)
        except ValidationFailed as e:
            raise ValidationError(str(next(iter(e.errors.values())))) from None


REQUIRED_DATE = DataRequired(_l("Give the date."))
REQUIRED_EMAIL = [DataRequired(_l("Give an e-mail address.")), Email()]


class StartupForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Give the start-up's name.")), Length(max=200)]
    )
    enterprise_number = StringField(
        _l("Enterprise number (KBO/BCE)"), validators=[Optional(), enterprise_number_field]
    )
    founded_on = DateField(_l("Founded on"), validators=[REQUIRED_DATE])
    legal_form = StringField(_l("Legal form"), validators=[Optional(), Length(max=40)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=120)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    status = SelectField(_l("Status"), choices=StartupStatus.choices())
    status_since = DateField(_l("Status since"), validators=[Optional()])
    supported_from = DateField(_l("Supported by the centre from"), validators=[Optional()])
    supported_until = DateField(_l("Supported until"), validators=[Optional()])

    def fields_for_service(self) -> dict:
        return {name: self[name].data or None for name in (
            "name", "enterprise_number", "founded_on", "legal_form", "sector", "city", "website",
            "status", "status_since", "supported_from", "supported_until")}  # fmt: skip


class MemberForm(FlaskForm):
    person = EmailField(_l("E-mail of the person"), validators=REQUIRED_EMAIL)
    role = SelectField(_l("Role"), choices=StartupRole.choices())
    started_on = DateField(_l("Since"), validators=[Optional()])
    ended_on = DateField(_l("Until"), validators=[Optional()])


class JobsForm(FlaskForm):
    on = DateField(_l("Counted on"), validators=[REQUIRED_DATE])
    headcount = IntegerField(
        _l("People employed"), validators=[InputRequired(_l("Give a whole number of people."))]
    )
    fte = DecimalField(_l("Full-time equivalents"), places=2, validators=[Optional()])


class CertificationForm(FlaskForm):
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


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""
