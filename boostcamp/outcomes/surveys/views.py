"""The participant's side of the follow-up surveys, no account needed: the survey reached by
the signed link in its mail, and "stop asking". Its blueprint (surveys) also carries the
public check of a certificate's code (certificates.views)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from boostcamp.core.errors import Conflict
from boostcamp.core.web import private
from boostcamp.outcomes import jobs  # noqa: F401  (registers the worker's survey job)
from boostcamp.outcomes.blueprints import public as bp
from boostcamp.outcomes.records.forms import ActionForm
from boostcamp.outcomes.surveys import services as surveys
from boostcamp.outcomes.surveys.forms import SurveyForm

PROBLEMS = {
    "invalid": (404, _l("This survey link is not valid: check that it was copied whole.")),
    "expired": (410, _l("This survey link has expired. Thank you all the same!")),
    "answered": (410, _l("This survey has been answered already. Thank you!")),
}


def _problem(problem: surveys.SurveyLinkProblem):
    status, message = PROBLEMS[problem.reason]
    return private(render_template("outcomes/survey_problem.html", message=message), status)


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
            return _problem(surveys.SurveyLinkProblem("answered"))
        return private(render_template("outcomes/survey_done.html"))
    return private(render_template("outcomes/survey.html", form=form, survey=survey,
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
        flash(_("Done: you will get no more surveys from us."), "success")
        return redirect(url_for(".stop_asking", token=token))
    return private(render_template("outcomes/survey_stop.html", form=form, survey=survey,
                                    stopped=survey.person.followup_opt_out_at is not None))
