from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from boostcamp.core.forms import FlaskForm


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ChoosePasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=200)],
        render_kw={"autocomplete": "new-password", "autofocus": True},
    )
    confirm = PasswordField(
        _l("The same password again"),
        validators=[DataRequired(_l("Type the password again.")),
                    EqualTo("password", _l("The two passwords differ."))],  # fmt: skip
        render_kw={"autocomplete": "new-password"},
    )

    def field_for(self, key: str):
        # What a service says of the password (too short, too common) or of no field: at the password.
        return super().field_for(key) or self.password


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )


class ChangePasswordForm(ChoosePasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password.")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
