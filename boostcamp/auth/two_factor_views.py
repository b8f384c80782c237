"""Two-step sign-in pages: set up, sign-in code, recovery codes, turn off, the staff policy."""

import time

from flask import (Blueprint, current_app, flash, redirect, render_template, request, session,
                   url_for)  # fmt: skip
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from boostcamp.auth import two_factor
from boostcamp.auth.models import User
from boostcamp.core.policy import Action, can, require
from boostcamp.auth.two_factor_forms import CodeForm, DisableForm, PolicyForm, SignInCodeForm
from boostcamp.core.forms import refusal_flashed, refusal_onto
from boostcamp.core.urls import safe_next_url
from boostcamp.core.extensions import db, limiter

bp = Blueprint("two_factor", __name__, url_prefix="/auth/two-step")

PENDING = "two_factor_pending"  # session key: a password was right, the code is awaited
PENDING_SECONDS = 300


def ask_code(user: User, remember: bool, next_url: str | None):
    """Called by the sign-in page once the password is right, for an account with a second
    factor: nobody is signed in until the code is right too."""
    session[PENDING] = {"user": user.id, "token": user.session_token or "-",
                        "remember": bool(remember), "next": next_url or "",
                        "at": int(time.time())}  # fmt: skip
    return redirect(url_for("two_factor.sign_in_code"))


def _pending_user() -> User | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    # Signed out everywhere, or the password changed, since: start again.
    if user is None or (user.session_token or "-") != pending.get("token") or not user.is_active:
        return None
    return user


def _pending_key() -> str:
    pending = session.get(PENDING)
    return f"two-step:{pending.get('user') if isinstance(pending, dict) else request.remote_addr}"


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], methods=["POST"],
               key_func=_pending_key, deduct_when=_failed)  # fmt: skip
def sign_in_code():
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Sign in again, please."), "info")
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        if two_factor.verify(user, form.code.data):
            pending = session.pop(PENDING)  # the step or recovery code is used up: kept
            login_user(user, remember=pending["remember"])
            return redirect(safe_next_url(pending["next"]) or url_for("staff_events.dashboard"))
        form.code.errors.append(_("This code is not right: type the 6 digits the app shows now."))
    return render_template("auth/two_factor_code.html", form=form), 200 if not form.errors else 422


@bp.route("/", methods=["GET", "POST"])
@login_required
def manage():
    """The signed-in person's own second factor: set it up, or see and change it."""
    form = CodeForm()
    if two_factor.enabled(current_user):
        return render_template(
            "auth/two_factor.html", enabled=True, disable_form=DisableForm(), renew_form=form,
            codes_left=two_factor.recovery_codes_left(current_user), **_policy(),
        )
    row = two_factor.start_setup(current_user)
    if form.validate_on_submit():
        with refusal_onto(form):
            codes = two_factor.confirm_setup(current_user, form.code.data)
            # Every other session of the account ended (confirm_setup): this one goes on.
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            remember = request.cookies.get(cookie)
            login_user(current_user._get_current_object(), remember=bool(remember))
            return render_template("auth/two_factor_recovery_codes.html", codes=codes)
    uri = two_factor.setup_uri(current_user, row)
    status = 422 if form.errors else 200
    return render_template("auth/two_factor.html", enabled=False, form=form, secret=row.secret,
                           uri=uri, qr=two_factor.qr_code(uri), **_policy()), status  # fmt: skip


@bp.post("/recovery-codes")
@login_required
@limiter.limit("10 per 5 minutes")
def renew_recovery_codes():
    form = CodeForm()
    if form.validate_on_submit():
        with refusal_flashed():
            codes = two_factor.renew_recovery_codes(current_user, form.code.data)
            return render_template("auth/two_factor_recovery_codes.html", codes=codes)
    return redirect(url_for(".manage"))


@bp.post("/off")
@login_required
@limiter.limit("10 per 5 minutes")
def disable():
    form = DisableForm()
    if form.validate_on_submit():
        with refusal_flashed():
            two_factor.disable(current_user, password=form.password.data, code=form.code.data)
            flash(_("Two-step sign-in is off."), "success")
    return redirect(url_for(".manage"))


def _policy() -> dict:
    if not can(current_user, Action.MANAGE_USERS):
        return {"policy_form": None}
    return {"policy_form": PolicyForm(required=two_factor.required_setting(), formdata=None)}


@bp.post("/policy")
@login_required
def policy():
    require(Action.MANAGE_USERS)
    form = PolicyForm()
    if form.validate_on_submit():
        two_factor.set_required(form.required.data, by=current_user)
        flash(_("The rule for the centre's staff is saved."), "success")
    return redirect(url_for(".manage"))


@bp.post("/users/<int:user_id>/off")
@login_required
def disable_for(user_id: int):
    """An admin turns off someone's second factor (a lost phone); they set it up again."""
    require(Action.MANAGE_USERS)
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:  # one's own: with the password and a code, on the page
        return redirect(url_for(".manage"))
    two_factor.disable(user, by=current_user)
    flash(_("Two-step sign-in is off for %(name)s.", name=user.name), "success")
    return redirect(request.referrer or url_for(".manage"))


ALLOWED_WITHOUT = {"static", "auth.logout"}


@bp.before_app_request
def require_for_staff():
    """While the centre requires it, staff without a second factor are taken to set it up
    before any staff page."""
    if not current_user.is_authenticated or not request.path.startswith("/staff"):
        return None
    if request.endpoint in ALLOWED_WITHOUT or not two_factor.required(current_user):
        return None
    if two_factor.enabled(current_user):
        return None
    flash(_("The centre asks its staff to sign in in two steps: set it up to go on."), "info")
    return redirect(url_for("two_factor.manage"))
