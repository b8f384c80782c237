from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from boostcamp.core.forms import FlaskForm


def _code_field(label=None):
    return StringField(
        label or _l("Code from the app"),
        validators=[DataRequired(_l("Type the code.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "autocapitalize": "off", "spellcheck": "false"},  # fmt: skip
    )


class CodeForm(FlaskForm):
    code = _code_field()


class SignInCodeForm(FlaskForm):
    code = _code_field(_l("Code from the app, or a recovery code"))


class DisableForm(FlaskForm):
    password = PasswordField(
        _l("Your password, to confirm"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = _code_field(_l("Code from the app, or a recovery code"))


class PolicyForm(FlaskForm):
    required = BooleanField(_l("Centre staff must use two-step sign-in"))
