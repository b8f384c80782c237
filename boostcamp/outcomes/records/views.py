"""The staff's pages on outcomes' records: start-ups with their founders, team and jobs, and
certifications. Their blueprint (outcomes_records, /staff/outcomes) also carries the imports
(imports.views), the review of survey answers (surveys.staff_views) and the attendance
certificates (certificates.views).

Centre staff manage everything (MANAGE_OUTCOMES). A partner's manager reads the start-ups
founded by people who attended its events (VIEW_STARTUPS, policy.startups_filter);
any other start-up answers 404, and every other page 403.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.audit.services import web_actor
from boostcamp.core.db import paginate
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.core.forms import apply_errors, refusal_onto
from boostcamp.core.policy import Action, can, people_known, require, startups_filter
from boostcamp.core.web import owned_or_404
from boostcamp.outcomes.blueprints import staff as bp
from boostcamp.outcomes.impact import attribution
from boostcamp.outcomes.records import services as outcomes
from boostcamp.outcomes.records.forms import (
    ActionForm,
    CertificationForm,
    JobsForm,
    MemberForm,
    StartupForm,
)
from boostcamp.outcomes.records.models import Certification, Startup, StartupMember, StartupStatus
from boostcamp.outcomes.surveys import services as surveys
from boostcamp.registrations.models import Person, normalise_email

PER_PAGE = 50


@bp.app_context_processor
def records_link():
    """The menu shows the records to whoever may read start-ups (partners' managers too)."""
    return {"may_view_startups": lambda: can(current_user, Action.VIEW_STARTUPS)}


def page_of(query: sa.Select):
    return paginate(query, page=request.args.get("page"), per_page=PER_PAGE)  # fmt: skip


def _person_by_email(email: str) -> Person | None:
    return db.session.scalar(sa.select(Person).where(Person.email == normalise_email(email)))




# ---------------------------------------------------------------- start-ups


def startup_or_404(startup_id: int) -> Startup:
    return db.first_or_404(
        sa.select(Startup).where(Startup.id == startup_id, startups_filter(current_user))
    )


@bp.get("/startups")
@login_required
def list_startups():
    require(Action.VIEW_STARTUPS)
    search = request.args.get("q", "").strip()
    try:
        status = StartupStatus(request.args.get("status", ""))
    except ValueError:
        status = None
    query = (
        sa.select(Startup).where(startups_filter(current_user))
        .options(selectinload(Startup.members).joinedload(StartupMember.person),
                 selectinload(Startup.snapshots))
        .order_by(Startup.name, Startup.id)
    )  # fmt: skip
    if search:
        digits = "".join(c for c in search if c.isdigit())
        matches = sa.func.lower(Startup.name).contains(search.lower(), autoescape=True)
        if len(digits) >= 4:
            matches = matches | Startup.enterprise_number.contains(digits, autoescape=True)
        query = query.where(matches)
    if status:
        query = query.where(Startup.status == status)
    page = page_of(query)
    founders = [m.person_id for s in page.items for m in s.founders]
    return render_template(
        "outcomes/startups.html", page=page, search=search, status=status,
        statuses=list(StartupStatus), may_manage=can(current_user, Action.MANAGE_OUTCOMES),
        named=people_known(current_user, founders),
    )  # fmt: skip


@bp.route("/startups/new", methods=["GET", "POST"], defaults={"startup_id": None})
@bp.route("/startups/<int:startup_id>/edit", methods=["GET", "POST"])
@login_required
def edit_startup(startup_id: int | None):
    require(Action.MANAGE_OUTCOMES)
    startup = startup_or_404(startup_id) if startup_id else None
    form = StartupForm(obj=startup)
    if startup is not None and not form.is_submitted():
        form.enterprise_number.data = startup.enterprise_number_display
        form.status.data = startup.status.value
    if form.validate_on_submit():
        with refusal_onto(form, ValidationFailed):
            if startup is None:
                startup = outcomes.create_startup(**form.fields_for_service(), actor=web_actor())
            else:
                outcomes.update_startup(startup, **form.fields_for_service(), actor=web_actor())
            flash(_("The start-up is saved."), "success")
            return redirect(url_for(".show_startup", startup_id=startup.id))
    return render_template("outcomes/startup_form.html", form=form, startup=startup)


@bp.get("/startups/<int:startup_id>")
@login_required
def show_startup(startup_id: int):
    require(Action.VIEW_STARTUPS)
    startup = startup_or_404(startup_id)
    return _startup_page(startup, MemberForm(formdata=None), JobsForm(formdata=None))


def _startup_page(startup: Startup, member_form: MemberForm, jobs_form: JobsForm):
    rule = attribution.current_rule()
    named = people_known(current_user, [m.person_id for m in startup.members])
    names = {m.person_id: m.person.full_name for m in startup.members if m.person_id in named}
    return render_template(
        "outcomes/startup.html", startup=startup, member_form=member_form, jobs_form=jobs_form,
        form=ActionForm(),
        may_manage=can(current_user, Action.MANAGE_OUTCOMES), named=named, named_people=names,
        founder_names=lambda ids: ", ".join(names.get(i) or _("another founder") for i in ids),
        # The product's promise: which events get the credit, and why (the rule's reason).
        rule=rule, credits=attribution.startup_credits(startup, rule),
        attended=attribution.founders_attendance(startup, rule),
        proposed=surveys.proposed_links(startup) if can(current_user, Action.MANAGE_OUTCOMES)
        else [],
    )  # fmt: skip


@bp.post("/startups/<int:startup_id>/members")
@login_required
def add_member(startup_id: int):
    require(Action.MANAGE_OUTCOMES)
    startup = startup_or_404(startup_id)
    form = MemberForm()
    if form.validate_on_submit():
        person = _person_by_email(form.person.data)
        if person is None:
            form.person.errors = [_("Nobody with this e-mail address is known: they must have "
                                    "registered for an event first.")]  # fmt: skip
        else:
            with refusal_onto(form, ValidationFailed):
                outcomes.add_member(startup, person, form.role.data, form.started_on.data,
                                    form.ended_on.data, actor=web_actor())  # fmt: skip
                flash(_("%(name)s is in the start-up.", name=person.full_name), "success")
                return redirect(url_for(".show_startup", startup_id=startup_id))
    return _startup_page(startup, form, JobsForm(formdata=None))


@bp.post("/startups/<int:startup_id>/members/<int:member_id>/remove")
@login_required
def remove_member(startup_id: int, member_id: int):
    require(Action.MANAGE_OUTCOMES)
    startup = startup_or_404(startup_id)
    member = owned_or_404(StartupMember, member_id, startup_id=startup.id)
    if ActionForm().validate_on_submit():
        outcomes.remove_member(member, actor=web_actor())
        flash(_("The person is no longer in the start-up."), "success")
    return redirect(url_for(".show_startup", startup_id=startup_id))


@bp.post("/startups/<int:startup_id>/jobs")
@login_required
def record_jobs(startup_id: int):
    require(Action.MANAGE_OUTCOMES)
    startup = startup_or_404(startup_id)
    form = JobsForm()
    if form.validate_on_submit():
        with refusal_onto(form, ValidationFailed):
            outcomes.record_jobs(startup, form.on.data, form.headcount.data, form.fte.data,
                                actor=web_actor())
            flash(_("The jobs are recorded."), "success")
            return redirect(url_for(".show_startup", startup_id=startup_id, _anchor="jobs"))
    return _startup_page(startup, MemberForm(formdata=None), form)


# ---------------------------------------------------------------- certifications


@bp.get("/certifications")
@login_required
def list_certifications():
    require(Action.MANAGE_OUTCOMES)
    search = request.args.get("q", "").strip()
    query = (
        sa.select(Certification).join(Certification.person)
        .options(joinedload(Certification.person), joinedload(Certification.exam_event))
        .order_by(Certification.obtained_on.desc(), Certification.id.desc())
    )  # fmt: skip
    if search:
        pattern = search.lower()
        query = query.where(
            sa.func.lower(Certification.name).contains(pattern, autoescape=True)
            | sa.func.lower(Person.email).contains(pattern, autoescape=True)
            | sa.func.lower(Person.last_name).contains(pattern, autoescape=True)
        )
    return render_template("outcomes/certifications.html", page=page_of(query), search=search)


@bp.route("/certifications/new", methods=["GET", "POST"], defaults={"certification_id": None})
@bp.route("/certifications/<int:certification_id>/edit", methods=["GET", "POST"])
@login_required
def edit_certification(certification_id: int | None):
    require(Action.MANAGE_OUTCOMES)
    certification = db.session.get(Certification, certification_id) if certification_id else None
    if certification_id and certification is None:
        abort(404)
    form = CertificationForm(obj=certification)
    if certification is not None and not form.is_submitted():
        form.person.data = certification.person.email
    if form.validate_on_submit() and _save_certification(form, certification):
        flash(_("The certification is saved."), "success")
        return redirect(url_for(".list_certifications"))
    return render_template("outcomes/certification_form.html", form=form,
                           certification=certification)  # fmt: skip


def _save_certification(form: CertificationForm, certification: Certification | None) -> bool:
    """Saves the form's certification, or puts the errors on the form (False)."""
    person = _person_by_email(form.person.data)
    fields = dict(name=form.name.data, code=form.code.data, issuer=form.issuer.data,
                  obtained_on=form.obtained_on.data)  # fmt: skip
    if person is None:
        form.person.errors = [_("Nobody with this e-mail address is known.")]
        return False
    try:
        if certification is None:
            outcomes.add_certification(person, **fields, actor=web_actor())
        else:
            outcomes.update_certification(certification, person=person, **fields,
                                          actor=web_actor())
    except ValidationFailed as e:
        apply_errors(form, e)
        return False
    return True
