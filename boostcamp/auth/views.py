import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from boostcamp.auth import services, two_factor
from boostcamp.auth.forms import (
    ChangePasswordForm,
    ChoosePasswordForm,
    LoginForm,
    ResetRequestForm,
)  # fmt: skip
from boostcamp.auth.models import User
from boostcamp.auth.tokens import LinkExpired, LinkInvalid, read_link_token
from boostcamp.auth.two_factor_views import ask_code
from boostcamp.core.extensions import db, limiter, login_manager
from boostcamp.core.forms import refusal_onto
from boostcamp.core.inputs import normalise_email
from boostcamp.core.urls import safe_next_url

bp = Blueprint("auth", __name__, url_prefix="/auth")

login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"


login_manager.localize_callback = lambda message: _(message)

def N_(message: str) -> str:  # marks a string for translation, translated later
    return message


login_manager.login_message = N_("Please sign in to see this page.")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The account of a session or remember cookie, while that sign-in stands: same session
    token (not revoked since), and younger than REMEMBER_COOKIE_DURATION."""
    account, _, rest = user_id.partition(".")
    token, _, began = rest.partition(".")
    if not account.isdigit() or not began.isdigit():
        return None  # a cookie from before sessions could be revoked, or forged
    age = time.time() - int(began)
    if not 0 <= age <= current_app.config["REMEMBER_COOKIE_DURATION"].total_seconds():
        return None
    user = db.session.get(User, int(account))
    if user is None or (user.session_token or "-") != token:
        return None
    return user


def _failed_login(response) -> bool:
    # Only failures count against the limit: staff signing in normally are never slowed.
    return response.status_code != 302


def _account_key() -> str:
    """The address being signed in to (or reset), as one key: limits per account."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], key_func=_account_key,
               methods=["POST"], deduct_when=_failed_login)  # fmt: skip
@limiter.limit(lambda: current_app.config["LOGIN_IP_RATE_LIMIT"], methods=["POST"],
               deduct_when=_failed_login)  # fmt: skip
def login():
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            if two_factor.enabled(user):  # the password is right: now the code
                return ask_code(user, form.remember.data, form.next.data)
            login_user(user, remember=form.remember.data)
            return redirect(safe_next_url(form.next.data) or url_for("staff_events.dashboard"))
        # One message whatever was wrong: nobody learns which e-mails have accounts.
        form.password.errors.append(_("Wrong e-mail or password."))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("staff_events.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    # Ends this session and every other of the account, remember cookies included. Sent again
    # (a second tap, another tab already signed out), it lands in the same place.
    if current_user.is_authenticated:
        _sign_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for("events.list_events"))


def _sign_out() -> None:
    user = current_user._get_current_object()
    logout_user()
    services.sign_out_everywhere(user)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], key_func=_account_key,
               methods=["POST"])  # fmt: skip
@limiter.limit(lambda: current_app.config["RESET_RATE_LIMIT"], methods=["POST"])
def request_reset():
    """Forgotten password: a link by mail. The same answer whether the address has an account."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If this address has an account, a link to choose a new password is on its way "
                "(valid %(minutes)d minutes).",
                minutes=current_app.config["PASSWORD_RESET_MINUTES"]), "success")  # fmt: skip
        return redirect(url_for(".login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def reset_password(token: str):
    return _choose_password(token, services.RESET, current_app.config["PASSWORD_RESET_MINUTES"] * 60)


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """My account: change the password (asks the current one), sign out everywhere."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with refusal_onto(form):
            services.change_password(user, form.current.data, form.password.data)
            login_user(user)  # this device stays signed in; every other session ended
            flash(_("Your password is changed; your other sessions are signed out."), "success")
            return redirect(url_for(".account"))
    return render_template("auth/account.html", form=form)


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    _sign_out()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for(".login"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def accept_invitation(token: str):
    """The link of an invitation mail: the person chooses their password, and is signed in."""
    return _choose_password(token, services.INVITATION,
                            current_app.config["INVITATION_HOURS"] * 3600)  # fmt: skip


def _choose_password(token: str, purpose: str, max_age_seconds: int):
    try:
        user = read_link_token(token, purpose, max_age_seconds)
    except LinkExpired:
        return render_template("auth/link_gone.html", expired=True, purpose=purpose), 410
    except LinkInvalid:
        return render_template("auth/link_gone.html", expired=False, purpose=purpose), 404
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        with refusal_onto(form):
            services.choose_password(user, form.password.data, purpose=purpose)
            # With a second factor, a mailed link is not enough to be signed in.
            if user.is_active and not two_factor.enabled(user):
                login_user(user)
                flash(_("Your password is saved: welcome."), "success")
                return redirect(url_for("staff_events.dashboard"))
            flash(_("Your password is saved."), "success")
            return redirect(url_for(".login"))
    return render_template("auth/choose_password.html", form=form, user=user)
