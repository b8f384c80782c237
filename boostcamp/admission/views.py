"""The pages of admission by application.

Staff side (/staff/events/<slug>/applications): the list to filter and sort, an
application's page with its answers, the person's history and the reviewers' scores, the
decisions one by one or in bulk, the review settings, an export. Reviewing needs
REVIEW_APPLICATIONS (centre staff, the managers of the event's partners, their jury
members); deciding and the settings DECIDE_APPLICATIONS. An event the user may neither see
nor review answers 404; one they see but may not do this to, 403.

Applicant side (/r/<token>/application): change one's answers until applications close.
"""


import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from boostcamp.admission import exports as application_exports
from boostcamp.admission import applicant, applications, decisions
from boostcamp.admission.forms import (
    AcceptTopForm,
    ActionForm,
    BulkDecisionForm,
    DecisionForm,
    FilterForm,
    SettingsForm,
    answers_form,
    review_form,
    review_values,
)
from boostcamp.admission.review_settings import ensure_criteria, save_settings, settings_for
from boostcamp.admission.reviews import reviews_of, save_review
from boostcamp.audit.services import web_actor
from boostcamp.core.policy import Action, can, events_filter, hides_identities, require
from boostcamp.core.forms import apply_errors
from boostcamp.core.web import private
from boostcamp.core import exports
from boostcamp.core.db import paginate
from boostcamp.core.errors import DomainError, NotFound, ValidationFailed
from boostcamp.events import queries
from boostcamp.events.models import Admission, Event
from boostcamp.core.extensions import db
from boostcamp.registrations.questions import event_questions
from boostcamp.registrations.forms import answer_value
from boostcamp.registrations.models import Registration
from boostcamp.registrations.tokens import registration_id_from

bp = Blueprint("admission", __name__, url_prefix="/staff")
public_bp = Blueprint("applications", __name__)
PER_PAGE = 50


def _event_or_404(slug: str, action: Action) -> Event:
    try:
        event = queries.get_by_slug(slug, related=False)
    except NotFound:
        abort(404)
    if not (can(current_user, Action.REVIEW_APPLICATIONS, event)
            or can(current_user, Action.VIEW_EVENT, event)):  # fmt: skip
        abort(404)  # as if it did not exist
    require(action, event)
    return event


def _application_or_404(event: Event, registration_id: int) -> Registration:
    try:
        return applications.application(event, registration_id)
    except NotFound:
        abort(404)


def _blind(event: Event) -> bool:
    return hides_identities(current_user, event, settings_for(event).blind_review)


def _errors(form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _back(slug: str):
    return redirect(url_for(".list_applications", slug=slug, **request.args))


# ---------------------------------------------------------------- reviewing


@bp.get("/applications")
@login_required
def my_events():
    """The application events the user reviews, soonest first."""
    require(Action.ACCESS_STAFF_AREA)
    page = paginate(
        sa.select(Event)
        .where(Event.admission == Admission.APPLICATION,
               events_filter(current_user, Action.REVIEW_APPLICATIONS))
        .order_by(Event.starts_at.desc(), Event.id),
        page=request.args.get("page"), per_page=PER_PAGE,
    )  # fmt: skip
    return render_template("admission/events.html", page=page)


@bp.get("/events/<slug>/applications")
@login_required
def list_applications(slug: str):
    event = _event_or_404(slug, Action.REVIEW_APPLICATIONS)
    blind = _blind(event)
    form = FilterForm(request.args)
    form.status.choices = [("", _("All"))] + [
        (s.value, s.label) for s in applications.APPLICATION_STATUSES
    ]
    form.validate()
    page = paginate(applications.applications_query(event, form.filters(blind)),
                    page=request.args.get("page"), per_page=PER_PAGE)  # fmt: skip
    return render_template(
        "admission/list.html",
        event=event,
        page=page,
        form=form,
        blind=blind,
        may_decide=can(current_user, Action.DECIDE_APPLICATIONS, event),
        scores=applications.scores([r.id for r in page.items], current_user.id),
        counts=applications.counts(event),
        free=applications.free_seats(event),
        held=decisions.held_decisions(event),
        bulk=BulkDecisionForm(formdata=None),
        top=AcceptTopForm(formdata=None),
        action=ActionForm(),
    )


@bp.route("/events/<slug>/applications/<int:registration_id>", methods=["GET", "POST"])
@login_required
def show_application(slug: str, registration_id: int):
    """The application, the person's history and the scores; the reviewer's own scores
    and note are sent here."""
    event = _event_or_404(slug, Action.REVIEW_APPLICATIONS)
    registration = _application_or_404(event, registration_id)
    criteria = ensure_criteria(event)
    summary = applications.scores([registration.id], current_user.id)[registration.id]
    form = review_form(criteria, None if request.method == "POST" else summary.mine)
    if form.validate_on_submit():
        try:
            save_review(registration, current_user, values=review_values(form),
                                 note=form.note.data)  # fmt: skip
        except ValidationFailed as e:
            apply_errors(form, e)
        else:
            flash(_("Your scores are saved."), "success")
            return redirect(url_for(".show_application", slug=slug,
                                    registration_id=registration_id))  # fmt: skip
    return _application_page(event, registration, form, summary, criteria)


def _application_page(event, registration, form, summary, criteria):
    """The application's page: its answers, the reviews and the person's history (what the
    user may see of it)."""
    reviews = reviews_of(registration)
    return render_template(
        "admission/show.html",
        event=event,
        registration=registration,
        blind=_blind(event),
        form=form,
        summary=summary,
        reviews=reviews,
        review_scores={r.id: {s.criterion_id: s.value for s in r.scores} for r in reviews},
        criteria=criteria,
        questions=event_questions(event),
        answers=application_exports.answers_by_question(registration),
        history=applications.history(registration, events_filter(current_user, Action.VIEW_EVENT)
                                 | events_filter(current_user, Action.REVIEW_APPLICATIONS)),
        may_decide=can(current_user, Action.DECIDE_APPLICATIONS, event),
        decision=DecisionForm(formdata=None),
    )


def _export(slug: str) -> tuple[Event, list, list]:
    """The list as it is filtered, with the scores (admission.exports)."""
    event = _event_or_404(slug, Action.REVIEW_APPLICATIONS)
    blind = _blind(event)
    form = FilterForm(request.args)
    form.status.choices = [(s.value, s.value) for s in applications.APPLICATION_STATUSES]
    form.validate()
    rows = db.session.scalars(applications.applications_query(event, form.filters(blind))).all()
    return event, *application_exports.table(event, rows, blind=blind)


@bp.get("/events/<slug>/applications.csv", endpoint="export_csv", defaults={"fmt": "csv"})
@bp.get("/events/<slug>/applications.xlsx", endpoint="export_xlsx", defaults={"fmt": "xlsx"})
@login_required
def export(slug: str, fmt: str):
    """The applications as CSV or XLSX: the same rows."""
    event, header, rows = _export(slug)
    return exports.table(fmt, header, rows, name=f"{event.slug}-applications",
                         title=_("Applications"))  # fmt: skip


# ---------------------------------------------------------------- deciding


@bp.post("/events/<slug>/applications/<int:registration_id>/decision")
@login_required
def decide_application(slug: str, registration_id: int):
    event = _event_or_404(slug, Action.DECIDE_APPLICATIONS)
    registration = _application_or_404(event, registration_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_errors(form), "danger")
        return redirect(url_for(".show_application", slug=slug, registration_id=registration_id))
    name = registration.full_name
    try:
        decisions.decide(registration, form.decision.data, message=form.message.data,
                        over_capacity=form.over_capacity.data, user=current_user)  # fmt: skip
    except (DomainError, NotFound) as e:
        flash(" ".join(e.errors.values()), "danger")
        return redirect(url_for(".show_application", slug=slug, registration_id=registration_id))
    flash(_("Decision saved for %(name)s.", name=name), "success")
    return redirect(url_for(".show_application", slug=slug, registration_id=registration_id))


def _decide_several(slug: str, form, decide, done):
    """Several applications decided at once: the form's errors or the service's refusal as a
    message, else `done(how many)`; back to the list either way."""
    if not form.validate_on_submit():
        flash(_errors(form), "danger")
        return _back(slug)
    try:
        decided = decide()
    except DomainError as e:
        flash(" ".join(e.errors.values()), "danger")
        return _back(slug)
    flash(done(len(decided)), "success")
    return _back(slug)


@bp.post("/events/<slug>/applications/decide")
@login_required
def decide_applications(slug: str):
    """The rows ticked on the list, all with the same decision."""
    event = _event_or_404(slug, Action.DECIDE_APPLICATIONS)
    form = BulkDecisionForm()
    return _decide_several(slug, form, lambda: decisions.decide_many(
        event, form.chosen(), form.decision.data, message=form.message.data,
        over_capacity=form.over_capacity.data, user=current_user,
    ), lambda n: ngettext("%(num)d application decided.", "%(num)d applications decided.", n))


@bp.post("/events/<slug>/applications/accept-top")
@login_required
def accept_top(slug: str):
    event = _event_or_404(slug, Action.DECIDE_APPLICATIONS)
    form = AcceptTopForm()
    return _decide_several(slug, form, lambda: decisions.accept_top(
        event, form.n.data, over_capacity=form.over_capacity.data, user=current_user,
    ), lambda n: ngettext("%(num)d person accepted.", "%(num)d people accepted.", n))


@bp.post("/events/<slug>/applications/send-decisions")
@login_required
def send_decisions(slug: str):
    event = _event_or_404(slug, Action.DECIDE_APPLICATIONS)
    if ActionForm().validate_on_submit():
        sent = decisions.send_held_decisions(event, actor=web_actor())
        flash(ngettext("%(num)d decision mailed.", "%(num)d decisions mailed.", sent), "success")
    return _back(slug)


@bp.route("/events/<slug>/applications/settings", methods=["GET", "POST"])
@login_required
def review_settings(slug: str):
    event = _event_or_404(slug, Action.DECIDE_APPLICATIONS)
    settings = settings_for(event)
    form = SettingsForm()
    if form.validate_on_submit():
        try:
            save_settings(event, labels=form.labels(), blind_review=form.blind_review.data,
                          hold_decisions=form.hold_decisions.data, actor=web_actor())
        except ValidationFailed as e:
            apply_errors(form, e)
        else:
            flash(_("The review settings are saved."), "success")
            return redirect(url_for(".list_applications", slug=slug))
    elif request.method == "GET":
        form.criteria.data = "\n".join(c.label for c in ensure_criteria(event))
        form.blind_review.data, form.hold_decisions.data = (settings.blind_review,
                                                           settings.hold_decisions)  # fmt: skip
    return render_template("admission/settings.html", event=event, form=form)


# ---------------------------------------------------------------- the applicant


@public_bp.route("/r/<token>/application", methods=["GET", "POST"])
def edit_application(token: str):
    """The applicant's answers, to change until applications close."""
    registration_id = registration_id_from(token)
    registration = db.session.get(Registration, registration_id) if registration_id else None
    if registration is None or registration.event.admission != Admission.APPLICATION:
        abort(404)
    questions = event_questions(registration.event)
    form = answers_form(questions, None if request.method == "POST" else registration)
    editable = applicant.may_edit(registration)
    if editable and form.validate_on_submit():
        try:
            applicant.update_answers(
                registration, {q.id: answer_value(q, f.data) for q, f in form.questions},
                city=form.city.data)
        except ValidationFailed as e:
            apply_errors(form, e)
        except DomainError as e:
            flash(e.message, "danger")
            editable = False
        else:
            flash(_("Your answers are saved."), "success")
            return redirect(url_for("registrations.manage", token=token))
    return private(render_template(
        "admission/answers.html", registration=registration, event=registration.event,
        form=form, token=token, editable=editable, questions=questions,
        answers=application_exports.answers_by_question(registration),
    ))  # fmt: skip

