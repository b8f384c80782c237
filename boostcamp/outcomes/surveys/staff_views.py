"""Staff's review of the follow-up survey answers (MANAGE_OUTCOMES): merged into the records
or set aside, and the founder links they propose confirmed or declined on the start-up's
page. On the outcomes_records blueprint."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from boostcamp.core.policy import Action, require
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.outcomes.blueprints import staff as bp
from boostcamp.outcomes.records.forms import ActionForm
from boostcamp.outcomes.records.views import page_of, startup_or_404
from boostcamp.outcomes.surveys import services as surveys
from boostcamp.outcomes.surveys.models import FollowupSurvey, SurveyReview


@bp.get("/surveys")
@login_required
def list_survey_answers():
    require(Action.MANAGE_OUTCOMES)
    page = page_of(surveys.pending_query())
    return render_template(
        "outcomes/survey_answers.html", page=page, form=ActionForm(),
        matches=surveys.matching_startups(page.items),
        answers={s.id: surveys.Answers.from_json(s.answers or {}) for s in page.items},
        max_jobs=current_app.config["SURVEY_MAX_JOBS"],
    )  # fmt: skip


def _survey_or_404(survey_id: int) -> FollowupSurvey:
    survey = db.session.get(FollowupSurvey, survey_id)
    if survey is None or survey.answered_at is None:
        abort(404)
    return survey


@bp.post("/surveys/<int:survey_id>/<any(accept, reject):decision>")
@login_required
def review_survey_answer(survey_id: int, decision: str):
    require(Action.MANAGE_OUTCOMES)
    survey = _survey_or_404(survey_id)
    if ActionForm().validate_on_submit():
        name = survey.person.full_name
        try:
            if decision == "accept":
                surveys.accept(survey, current_user,
                               jobs_confirmed=request.form.get("jobs_confirmed") == "y")  # fmt: skip
            else:
                surveys.reject(survey, current_user)
        except ValidationFailed as e:
            flash(_("The answer of %(name)s cannot be merged: %(errors)s", name=name,
                    errors=" ".join(e.errors.values())), "error")  # fmt: skip
        except Conflict as e:
            flash(e.message, "error")
        else:
            flash(_reviewed_message(survey, decision, name), "success")
    return redirect(url_for(".list_survey_answers"))


def _reviewed_message(survey: FollowupSurvey, decision: str, name: str) -> str:
    if survey.review == SurveyReview.LINK_PROPOSED:
        return _("The answer of %(name)s is merged; it names a start-up recorded "
                 "without them: confirm the link on the start-up's page.", name=name)
    if decision == "accept":
        return _("The answer of %(name)s is merged into the records.", name=name)
    return _("The answer of %(name)s is set aside.", name=name)


@bp.post("/startups/<int:startup_id>/links/<int:survey_id>/<any(confirm, decline):decision>")
@login_required
def decide_link(startup_id: int, survey_id: int, decision: str):
    """Staff confirm (or not) that a survey's person is a founder of this start-up."""
    require(Action.MANAGE_OUTCOMES)
    startup = startup_or_404(startup_id)
    survey = _survey_or_404(survey_id)
    if ActionForm().validate_on_submit():
        try:
            surveys.confirm_link(survey, startup, current_user, accepted=decision == "confirm")
        except (Conflict, ValidationFailed) as e:
            flash(str(e.message), "error")
        else:
            flash(_("%(name)s is a founder of %(startup)s.", name=survey.person.full_name,
                    startup=startup.name) if decision == "confirm"
                  else _("The proposed link is set aside."), "success")  # fmt: skip
    return redirect(url_for(".show_startup", startup_id=startup_id))
