"""Public pages of programmes: the list, a programme's page and calendar, its sign-up form,
and the person's own programme page (/programmes/<slug>/p/<token>, from their mails)."""

import hashlib

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from boostcamp.audit.models import Actor
from boostcamp.core.db import paginate, utcnow
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.exports import download
from boostcamp.core.extensions import db, limiter
from boostcamp.core.forms import ButtonForm, apply_errors
from boostcamp.core.policy import Action, can
from boostcamp.core.text import plain_text
from boostcamp.core.texts import localized
from boostcamp.core.web import missing_is_404, redirect_with_result, result_for
from boostcamp.events.models import EventStatus
from boostcamp.ical import builder
from boostcamp.ical import services as calendars
from boostcamp.programmes import (
    alone,
    catalogue,
    certificates,
    enrolment,
    jobs,  # noqa: F401  (registers the worker's waiting-list job)
    progress,
    questions,
)
from boostcamp.programmes.models import Programme, ProgrammeRegistration
from boostcamp.programmes.tokens import entry_id_from, make_token
from boostcamp.registrations.forms import sign_up_form
from boostcamp.registrations.signup import RegistrationClosed
from boostcamp.registrations.tokens import make_token as registration_token

bp = Blueprint("programmes", __name__)
# The audit log's names for the person, who has no account: through the form, or their link.
SIGN_UP_FORM = Actor.visitor("programme sign-up form")
SELF_SERVICE = Actor.visitor("programme link")
PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex"}
SESSION_KEY = "programme_sign_up"
# The event page names the published programmes an event belongs to.
bp.add_app_template_global(alone.memberships, "event_programmes")


def _programme_or_404(slug: str) -> Programme:
    with missing_is_404():
        programme = catalogue.get_by_slug(slug)
    if programme.status == EventStatus.DRAFT and not can(
        current_user, Action.VIEW_PROGRAMME, programme
    ):
        abort(404)
    return programme


@bp.get("/programmes")
def list_programmes():
    q = (request.args.get("q") or "").strip()[:200]
    page = paginate(catalogue.public_programmes(words=q.split()), page=request.args.get("page"),
                    per_page=catalogue.PER_PAGE)  # fmt: skip
    return render_template("programmes/list.html", page=page, q=q)


@bp.get("/programmes/<slug>")
def show_programme(slug: str):
    programme = _programme_or_404(slug)
    closed = enrolment.signup_state(programme)
    return render_template(
        "programmes/show.html",
        programme=programme,
        events=programme.events,
        seats_left=catalogue.seats_left(programme),
        closed_message=enrolment.CLOSED_MESSAGES[closed] if closed else None,
        meta_description=plain_text(localized(programme, "summary")
                                    or localized(programme, "description")),
    )


@bp.get("/programmes/<slug>.ics")
def programme_calendar(slug: str):
    programme = _programme_or_404(slug)
    events = [e for e in programme.events if e.status != EventStatus.DRAFT]
    # Calendar apps say no language: the address may (?lang=nl, as the page's link gives it).
    language = request.args.get("lang")
    language = language if language in current_app.config["LANGUAGES"] else None
    feed = builder.Feed(calendars.feed_name(programme.text_in("title", language)))
    body = builder.publish(events, calendars.site(), feed, language=language)
    response = Response(body, mimetype="text/calendar")
    response.set_etag(hashlib.sha256(body).hexdigest()[:40])
    response.last_modified = max([programme.updated_at, *(e.updated_at for e in events)])
    response.cache_control.max_age = 300
    response.cache_control.public = programme.is_public
    response.cache_control.private = not programme.is_public
    return response.make_conditional(request)


@bp.route("/programmes/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def register(slug: str):
    programme = _programme_or_404(slug)
    closed = enrolment.signup_state(programme)
    if closed:
        return _closed(programme, enrolment.CLOSED_MESSAGES[closed])
    asked = questions.questions_of(programme)
    form = sign_up_form(asked)
    if form.is_submitted() and form.website.data:
        return _show_result(programme.slug, enrolment.Outcome.CONFIRMED)  # a bot: nothing saved
    if form.validate_on_submit():
        try:
            result = enrolment.sign_up(programme, form.sign_up(str(get_locale())), questions=asked,
                                       actor=SIGN_UP_FORM)  # fmt: skip
        except ValidationFailed as e:
            apply_errors(form, e)
        except RegistrationClosed as e:
            return _closed(programme, e.message)
        else:
            made = (result.programme_registration.id
                    if result.outcome != enrolment.Outcome.ALREADY_REGISTERED else None)  # fmt: skip
            return _show_result(slug, result.outcome, made)
    return render_template("programmes/form.html", programme=programme, form=form,
                           events=programme.events, seats_left=catalogue.seats_left(programme))  # fmt: skip


def _closed(programme: Programme, message: str):
    return render_template("programmes/closed.html", programme=programme, message=message)


def _show_result(slug: str, outcome: enrolment.Outcome, entry_id: int | None = None):
    """Post/Redirect/Get, as for an event's sign-up: only a sign-up just made shows its link."""
    return redirect_with_result(SESSION_KEY, ".signed_up", slug, outcome=outcome.value,
                                token=make_token(entry_id) if entry_id else None)  # fmt: skip


@bp.get("/programmes/<slug>/register/done")
def signed_up(slug: str):
    result = result_for(SESSION_KEY, slug)
    if result is None:
        return redirect(url_for(".show_programme", slug=slug))
    programme = _programme_or_404(slug)
    return render_template("programmes/done.html", programme=programme,
                           outcome=result["outcome"], token=result.get("token"))  # fmt: skip


# ---------------------------------------------------------------- the person's page


def _entry_or_404(slug: str, token: str) -> ProgrammeRegistration:
    entry_id = entry_id_from(token)
    entry = db.session.get(ProgrammeRegistration, entry_id) if entry_id else None
    if entry is None or entry.programme.slug != slug:
        abort(404)
    return entry


@bp.get("/programmes/<slug>/p/<token>")
def manage(slug: str, token: str):
    entry = _entry_or_404(slug, token)
    programme = catalogue.get_by_slug(slug)
    cells = progress.progress(programme, [entry.person_id])
    row = {e.id: progress.cell(cells, entry.person_id, e.id) for e in programme.events}
    response = render_template(
        "programmes/manage.html", programme=programme, entry=entry, token=token,
        events=programme.events, row=row, form=ButtonForm(),
        may_cancel=enrolment.may_cancel(entry),
        completed=progress.completed(programme, row.values())
        and (not programme.requires_exam or entry.exam_passed is True),
        attended_count=sum(1 for c in row.values() if progress.counts_as_attended(c)),
        links={event_id: registration_token(c.registration.id)
               for event_id, c in row.items() if c.registration is not None},
    )  # fmt: skip
    return response, 200, PRIVATE


@bp.post("/programmes/<slug>/p/<token>/cancel")
def cancel(slug: str, token: str):
    entry = _entry_or_404(slug, token)
    if ButtonForm().validate_on_submit():
        enrolment.cancel(entry, now=utcnow(), actor=SELF_SERVICE)
        flash(_("You have left the programme: your registrations for its events to come are "
                "cancelled."), "success")  # fmt: skip
    return redirect(url_for(".manage", slug=slug, token=token))


@bp.get("/programmes/<slug>/p/<token>/certificate.pdf")
def certificate(slug: str, token: str):
    """The programme's certificate, or a page that says what it still needs."""
    entry = _entry_or_404(slug, token)
    try:
        achievement = certificates.earned_achievement(entry)
    except certificates.CertificateNotEarned as e:
        page = render_template("programmes/certificate_not_earned.html", message=e.message,
                               programme=entry.programme, person=entry.person)  # fmt: skip
        return page, 409, PRIVATE
    code = certificates.verification_code(entry)
    verify_url = url_for(".verify_certificate", code=code, _external=True)
    pdf = certificates.certificate_pdf(achievement, verify_url, entry.person.language)
    return download(pdf, "application/pdf", f"{slug}-certificate-{entry.id}.pdf")


@bp.get("/programmes/certificates/<code>")
def verify_certificate(code: str):
    """Anyone holding a programme certificate's code may check it."""
    entry_id = certificates.entry_id_from_code(code)
    entry = db.session.get(ProgrammeRegistration, entry_id) if entry_id else None
    achievement = certificates.achievement_of(entry) if entry else None
    valid = achievement is not None and achievement.earned
    page = render_template("programmes/certificate_verify.html", code=code, valid=valid,
                           achievement=achievement if valid else None)  # fmt: skip
    return page, 200 if valid else 404, PRIVATE
