"""The impact dashboard: what the events led to, for the centre's funders.

Centre staff see everything; a partner's manager sees the same dashboard over the outcomes
credited to its own events (Action.VIEW_IMPACT, events_filter). Every number links to the
list behind it. The rule's settings and the targets are the centre's (MANAGE_ALL).
"""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from boostcamp.core.zones import centre_today
from boostcamp.audit.services import web_actor
from boostcamp.core.policy import Action, can, impact_scope, require
from boostcamp.core import inputs
from boostcamp.core.forms import FlaskForm, apply_errors
from boostcamp.core.db import paginate
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.i18n import local_date, local_number
from boostcamp.events.models import Audience, EventKind
from boostcamp.core.extensions import db
from boostcamp.organisations.services import the_centre
from boostcamp.outcomes.impact import attribution, lists, report
from boostcamp.outcomes.impact import figures as impact
from boostcamp.outcomes.impact import targets as impact_targets
from boostcamp.outcomes.impact.forms import RuleForm, TargetForm
from boostcamp.outcomes.impact.lists import PeopleList
from boostcamp.outcomes.impact.models import ImpactTarget
from boostcamp.outcomes.impact.scope import Dimension, Scope
from boostcamp.core import exports

bp = Blueprint("staff_impact", __name__, url_prefix="/staff/impact")
PER_PAGE = 50


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


@bp.app_context_processor
def impact_link():
    return {
        "may_view_impact": lambda: can(current_user, Action.VIEW_IMPACT),
        "may_change_rule": lambda: can(current_user, Action.MANAGE_ALL),  # and the targets
    }


@bp.app_template_filter("number")
def number_filter(value) -> str:
    return local_number(value)


@bp.app_template_filter("day")
def day_filter(value: date | None, format: str = "medium") -> str:
    return local_date(value, format) if value else ""


def parse_period(args) -> tuple[date, date, dict[str, str]]:
    """The period asked for (?from=&to=, ISO dates), else since the centre opened."""
    today = centre_today()
    errors: dict[str, str] = {}
    values = {}
    for name, default in (("from", report.CENTRE_OPENED), ("to", today)):
        raw = (args.get(name) or "").strip()
        try:
            # a day before 2000 or after 2100 is the window's edge (a filter, not a value)
            values[name] = inputs.clamp_day(date.fromisoformat(raw)) if raw else default
        except ValueError:
            errors[name] = _("Give a date as YYYY-MM-DD.")
            values[name] = default
    if not errors and values["to"] < values["from"]:
        errors["to"] = _("The period ends before it starts.")
    if errors:
        return report.CENTRE_OPENED, today, errors
    return values["from"], values["to"], {}


def _scope() -> tuple[Scope, dict[str, str]]:
    require(Action.VIEW_IMPACT)
    start, end, errors = parse_period(request.args)
    return impact_scope(current_user, start, end), errors


def _valid_scope() -> Scope:
    """For the pages behind the dashboard: a bad period goes back to it, with the errors."""
    scope, errors = _scope()
    if errors:
        abort(redirect(url_for(".dashboard", **request.args)))
    return scope


def _period_args(scope: Scope) -> dict[str, str]:
    return {"from": scope.start.isoformat(), "to": scope.end.isoformat()}


@bp.get("")
@login_required
def dashboard():
    scope, errors = _scope()
    return render_template(
        "staff/impact/dashboard.html", report=report.build(scope), errors=errors,
        presets=report.presets(centre_today()), period=_period_args(scope),
        rule_form=RuleForm(formdata=None, obj=scope.rule),
    ), (422 if errors else 200)  # fmt: skip


@bp.get("/print")
@login_required
def print_report():
    scope = _valid_scope()
    built = report.build(scope)
    # A funder reads the targets of the period reported on, not those of another one.
    built.targets = [p for p in built.targets
                     if p.target.period_from <= scope.end and p.target.period_to >= scope.start]
    return render_template(
        "staff/impact/print.html", report=built, period=_period_args(scope),
        centre=the_centre(), made_on=centre_today(),  # its name and logo on the cover
    )  # fmt: skip


def _export(kind: str):
    scope = _valid_scope()
    header, rows = report.rows(report.build(scope))
    name = f"impact-{scope.start.isoformat()}-{scope.end.isoformat()}"
    if kind == "csv":
        rows = [[str(v).replace(".", ",") if isinstance(v, float) else v for v in row]
                for row in rows]  # fmt: skip  # Belgian Excel: the comma is the decimal mark
    return exports.table(kind, header, rows, name=name, title=_("Impact"))


@bp.get("/report.csv")
@login_required
def export_csv():
    return _export("csv")


@bp.get("/report.xlsx")
@login_required
def export_xlsx():
    return _export("xlsx")


# ---------------------------------------------------------------- the lists behind the numbers


def _dimension() -> tuple[Dimension | None, str | None, str | None]:
    """(dimension, value, its label) of a breakdown line, from ?by=&value=."""
    try:
        dimension = Dimension(request.args.get("by", ""))
    except ValueError:
        return None, None, None
    value = request.args.get("value", "")
    if dimension == Dimension.PARTNER:
        label = impact.partner_names([value]).get(value, value)
    else:
        enum = {Dimension.KIND: EventKind, Dimension.AUDIENCE: Audience}.get(dimension)
        label = enum.label_of(value) if enum else value
    return dimension, value, f"{dimension.label}: {label}"


def _page(query):
    return paginate(query, page=request.args.get("page"), per_page=PER_PAGE)  # fmt: skip


def _list_context() -> tuple[Scope, dict]:
    """A list's period (a bad one goes back to the dashboard) and what every list shows."""
    scope = _valid_scope()
    dimension, value, filter_label = _dimension()
    return scope, dict(dimension=dimension, value=value, filter_label=filter_label,
                period=_period_args(scope), scope=scope)  # fmt: skip


@bp.get("/startups")
@login_required
def list_startups():
    scope, context = _list_context()
    credited = request.args.get("credited") != "0"
    page = _page(lists.startups_query(scope, context["dimension"], context["value"], credited))
    ids = [s.id for s in page.items]
    return render_template(
        "staff/impact/startups.html", page=page, credited=credited or not scope.everything,
        events=lists.credited_events(scope, startup_ids=ids),
        jobs=lists.jobs_of(ids, scope.end),
        named=lists.people_seen(scope, [m.person_id for s in page.items for m in s.founders]),
        **context,
    )  # fmt: skip


@bp.get("/certifications")
@login_required
def list_certifications():
    scope, context = _list_context()
    credited = request.args.get("credited") != "0"
    page = _page(
        lists.certifications_query(scope, context["dimension"], context["value"], credited)
    )
    return render_template(
        "staff/impact/certifications.html", page=page, credited=credited or not scope.everything,
        events=lists.credited_events(scope, certification_ids=[c.id for c in page.items]),
        **context,
    )  # fmt: skip


@bp.get("/people")
@login_required
def list_people():
    scope, context = _list_context()
    try:
        which = PeopleList(request.args.get("which", PeopleList.PARTICIPANTS))
    except ValueError:
        abort(404)
    page = _page(lists.people_query(scope, which, context["dimension"], context["value"]))
    return render_template("staff/impact/people.html", page=page, title=which.label, **context)


# ---------------------------------------------------------------- the rule and the targets


@bp.post("/rule")
@login_required
def save_rule():
    require(Action.MANAGE_ALL)
    form = RuleForm()
    if form.validate_on_submit():
        try:
            attribution.set_rule(
                min_attendance_percent=form.min_attendance_percent.data,
                startup_months=form.startup_months.data,
                certification_months=form.certification_months.data,
                actor=web_actor(),
            )
        except ValidationFailed as e:
            apply_errors(form, e)
        else:
            flash(_("The attribution rule is saved."), "success")
            return redirect(url_for(".dashboard", **request.args))
    start, end, _errors = parse_period(request.args)
    scope = impact_scope(current_user, start, end)
    return render_template(
        "staff/impact/dashboard.html", report=report.build(scope), errors={},
        presets=report.presets(centre_today()), period=_period_args(scope),
        rule_form=form,
    ), 422  # fmt: skip


def _target_or_404(target_id: int) -> ImpactTarget:
    target = db.session.get(ImpactTarget, target_id)
    if target is None:
        abort(404)
    return target


def _targets_page(form: TargetForm, status: int = 200):
    targets = db.session.scalars(
        db.select(ImpactTarget).order_by(ImpactTarget.period_from, ImpactTarget.label)
    ).all()
    page = render_template("staff/impact/targets.html", targets=targets, form=form,
                           delete_form=ActionForm())  # fmt: skip
    return page, status


def _save_target(form: TargetForm, target: ImpactTarget | None) -> bool:
    fields = dict(label=form.label.data, metric=form.metric.data, value=form.value.data,
                  period_from=form.period_from.data, period_to=form.period_to.data)  # fmt: skip
    try:
        if target is None:
            impact_targets.create_target(**fields)
        else:
            impact_targets.update_target(target, **fields)
    except ValidationFailed as e:
        apply_errors(form, e)
        return False
    return True


@bp.route("/targets", methods=["GET", "POST"])
@login_required
def list_targets():
    require(Action.MANAGE_ALL)
    form = TargetForm()
    if request.method == "POST":
        if form.validate_on_submit() and _save_target(form, None):
            flash(_("Target added."), "success")
            return redirect(url_for(".list_targets"))
        return _targets_page(form, 422)
    return _targets_page(form)


@bp.route("/targets/<int:target_id>/edit", methods=["GET", "POST"])
@login_required
def edit_target(target_id: int):
    target = _target_or_404(target_id)
    require(Action.MANAGE_ALL)
    form = TargetForm(obj=target)
    if request.method == "POST":
        if form.validate_on_submit() and _save_target(form, target):
            flash(_("Target saved."), "success")
            return redirect(url_for(".list_targets"))
        return render_template("staff/impact/target_form.html", form=form, target=target), 422
    return render_template("staff/impact/target_form.html", form=form, target=target)


@bp.post("/targets/<int:target_id>/delete")
@login_required
def delete_target(target_id: int):
    target = _target_or_404(target_id)
    require(Action.MANAGE_ALL)
    if ActionForm().validate_on_submit():
        impact_targets.delete_target(target)
        flash(_("Target deleted."), "success")
    return redirect(url_for(".list_targets"))
