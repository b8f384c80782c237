"""The participant's side of outcomes, no account needed: the follow-up survey reached by
the signed link in its mail, "stop asking", and the public check of an attendance
certificate's verification code."""

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from boostcamp.errors import Conflict
from boostcamp.extensions import db
from boostcamp.outcomes import certificates, surveys
from boostcamp.outcomes import jobs  # noqa: F401  (registers the worker's survey job)
from boostcamp.outcomes.records_forms import ActionForm, SurveyForm
from boostcamp.registrations.models import Registration

bp = Blueprint("surveys", __name__)

PROBLEMS = {
    "invalid": (404, _l("This survey link is not valid: check that it was copied whole.")),
    "expired": (410, _l("This survey link has expired. Thank you all the same!")),
    "answered": (410, _l("This survey has been answered already. Thank you!")),
}


def _private(response, status: int = 200):
    response = current_app.make_response((response, status))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _problem(problem: surveys.SurveyLinkProblem):
    status, message = PROBLEMS[problem.reason]
    return _private(render_template("outcomes/survey_problem.html", message=message), status)


@bp.route("/survey/<token>", methods=["GET", "POST"])
def answer(token: str):
    try:
        survey = surveys.survey_from_token(token)
    except surveys.SurveyLinkProblem as e:
        return _problem(e)
    form = SurveyForm()
    if form.validate_on_submit():
        company = form.started_company.data == "yes"
        answers = surveys.Answers(
            started_company=company,
            startup_name=form.startup_name.data if company else None,
            enterprise_number=form.enterprise_number.data or None if company else None,
            founded_on=form.founded_on.data if company else None,
            jobs=form.jobs.data if company else None,
            certification_name=form.certification_name.data or None,
            certification_issuer=form.certification_issuer.data or None,
            certification_on=form.certification_on.data,
        )
        try:
            surveys.record_answers(survey, answers)
            if form.stop_asking.data:
                surveys.stop_asking(survey.person)
        except Conflict:
            db.session.rollback()
            return _problem(surveys.SurveyLinkProblem("answered"))
        db.session.commit()
        return _private(render_template("outcomes/survey_done.html"))
    return _private(render_template("outcomes/survey.html", form=form, survey=survey,
                                    event=survey.event, person=survey.person))


@bp.route("/survey/<token>/stop", methods=["GET", "POST"])
def stop_asking(token: str):
    try:
        survey = surveys.survey_from_token(token, answerable=False)
    except surveys.SurveyLinkProblem as e:
        return _problem(e)
    form = ActionForm()
    if form.validate_on_submit():
        surveys.stop_asking(survey.person)
        db.session.commit()
        flash(_("Done: you will get no more surveys from us."), "success")
        return redirect(url_for(".stop_asking", token=token))
    return _private(render_template("outcomes/survey_stop.html", form=form, survey=survey,
                                    stopped=survey.person.followup_opt_out_at is not None))


@bp.get("/certificates/<code>")
def verify_certificate(code: str):
    """Anyone holding a certificate's code may check it: it shows what the PDF says."""
    registration_id = certificates.registration_id_from_code(code)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    attendance = certificates.attendance_of(registration) if registration else None
    valid = attendance is not None and certificates.earned(attendance)
    response = render_template("outcomes/certificate_verify.html", code=code, valid=valid,
                               attendance=attendance if valid else None)
    return _private(response, 200 if valid else 404)
