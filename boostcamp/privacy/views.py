"""The person's "My data" page, reached from their self-service link (/r/<token>/data),
and the erasure link mailed to them. No account: the signed link is the key."""

import json
from datetime import datetime

from flask import Blueprint, Response, current_app, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from boostcamp.core.errors import ValidationFailed
from boostcamp.privacy import jobs  # noqa: F401  (registers the worker's retention job)
from boostcamp.privacy import services
from boostcamp.privacy.forms import DetailsForm
from boostcamp.privacy.services import ErasureLinkInvalid
from boostcamp.registrations.models import ConsentChannel, ConsentKind, Person, RegistrationStatus
from boostcamp.core.forms import ButtonForm, refusal_onto
from boostcamp.core.web import private
from boostcamp.registrations.tokens import registration_from

bp = Blueprint("privacy", __name__)


@bp.app_template_filter("iso_datetime")
def iso_datetime(value: str | None) -> datetime | None:
    """The ISO dates of privacy.services.person_data, back to datetimes for the locale."""
    return datetime.fromisoformat(value) if value else None


def _person_or_404(token: str) -> Person:
    person = (registration_from(token) or abort(404)).person
    if person.anonymised_at is not None:
        abort(404)  # nothing left to show
    return person


def _details_form(person: Person) -> DetailsForm:
    latest = services.registrations_of(person)[-1:]
    return DetailsForm(data={
        "first_name": person.first_name, "last_name": person.last_name,
        "phone": person.phone,
        "organisation": latest[0].organisation_name if latest else None,
        "profile": latest[0].profile.value if latest else "other",
    })  # fmt: skip


def _page(token: str, person: Person, form: DetailsForm):
    return private(render_template(
        "privacy/data.html", token=token, person=person, form=form, confirm=ButtonForm(),
        data=services.person_data(person),
        # The data holds stored values; these name them.
        statuses=RegistrationStatus, consent_kinds=ConsentKind, channels=ConsentChannel,
    ))  # fmt: skip


@bp.get("/privacy")
def notice():
    config = current_app.config
    return render_template(
        "privacy/notice.html", controller=config["PRIVACY_CONTROLLER"],
        contact=config["PRIVACY_CONTACT"], dpo=config["PRIVACY_DPO"],
        version=config["PRIVACY_NOTICE_VERSION"], person_years=config["RETENTION_PERSON_YEARS"],
        mail_days=config["RETENTION_MAIL_DAYS"],
    )  # fmt: skip


@bp.get("/r/<token>/data")
def my_data(token: str):
    person = _person_or_404(token)
    return _page(token, person, _details_form(person))


@bp.post("/r/<token>/data")
def correct(token: str):
    person = _person_or_404(token)
    form = DetailsForm()
    if form.validate_on_submit():
        # Refused, nothing is half-saved: the page shows the details as they were.
        with refusal_onto(form, ValidationFailed):
            services.correct_details(
                person, first_name=form.first_name.data, last_name=form.last_name.data,
                phone=form.phone.data, organisation=form.organisation.data,
                profile=form.profile.data or "",
            )
            flash(_("Your details are saved."), "success")
            return redirect(url_for(".my_data", token=token))
    return _page(token, person, form), 400


@bp.get("/r/<token>/data.json")
def download_json(token: str):
    data = services.person_data(_person_or_404(token))
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return private(Response(body, mimetype="application/json", headers={
        "Content-Disposition": "attachment; filename=my-data.json"}))


@bp.get("/r/<token>/data.csv")
def download_csv(token: str):
    body = services.person_csv(services.person_data(_person_or_404(token)))
    return private(Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": "attachment; filename=my-data.csv"}))


@bp.post("/r/<token>/data/follow-up")
def withdraw_followup(token: str):
    services.withdraw_followup(_person_or_404(token))  # CSRFProtect checked the form
    flash(_("You will not be contacted about follow-up any more."), "success")
    return redirect(url_for(".my_data", token=token))


@bp.post("/r/<token>/data/reminders")
def stop_reminders(token: str):
    services.stop_reminders(_person_or_404(token))
    flash(_("You will not receive reminders before events any more."), "success")
    return redirect(url_for(".my_data", token=token))


@bp.post("/r/<token>/data/erase")
def request_erasure(token: str):
    services.request_erasure(_person_or_404(token))
    flash(_("We have sent you an e-mail: follow its link to confirm the erasure."), "success")
    return redirect(url_for(".my_data", token=token))


@bp.route("/privacy/erase/<token>", methods=["GET", "POST"])
def erase(token: str):
    """The mailed link: a page with a button (mail scanners follow links, never forms)."""
    form = ButtonForm()
    try:
        request = services.erasure_request_for(token)
    except ErasureLinkInvalid as e:
        return private(render_template("privacy/erase_invalid.html", message=e.message)), 410
    if form.validate_on_submit():
        services.erase_with_link(token)
        return private(render_template("privacy/erased.html"))
    return private(render_template("privacy/erase.html", form=form,
                                    expires_at=request.expires_at))
