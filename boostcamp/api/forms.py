from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from boostcamp.core.forms import FlaskForm


class TokenForm(FlaskForm):
    organisation = SelectField(
        _l("Organisation"), coerce=int, validators=[DataRequired(_l("Choose an organisation."))]
    )
    name = StringField(
        _l("What is it for?"),
        validators=[DataRequired(_l("Give the token a name.")), Length(max=120)],
        render_kw={"placeholder": _l("Website, CRM …")},
    )


class ApiSettingsForm(FlaskForm):
    partner_may_publish = BooleanField(_l("Partners may publish their events through the API"))
