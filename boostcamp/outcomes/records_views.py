"""The staff's pages on outcomes' records: start-ups with their founders, team and jobs,
certifications, imports and exports, the review of follow-up survey answers, and the
attendance certificates.

Centre staff manage everything (MANAGE_OUTCOMES). A partner's manager reads the start-ups
founded by people who attended its events (VIEW_STARTUPS, permissions.startups_filter);
any other start-up answers 404, and every other page 403. Certificates go with the
event's participants (VIEW_PARTICIPANTS).
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.auth.permissions import Action, can, people_known, require, startups_filter
from boostcamp.db import paginate, utcnow
from boostcamp.errors import Conflict, ValidationFailed
from boostcamp.extensions import db
from boostcamp.outcomes import attribution, certificates, imports, surveys
from boostcamp.outcomes import services as outcomes
from boostcamp.outcomes.models import Certification, Startup, StartupMember, StartupStatus
from boostcamp.outcomes.records_forms import (
    ROLE_LABELS,
    STATUS_LABELS,
    ActionForm,
    CertificationForm,
    ImportForm,
    JobsForm,
    MemberForm,
    StartupForm,
)
from boostcamp.outcomes.records_models import FollowupSurvey, ImportKind, ImportUpload, SurveyReview
from boostcamp.registrations import exports
from boostcamp.registrations.models import Person, Registration, normalise_email

bp = Blueprint("outcomes_records", __name__, url_prefix="/staff/outcomes")

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_context_processor
def records_link():
    """The menu shows the records to whoever may read start-ups (partners' managers too)."""
    return {"may_view_startups": lambda: can(current_user, Action.VIEW_STARTUPS)}


def _page(query: sa.Select):
    return paginate(query, page=request.args.get("page"), per_page=PER_PAGE)  # fmt: skip


def _person_by_email(email: str) -> Person | None:
    return db.session.scalar(sa.select(Person).where(Person.email == normalise_email(email)))




# ---------------------------------------------------------------- start-ups


def _startup_or_404(startup_id: int) -> Startup:
    startup = db.session.scalar(
        sa.select(Startup).where(Startup.id == startup_id, startups_filter(current_user))
    )
    if startup is None:
        abort(404)
    return startup


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
    page = _page(query)
    founders = [m.person_id for s in page.items for m in s.founders]
    return render_template(
        "outcomes/startups.html", page=page, search=search, status=status,
        status_labels=STATUS_LABELS, may_manage=can(current_user, Action.MANAGE_OUTCOMES),
        named=people_known(current_user, founders),
    )  # fmt: skip


@bp.route("/startups/new", methods=["GET", "POST"], defaults={"startup_id": None})
@bp.route("/startups/<int:startup_id>/edit", methods=["GET", "POST"])
@login_required
def edit_startup(startup_id: int | None):
    require(Action.MANAGE_OUTCOMES)
    startup = _startup_or_404(startup_id) if startup_id else None
    form = StartupForm(obj=startup)
    if startup is not None and not form.is_submitted():
        form.enterprise_number.data = startup.enterprise_number_display
        form.status.data = startup.status.value
    if form.validate_on_submit():
        try:
            if startup is None:
                startup = outcomes.create_startup(**form.fields_for_service())
            else:
                outcomes.update_startup(startup, **form.fields_for_service())
        except ValidationFailed as e:
            db.session.rollback()
            form.show_errors(e.errors)
        else:
            startup_id = startup.id
            db.session.commit()
            flash(_("The start-up is saved."), "success")
            return redirect(url_for(".show_startup", startup_id=startup_id))
    return render_template("outcomes/startup_form.html", form=form, startup=startup)


@bp.get("/startups/<int:startup_id>")
@login_required
def show_startup(startup_id: int):
    require(Action.VIEW_STARTUPS)
    startup = _startup_or_404(startup_id)
    return _startup_page(startup, MemberForm(formdata=None), JobsForm(formdata=None))


def _startup_page(startup: Startup, member_form: MemberForm, jobs_form: JobsForm):
    rule = attribution.current_rule()
    named = people_known(current_user, [m.person_id for m in startup.members])
    names = {m.person_id: m.person.full_name for m in startup.members if m.person_id in named}
    return render_template(
        "outcomes/startup.html", startup=startup, member_form=member_form, jobs_form=jobs_form,
        form=ActionForm(), status_labels=STATUS_LABELS, role_labels=ROLE_LABELS,
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
    startup = _startup_or_404(startup_id)
    form = MemberForm()
    if form.validate_on_submit():
        person = _person_by_email(form.person.data)
        if person is None:
            form.person.errors = [_("Nobody with this e-mail address is known: they must have "
                                    "registered for an event first.")]  # fmt: skip
        else:
            try:
                outcomes.add_member(startup, person, form.role.data, form.started_on.data,
                                    form.ended_on.data)  # fmt: skip
            except ValidationFailed as e:
                db.session.rollback()
                form.show_errors(e.errors)
            else:
                db.session.commit()
                flash(_("%(name)s is in the start-up.", name=person.full_name), "success")
                return redirect(url_for(".show_startup", startup_id=startup_id))
    return _startup_page(startup, form, JobsForm(formdata=None))


@bp.post("/startups/<int:startup_id>/members/<int:member_id>/remove")
@login_required
def remove_member(startup_id: int, member_id: int):
    require(Action.MANAGE_OUTCOMES)
    startup = _startup_or_404(startup_id)
    member = db.session.get(StartupMember, member_id)
    if member is None or member.startup_id != startup.id:
        abort(404)
    if ActionForm().validate_on_submit():
        outcomes.remove_member(member)
        db.session.commit()
        flash(_("The person is no longer in the start-up."), "success")
    return redirect(url_for(".show_startup", startup_id=startup_id))


@bp.post("/startups/<int:startup_id>/jobs")
@login_required
def record_jobs(startup_id: int):
    require(Action.MANAGE_OUTCOMES)
    startup = _startup_or_404(startup_id)
    form = JobsForm()
    if form.validate_on_submit():
        try:
            outcomes.record_jobs(startup, form.on.data, form.headcount.data, form.fte.data)
        except ValidationFailed as e:
            db.session.rollback()
            form.show_errors(e.errors)
        else:
            db.session.commit()
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
    return render_template("outcomes/certifications.html", page=_page(query), search=search)


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
    if form.validate_on_submit():
        person = _person_by_email(form.person.data)
        fields = dict(name=form.name.data, code=form.code.data, issuer=form.issuer.data,
                      obtained_on=form.obtained_on.data)  # fmt: skip
        if person is None:
            form.person.errors = [_("Nobody with this e-mail address is known.")]
        else:
            try:
                if certification is None:
                    outcomes.add_certification(person, **fields)
                else:
                    outcomes.update_certification(certification, person=person, **fields)
            except ValidationFailed as e:
                db.session.rollback()
                form.show_errors(e.errors)
            else:
                db.session.commit()
                flash(_("The certification is saved."), "success")
                return redirect(url_for(".list_certifications"))
    return render_template("outcomes/certification_form.html", form=form,
                           certification=certification)  # fmt: skip


# ---------------------------------------------------------------- import


def _upload_or_404(key: str) -> ImportUpload:
    upload = db.session.scalar(sa.select(ImportUpload).where(ImportUpload.key == key))
    if upload is None or upload.user_id != current_user.id or upload.confirmed_at:
        abort(404)
    return upload


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/import", methods=["GET", "POST"])
@login_required
def upload_import():
    """Step 1: the file is kept (in the database, so any worker finds it) and checked on
    the preview page. static/js/import-upload.js sends it with a progress bar and asks
    for JSON: where to go next, or the form's errors."""
    require(Action.MANAGE_OUTCOMES)
    # The one body larger than MAX_CONTENT_LENGTH: the file, and the form around it.
    request.max_content_length = current_app.config["IMPORT_MAX_BYTES"] + 64 * 1024
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
        if len(content) > current_app.config["IMPORT_MAX_BYTES"]:
            form.file.errors = [_("The file is too large (at most %(mb)d MB).",
                                  mb=current_app.config["IMPORT_MAX_BYTES"] // 2**20)]  # fmt: skip
        else:
            db.session.execute(sa.delete(ImportUpload).where(
                ImportUpload.created_at < utcnow() - timedelta(
                    hours=current_app.config["IMPORT_KEEP_HOURS"])))  # fmt: skip
            upload = ImportUpload(kind=ImportKind(form.kind.data), content=content,
                                  filename=(form.file.data.filename or "import")[-200:],
                                  user_id=current_user.id)  # fmt: skip
            db.session.add(upload)
            db.session.flush()
            next_url = url_for(".preview_import", key=upload.key)
            db.session.commit()
            if _wants_json():
                return jsonify(next=next_url)
            return redirect(next_url)
    if form.is_submitted() and _wants_json():
        return jsonify(errors={name: f.errors for name, f in form._fields.items() if f.errors}), 400
    return render_template("outcomes/import.html", form=form, columns=imports.COLUMNS,
                           kind_labels=imports.KIND_LABELS)  # fmt: skip


def _dry_run(upload: ImportUpload):
    """The import as it would go, rolled back: (result, None) or (None, the file's problem)."""
    try:
        result = imports.run_import(upload.kind, upload.content, upload.filename)
    except imports.FileRejected as e:
        return None, e.message
    finally:
        db.session.rollback()
    return result, None


@bp.get("/import/<key>")
@login_required
def preview_import(key: str):
    require(Action.MANAGE_OUTCOMES)
    upload = _upload_or_404(key)
    kind, filename = upload.kind, upload.filename
    result, problem = _dry_run(upload)
    return render_template("outcomes/import_preview.html", key=key, kind=kind, filename=filename,
                           result=result, problem=problem, form=ActionForm(),
                           columns=[c.name for c in imports.COLUMNS[kind]],
                           kind_labels=imports.KIND_LABELS)  # fmt: skip


@bp.post("/import/<key>/confirm")
@login_required
def confirm_import(key: str):
    """Step 2: the whole file again, committed only if no row has an error."""
    require(Action.MANAGE_OUTCOMES)
    upload = _upload_or_404(key)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".preview_import", key=key))
    try:
        result = imports.confirm_upload(upload)
    except Conflict as e:  # the same file confirmed twice at once: the other one imported it
        db.session.rollback()
        flash(e.message, "info")
        return redirect(url_for(".upload_import"))
    except imports.FileRejected:
        result = None
    if result is None or result.errors:
        db.session.rollback()
        flash(_("Nothing was imported: the file has errors."), "error")
        return redirect(url_for(".preview_import", key=key))
    db.session.commit()
    flash(_("Imported: %(created)d new, %(updated)d updated.", created=result.created,
            updated=result.updated), "success")  # fmt: skip
    return redirect(url_for(".upload_import"))


# ---------------------------------------------------------------- export


@bp.get("/export/<any(startups, members, jobs, certifications):table>.<any(csv, xlsx):fmt>")
@login_required
def export_table(table: str, fmt: str):
    require(Action.MANAGE_OUTCOMES)
    header, rows = imports.export_rows(table)
    if fmt == "csv":
        return exports.download(exports.to_csv(header, rows), "text/csv; charset=utf-8",
                         f"outcomes-{table}.csv")  # fmt: skip
    return exports.download(exports.to_xlsx(header, rows, title=table), XLSX, f"outcomes-{table}.xlsx")


# ---------------------------------------------------------------- survey answers


@bp.get("/surveys")
@login_required
def list_survey_answers():
    require(Action.MANAGE_OUTCOMES)
    page = _page(surveys.pending_query())
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
            db.session.rollback()
            flash(_("The answer of %(name)s cannot be merged: %(errors)s", name=name,
                    errors=" ".join(e.errors.values())), "error")  # fmt: skip
        except Conflict as e:
            db.session.rollback()
            flash(e.message, "error")
        else:
            db.session.commit()
            if survey.review == SurveyReview.LINK_PROPOSED:
                message = _("The answer of %(name)s is merged; it names a start-up recorded "
                            "without them: confirm the link on the start-up's page.", name=name)
            elif decision == "accept":
                message = _("The answer of %(name)s is merged into the records.", name=name)
            else:
                message = _("The answer of %(name)s is set aside.", name=name)
            flash(message, "success")
    return redirect(url_for(".list_survey_answers"))


@bp.post("/startups/<int:startup_id>/links/<int:survey_id>/<any(confirm, decline):decision>")
@login_required
def decide_link(startup_id: int, survey_id: int, decision: str):
    """Staff confirm (or not) that a survey's person is a founder of this start-up."""
    require(Action.MANAGE_OUTCOMES)
    startup = _startup_or_404(startup_id)
    survey = _survey_or_404(survey_id)
    if ActionForm().validate_on_submit():
        try:
            surveys.confirm_link(survey, startup, current_user, accepted=decision == "confirm")
        except (Conflict, ValidationFailed) as e:
            db.session.rollback()
            flash(str(e.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is a founder of %(startup)s.", name=survey.person.full_name,
                    startup=startup.name) if decision == "confirm"
                  else _("The proposed link is set aside."), "success")  # fmt: skip
    return redirect(url_for(".show_startup", startup_id=startup_id))


# ---------------------------------------------------------------- attendance certificates


@bp.get("/certificates/<int:registration_id>.pdf")
@login_required
def download_certificate(registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or not can(current_user, Action.VIEW_EVENT, registration.event):
        abort(404)
    require(Action.VIEW_PARTICIPANTS, registration.event)
    return certificate_response(registration)


def certificate_response(registration: Registration):
    """The PDF, or a page saying why there is none (also for the self-service page)."""
    try:
        attendance = certificates.earned_attendance(registration)
    except certificates.CertificateNotEarned as e:
        page = render_template("outcomes/certificate_not_earned.html", message=e.message,
                               event=registration.event, person=registration.person)  # fmt: skip
        return page, 409
    code = certificates.verification_code(registration)
    verify_url = url_for("surveys.verify_certificate", code=code, _external=True)
    pdf = certificates.certificate_pdf(attendance, verify_url, registration.person.language)
    slug = registration.event.slug
    return exports.download(pdf, "application/pdf", f"{slug}-certificate-{registration.id}.pdf")

