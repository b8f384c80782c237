"""Staff pages: API tokens and the API settings."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from boostcamp.api import services
from boostcamp.api.forms import ApiSettingsForm, TokenForm
from boostcamp.core.db import paginate
from boostcamp.core.extensions import db
from boostcamp.core.policy import Action, require
from boostcamp.core.services import get_setting, set_setting
from boostcamp.core.web import missing_is_404
from boostcamp.organisations.models import Organisation
from boostcamp.organisations.services import list_organisations

bp = Blueprint("staff_api", __name__, url_prefix="/staff/api")


@bp.get("/")
@login_required
def list_tokens():
    require(Action.MANAGE_ALL)
    return _tokens_page(_token_form())


@bp.post("/tokens")
@login_required
def create_token():
    require(Action.MANAGE_ALL)
    form = _token_form()
    if not form.validate_on_submit():
        return _tokens_page(form), 422
    organisation = db.session.get(Organisation, form.organisation.data)
    token, secret = services.create_token(organisation, form.name.data, created_by=current_user)
    # Shown in this answer only: never in a redirect, a flash message or the session.
    return render_template("staff/api/created.html", token=token, secret=secret)


@bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    require(Action.MANAGE_ALL)
    with missing_is_404():
        token = services.get_token(token_id)
    services.revoke_token(token, user=current_user)
    flash(_("The token “%(name)s” of %(org)s is revoked.", name=token.name,
            org=token.organisation.name), "success")  # fmt: skip
    return redirect(url_for(".list_tokens"))


@bp.post("/settings")
@login_required
def save_settings():
    require(Action.MANAGE_ALL)
    form = ApiSettingsForm()
    if form.validate_on_submit():
        set_setting(services.PARTNERS_MAY_PUBLISH, form.partner_may_publish.data)
        flash(_("Settings saved."), "success")
    return redirect(url_for(".list_tokens"))


def _token_form() -> TokenForm:
    form = TokenForm()
    form.organisation.choices = [(0, _("Choose…"))] + [
        (o.id, o.name) for o in list_organisations()
    ]
    return form


def _tokens_page(token_form: TokenForm):
    page = paginate(
        services.tokens_query(), page=request.args.get("page"),
        per_page=20,
    )  # fmt: skip
    settings_form = ApiSettingsForm(
        partner_may_publish=get_setting(services.PARTNERS_MAY_PUBLISH), formdata=None
    )
    return render_template(
        "staff/api/tokens.html", page=page, token_form=token_form, settings_form=settings_form
    )
