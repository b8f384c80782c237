"""The person's own forms on their data page: field checks only (privacy.services checks
again)."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField, TelField
from wtforms.validators import DataRequired, InputRequired, Length

from boostcamp.core.forms import FlaskForm
from boostcamp.registrations.models import Profile


class DetailsForm(FlaskForm):
    first_name = StringField(_l("First name"), render_kw={"autocomplete": "given-name"})
    last_name = StringField(_l("Last name"), render_kw={"autocomplete": "family-name"})
    phone = TelField(_l("Phone (optional)"), render_kw={"autocomplete": "tel"})
    organisation = StringField(_l("Company or project (optional)"),
                               render_kw={"autocomplete": "organization"})
    profile = RadioField(
        _l("You are"),
        choices=Profile.choices(),
        validate_choice=False,  # the service says which profile is wrong
    )


class AnonymiseForm(FlaskForm):
    reason = StringField(_l("Reason (kept in the audit log)"), validators=[
        DataRequired(_l("Give the reason.")), Length(max=200)])


class MergeForm(FlaskForm):
    other_id = IntegerField(_l("Number of the other record (it will be merged into this one)"),
                            validators=[InputRequired(_l("Give the other record's number."))])
