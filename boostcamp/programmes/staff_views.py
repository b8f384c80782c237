"""The staff area's programmes: the list, a programme with its participants × events grid,
its form (details, events, co-organisers), publishing; and "create editions" of an event.

Centre staff see and change every programme and create them; a partner's manager sees and
edits the programmes its organisation co-organises, choosing among the events it may edit.
A programme the user may not even see answers 404, as events do.
"""

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectChoice

from boostcamp.audit.services import web_actor
from boostcamp.core.db import paginate, utcnow
from boostcamp.core.errors import DomainError, ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.core.forms import ButtonForm, apply_errors, refusal_flashed, refusal_onto
from boostcamp.core.policy import (
    Action,
    can,
    events_filter,
    programme_or_404,
    programmes_filter,
    require,
)
from boostcamp.core.web import missing_is_404, owned_or_404
from boostcamp.events import queries
from boostcamp.events.models import Event, EventStatus
from boostcamp.organisations.models import Organisation, OrganisationKind
from boostcamp.organisations.services import the_centre
from boostcamp.programmes import catalogue, editing, editions, enrolment, exam, progress, series
from boostcamp.programmes.forms import EditionsForm, ProgrammeForm
from boostcamp.programmes.models import Programme, ProgrammeRegistration

bp = Blueprint("staff_programmes", __name__, url_prefix="/staff")
PER_PAGE = 20
EVENT_CHOICES_MAX = 200  # the events offered on the form: those to come, the soonest first


@bp.get("/programmes")
@login_required
def list_programmes():
    require(Action.ACCESS_STAFF_AREA)
    page = paginate(catalogue.programmes_query(programmes_filter(current_user)),
                    page=request.args.get("page"), per_page=PER_PAGE)  # fmt: skip
    return render_template("staff/programmes/list.html", page=page,
                           may_create=can(current_user, Action.CREATE_PROGRAMME))  # fmt: skip


@bp.get("/programmes/<slug>")
@login_required
def show_programme(slug: str):
    programme = programme_or_404(slug, Action.VIEW_PROGRAMME)
    page = paginate(progress.participants_query(programme), page=request.args.get("page"),
                    per_page=progress.GRID_PER_PAGE)  # fmt: skip
    cells = progress.progress(programme, [entry.person_id for entry in page.items])
    return render_template(
        "staff/programmes/show.html", programme=programme, events=programme.events, page=page,
        cells=cells, cell=progress.cell, completed=progress.completed,
        counts=progress.status_counts(programme), seats_left=catalogue.seats_left(programme),
        may_edit=can(current_user, Action.EDIT_PROGRAMME, programme),
        may_publish=can(current_user, Action.PUBLISH_PROGRAMME, programme), form=ButtonForm(),
        may_duplicate=can(current_user, Action.CREATE_PROGRAMME),
    )  # fmt: skip


def _event_choices(keep=()) -> list[Event]:
    """Events the user may put in a programme: those they may edit, not over or cancelled."""
    query = (
        sa.select(Event)
        .where(events_filter(current_user, Action.EDIT_EVENT), Event.ends_at >= utcnow(),
               Event.status != EventStatus.CANCELLED)
        .options(*queries.LIST_LOAD)
        .order_by(Event.starts_at, Event.id)
        .limit(EVENT_CHOICES_MAX)
    )  # fmt: skip
    events = list(db.session.scalars(query))
    return events + [e for e in keep if e not in events]


def _org_choices(keep=()) -> list[Organisation]:
    orgs = list(db.session.scalars(
        sa.select(Organisation).where(Organisation.kind == OrganisationKind.PLATFORM)
        .order_by(Organisation.name)))  # fmt: skip
    return orgs + [o for o in keep if o not in orgs]


def _prepare(form: ProgrammeForm, events: list[Event], orgs: list[Organisation] | None) -> None:
    form.events.choices = [SelectChoice(e.id, f"{e.title} ({e.starts_at:%Y-%m-%d})")
                           for e in events]  # fmt: skip
    form.kept_events.choices = form.events.choices
    if orgs is None:
        del form.co_organisers
    else:
        form.co_organisers.choices = [SelectChoice(o.id, o.name) for o in orgs]


def _chosen_events(form: ProgrammeForm, events: list[Event]) -> list[Event]:
    """The events ticked; one the user may not choose is a field error, not a silent drop."""
    by_id = {e.id: e for e in events}
    unknown = [i for i in form.events.data or () if i not in by_id]
    if unknown:
        raise ValidationFailed({"events": _l("You may only choose events you manage.")})
    return [by_id[i] for i in form.events.data or ()]


def _kept_events(form: ProgrammeForm, events: list[Event]) -> list[Event]:
    by_id = {e.id: e for e in events}
    return [by_id[i] for i in form.kept_events.data or () if i in by_id]


@bp.route("/programmes/new", methods=["GET", "POST"])
@login_required
def new_programme():
    require(Action.CREATE_PROGRAMME)
    events, orgs = _event_choices(), _org_choices()
    form = ProgrammeForm()
    _prepare(form, events, orgs)
    if form.validate_on_submit():
        with refusal_onto(form):
            centre = the_centre()
            if centre is None:
                raise DomainError(_l("There is no centre yet: create it under Organisations."))
            by_id = {o.id: o for o in orgs}
            programme = editing.create_programme(
                host=centre, co_organisers=[by_id[i] for i in form.co_organisers.data],
                events=_chosen_events(form, events), kept_events=_kept_events(form, events),
                user=current_user._get_current_object(),
                **form.fields(),
            )  # fmt: skip
            flash(_("The programme is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for(".show_programme", slug=programme.slug))
    return render_template("staff/programmes/form.html", form=form, programme=None)


def _events_allowed(form: ProgrammeForm, events: list[Event], programme: Programme,
                    chooses_organisers: bool) -> list[Event]:  # fmt: skip
    """The events chosen: a partner keeps the programme's events but adds only its own."""
    chosen = _chosen_events(form, events)
    kept = {e.id for e in programme.events}
    if not chooses_organisers and any(
        e.id not in kept and not can(current_user, Action.EDIT_EVENT, e) for e in chosen
    ):
        raise ValidationFailed({"events": _l("You may only choose events you manage.")})
    return chosen


def _chosen_orgs(form: ProgrammeForm, orgs: list[Organisation] | None) -> list[Organisation] | None:
    if orgs is None:
        return None  # not the user's to change
    by_id = {o.id: o for o in orgs}
    return [by_id[i] for i in form.co_organisers.data]


@bp.route("/programmes/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_programme(slug: str):
    programme = programme_or_404(slug, Action.EDIT_PROGRAMME)
    chooses_organisers = can(current_user, Action.CHOOSE_ORGANISERS)
    if not chooses_organisers and "co_organisers" in request.form:
        abort(403)  # the centre alone chooses who organises
    events = _event_choices(keep=programme.events)
    orgs = _org_choices(keep=programme.co_organisers) if chooses_organisers else None
    form = ProgrammeForm() if request.method == "POST" else ProgrammeForm.for_programme(programme)
    _prepare(form, events, orgs)
    if form.validate_on_submit():
        try:
            editing.update_programme(
                programme, events=_events_allowed(form, events, programme, chooses_organisers),
                kept_events=_kept_events(form, events), co_organisers=_chosen_orgs(form, orgs),
                user=current_user._get_current_object(), **form.fields(),
            )  # fmt: skip
        except DomainError as e:
            apply_errors(form, e)
            status = 409 if e.code == "conflict" else 200
            return render_template("staff/programmes/form.html", form=form,
                                   programme=programme), status  # fmt: skip
        else:
            flash(_("The programme is saved."), "success")
            return redirect(url_for(".show_programme", slug=slug))
    return render_template("staff/programmes/form.html", form=form, programme=programme)


@bp.post("/programmes/<slug>/publish")
@login_required
def publish_programme(slug: str):
    programme = programme_or_404(slug, Action.PUBLISH_PROGRAMME)
    if ButtonForm().validate_on_submit():
        with refusal_flashed():
            editing.publish_programme(programme, user=current_user._get_current_object())
            flash(_("The programme is published."), "success")
    return redirect(url_for(".show_programme", slug=slug))


@bp.post("/programmes/<slug>/cancel")
@login_required
def cancel_programme(slug: str):
    programme = programme_or_404(slug, Action.PUBLISH_PROGRAMME)
    if ButtonForm().validate_on_submit():
        editing.cancel_programme(programme, user=current_user._get_current_object())
        flash(_("The programme is cancelled: it takes no more sign-ups. Its events are "
                "unchanged."), "success")  # fmt: skip
    return redirect(url_for(".show_programme", slug=slug))


@bp.post("/programmes/<slug>/registrations/<int:entry_id>/give-seats")
@login_required
def give_seats(slug: str, entry_id: int):
    programme = programme_or_404(slug, Action.EDIT_PROGRAMME)
    entry = owned_or_404(ProgrammeRegistration, entry_id, programme_id=programme.id)
    if ButtonForm().validate_on_submit():
        with refusal_flashed():
            enrolment.give_seats(entry, actor=web_actor())
            flash(_("Registered for every event of the programme."), "success")
    return redirect(url_for(".show_programme", slug=slug, _anchor="progress"))


# ---------------------------------------------------------------- editions of an event


def _edition_starts(form: EditionsForm, event: Event) -> list[datetime]:
    """When the editions (of the event, or of a programme from its first event) start: the
    dates typed, else every `every` `unit`s, `count` times."""
    if (form.dates.data or "").strip():
        return series.parse_dates(form.dates.data, event)
    return series.every(event, step=form.every.data or 1, unit=form.unit.data,
                        count=form.count.data or 0, first=form.first_starts_at.data)  # fmt: skip


@bp.route("/events/<slug>/editions", methods=["GET", "POST"])
@login_required
def new_editions(slug: str):
    with missing_is_404():
        event = queries.get_by_slug(slug)
    if not can(current_user, Action.VIEW_EVENT, event):
        abort(404)
    require(Action.DUPLICATE_EVENT, event)
    form = EditionsForm()
    if form.validate_on_submit():
        with refusal_onto(form):
            copies = series.create_editions(event, _edition_starts(form, event),
                                            user=current_user._get_current_object())  # fmt: skip
            flash(_("%(n)d editions are saved as drafts: review each one, then publish it.",
                    n=len(copies)), "success")  # fmt: skip
            return redirect(url_for("staff_events.dashboard"))
    return render_template("staff/programmes/editions.html", event=event, form=form)


@bp.post("/programmes/<slug>/registrations/<int:entry_id>/exam")
@login_required
def record_exam(slug: str, entry_id: int):
    """Staff record the programme's exam: passed, failed or not recorded (result=…)."""
    programme = programme_or_404(slug, Action.EDIT_PROGRAMME)
    entry = owned_or_404(ProgrammeRegistration, entry_id, programme_id=programme.id)
    result = request.form.get("result")
    if ButtonForm().validate_on_submit() and result in exam.RESULTS:
        with refusal_flashed():
            exam.record_exam(entry, exam.RESULTS[result], user=current_user._get_current_object())
            flash(_("The exam result is recorded."), "success")
    return redirect(url_for(".show_programme", slug=slug, _anchor="progress"))


@bp.route("/programmes/<slug>/editions", methods=["GET", "POST"])
@login_required
def new_programme_editions(slug: str):
    """The next editions of the whole programme: copies of it and of its events, as drafts."""
    programme = programme_or_404(slug, Action.VIEW_PROGRAMME)
    require(Action.CREATE_PROGRAMME)
    form = EditionsForm()
    if form.validate_on_submit():
        with refusal_onto(form):
            starts = _edition_starts(form, editions.first_event(programme))
            copies = editions.create_editions(programme, starts,
                                              user=current_user._get_current_object())  # fmt: skip
            flash(_("%(n)d editions of the programme are saved as drafts, with their events: "
                    "review each one, then publish its events and the programme.",
                    n=len(copies)), "success")  # fmt: skip
            return redirect(url_for(".list_programmes"))
    return render_template("staff/programmes/programme_editions.html", programme=programme,
                           form=form)  # fmt: skip
