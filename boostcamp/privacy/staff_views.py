"""Staff pages: people (search, a person's records, export, anonymise, merge) and the
controller's records (/staff/privacy). Centre staff only (MANAGE_PRIVACY): partners see
people through their own events, never here (404)."""

import json

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from boostcamp.core.forms import refusal_flashed
from boostcamp.core.policy import Action, can
from boostcamp.core.db import paginate, utcnow
from boostcamp.core.errors import Conflict
from boostcamp.core.extensions import db, login_manager
from boostcamp.privacy import register, retention, services
from boostcamp.privacy.forms import AnonymiseForm, MergeForm
from boostcamp.registrations.models import (
    ConsentChannel,
    ConsentKind,
    Person,
    RegistrationSource,
    RegistrationStatus,
)

bp = Blueprint("staff_people", __name__, url_prefix="/staff/people")
PER_PAGE = 30


@bp.app_context_processor
def people_link():
    return {"may_manage_privacy": lambda: can(current_user, Action.MANAGE_PRIVACY)}


def _centre_staff() -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can(current_user, Action.MANAGE_PRIVACY):
        abort(404)  # partners do not learn that the page exists


def _person(person_id: int) -> Person:
    _centre_staff()
    return db.get_or_404(Person, person_id)


@bp.get("/")
@login_required
def list_people():
    _centre_staff()
    search = (request.args.get("q") or "").strip()[:100]
    page = paginate(services.people_query(search), page=request.args.get("page"),
                    per_page=PER_PAGE)
    return render_template("staff/people/list.html", page=page, search=search)


@bp.get("/<int:person_id>")
@login_required
def show_person(person_id: int):
    person = _person(person_id)
    return render_template(
        "staff/people/show.html", person=person, data=services.person_data(person),
        anonymise_form=AnonymiseForm(), merge_form=MergeForm(),
        # The data holds stored values; these name them.
        statuses=RegistrationStatus, consent_kinds=ConsentKind, channels=ConsentChannel,
        sources=RegistrationSource,
    )  # fmt: skip


@bp.get("/<int:person_id>/export.json")
@login_required
def export_person(person_id: int):
    data = services.person_data(_person(person_id))
    return Response(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                    mimetype="application/json",
                    headers={"Content-Disposition":
                             f"attachment; filename=person-{person_id}.json"})


def _back(person_id: int, errors=()):
    """To the person's page, with a button's form errors as messages."""
    for message in errors:
        flash(message, "error")
    return redirect(url_for(".show_person", person_id=person_id))


@bp.post("/<int:person_id>/anonymise")
@login_required
def anonymise(person_id: int):
    person = _person(person_id)
    form = AnonymiseForm()
    if not form.validate_on_submit():
        return _back(person_id, form.reason.errors)
    services.anonymise(person, reason=form.reason.data.strip(),
                       user=current_user._get_current_object())
    flash(_("The person is anonymised."), "success")
    return _back(person_id)


@bp.post("/<int:person_id>/merge")
@login_required
def merge(person_id: int):
    person = _person(person_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _back(person_id, form.other_id.errors)
    other = db.session.get(Person, form.other_id.data)
    if other is None:
        flash(_("No person has this number."), "error")
        return _back(person_id)
    with refusal_flashed(Conflict):
        services.merge(person, other, user=current_user._get_current_object())
        flash(_("The two records are merged."), "success")
    return _back(person_id)


# ---------------------------------------------------------------- the controller's records

records_bp = Blueprint("staff_privacy", __name__, url_prefix="/staff/privacy")


@records_bp.get("/")
@login_required
def records():
    _centre_staff()
    page = paginate(register.open_erasure_requests(utcnow()), page=request.args.get("page"),
                    per_page=PER_PAGE)
    return render_template("staff/privacy.html", settings=register.settings_in_force(),
                           last_purge=retention.last_purge(), page=page)  # fmt: skip


@records_bp.get("/processing-activities.csv")
@login_required
def processing_activities():
    _centre_staff()
    return Response(register.register_csv(), mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": "attachment; filename=processing-activities.csv"})
