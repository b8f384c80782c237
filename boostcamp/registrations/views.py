"""The participant's pages: the sign-up form and its result, and the self-service pages
reached by the signed link in every mail (/r/<token>). No account anywhere."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Email, Length

from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.core.extensions import limiter
from boostcamp.core.forms import ButtonForm, FlaskForm, apply_errors, refusal_flashed
from boostcamp.core.web import missing_is_404, private, redirect_with_result, result_for
from boostcamp.events import availability, queries
from boostcamp.events.availability import RegistrationState
from boostcamp.events.models import Event, EventStatus
from boostcamp.registrations import (
    jobs,  # noqa: F401  (registers the worker's jobs)
    seats,
    signals,
    signup,
    tickets,
    waiting_list,
)
from boostcamp.registrations.forms import sign_up_form
from boostcamp.registrations.models import Registration, RegistrationStatus
from boostcamp.registrations.questions import event_and_questions
from boostcamp.registrations.signup import Outcome, RegistrationClosed
from boostcamp.registrations.tokens import make_token, registration_from
from boostcamp.registrations.waiting_list import CancelReason

bp = Blueprint("registrations", __name__)
SESSION_KEY = "sign_up"  # what the result page shows after the redirect


def _public_event_or_404(slug: str, related: bool = True) -> Event:
    with missing_is_404():
        event = queries.get_by_slug(slug, related=related)
    if event.status == EventStatus.DRAFT:
        abort(404)  # drafts take no registrations and are not public
    return event


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGNUP_RATE_LIMIT"], methods=["POST"])
def register(slug: str):
    # A sign-up needs the event's own columns and questions only (one statement); a form
    # sent back with errors loads the rest (a few queries, whatever the number of
    # registrations).
    event, questions = _public_event_and_questions_or_404(slug)
    refusal = _closed_because(event)
    if refusal:
        return _closed(event, refusal)
    form = sign_up_form(questions)
    if form.is_submitted() and form.website.data:
        # Only a bot fills in the hidden field: it is told "confirmed" and nothing is saved.
        return _show_result(event.slug, Outcome.CONFIRMED)
    if form.validate_on_submit():
        try:
            result = signup.register(
                event, form.sign_up(str(get_locale())), questions=questions
            )
        except RegistrationClosed as e:
            return _closed(event, e.message)
        except ValidationFailed as e:
            apply_errors(form, e)
        else:
            made = result.registration.id if result.outcome != Outcome.ALREADY_REGISTERED else None
            return _show_result(event.slug, result.outcome, result.position, made)
    return render_template(
        "registrations/form.html",
        event=event,
        form=form,
        seats_left=queries.seats_left_by_event([event])[event.id],
        offer_hours=current_app.config["WAITLIST_OFFER_HOURS"],
    )


def _public_event_and_questions_or_404(slug: str) -> tuple[Event, list]:
    with missing_is_404():
        event, questions = event_and_questions(slug, related=request.method == "GET")
    if event.status == EventStatus.DRAFT:
        abort(404)  # drafts take no registrations and are not public
    return event, questions


def _closed_because(event: Event) -> str | None:
    """Why the event's form takes no sign-up now, or None."""
    state = availability.registration_state(event)
    if state != RegistrationState.OPEN:
        return seats.CLOSED_MESSAGES[state]
    if request.method == "GET":  # a programme keeps the event (a POST is refused by register)
        return signup.sign_up_alone_refusal(event)
    return None


def _closed(event: Event, message: str):
    return render_template("registrations/closed.html", event=event, message=message)


def _show_result(slug: str, outcome: Outcome, position: int | None = None,
                 registration_id: int | None = None):  # fmt: skip
    """Post/Redirect/Get (core.web.redirect_with_result). `registration_id`: the registration
    just made, whose ticket and link the page shows — never one that existed before (whoever
    types an address already registered gets the link by mail only)."""
    token = make_token(registration_id) if registration_id else None
    return redirect_with_result(SESSION_KEY, ".signed_up", slug, outcome=outcome.value,
                                position=position, token=token)  # fmt: skip


@bp.get("/events/<slug>/register/done")
def signed_up(slug: str):
    result = result_for(SESSION_KEY, slug)
    if result is None:
        return redirect(url_for("events.show_event", slug=slug))
    event = _public_event_or_404(slug)
    token = result.get("token") if result["outcome"] != Outcome.ALREADY_REGISTERED else None
    registration = registration_from(token) if token else None
    return render_template(
        "registrations/done.html",
        event=event,
        registration=registration,
        token=token if registration else None,
        outcome=result["outcome"],
        position=result.get("position"),
        offer_hours=current_app.config["WAITLIST_OFFER_HOURS"],
    )


# ---------------------------------------------------------------- self-service


def _registration_or_404(token: str) -> Registration:
    return registration_from(token) or abort(404)


class LostLinkForm(FlaskForm):
    email = StringField(_l("Your e-mail address"),
                        [DataRequired(_l("Give your e-mail address.")), Length(max=254),
                         Email(_l("Give a valid e-mail address."))],
                        filters=[lambda value: value.strip() if value else value])  # fmt: skip


def _lost_link_page(form: LostLinkForm, status: int = 200, sent: bool = False):
    return private(
        make_response(render_template("registrations/lost_link.html", form=form, sent=sent),
                      status)  # fmt: skip
    )


@bp.route("/registrations/lost-link", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOST_LINK_RATE_LIMIT"], methods=["POST"])
def lost_link():
    """A lost or broken link: the links of an address's registrations, mailed again. The
    answer is the same whether or not the address is known."""
    form = LostLinkForm()
    if form.validate_on_submit():
        signup.send_links_again(form.email.data)
        return _lost_link_page(LostLinkForm(formdata=None), sent=True)
    return _lost_link_page(form, 422 if form.errors else 200)


@bp.get("/r/<token>")
def manage(token: str):
    registration = registration_from(token)
    if registration is None:  # mangled, or its registration is gone: offer the links again
        return _lost_link_page(LostLinkForm(formdata=None), 404)
    now = utcnow()
    return private(
        render_template(
            "registrations/manage.html",
            registration=registration,
            event=registration.event,
            token=token,
            position=waiting_list.waiting_position(registration),
            offer_open=waiting_list.offer_is_open(registration, now),
            may_cancel=waiting_list.may_cancel(registration, now),
            may_register_again=(
                registration.status == RegistrationStatus.CANCELLED
                and availability.registration_state(registration.event, now)
                == RegistrationState.OPEN
            ),
            form=ButtonForm(),
            # Once the event has begun: the link says itself when attendance is too low.
            show_certificate=registration.status == RegistrationStatus.CONFIRMED
            and registration.event.starts_at <= now,
            # The application's state, the person's programmes, their calendar address.
            **signals.self_service_extras(registration, now),
        )
    )


@bp.get("/r/<token>/qr.svg")
def ticket_qr(token: str):
    registration = _registration_or_404(token)
    if registration.status != RegistrationStatus.CONFIRMED:
        abort(404)
    return private(Response(tickets.ticket_svg(registration.ticket_code), mimetype="image/svg+xml"))


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    registration = _registration_or_404(token)
    if not waiting_list.may_cancel(registration):
        return redirect(url_for(".manage", token=token))
    form = ButtonForm()
    if form.validate_on_submit():
        was = registration.status
        reason = (
            CancelReason.OFFER_DECLINED if was == RegistrationStatus.OFFERED else CancelReason.SELF
        )
        with refusal_flashed(Conflict):
            waiting_list.cancel_registration(registration, reason=reason)
            flash(_cancelled_message(was), "success")
        return redirect(url_for(".manage", token=token))
    return private(
        render_template(
            "registrations/cancel.html",
            registration=registration,
            event=registration.event,
            token=token,
            form=form,
        )
    )


def _cancelled_message(was: RegistrationStatus) -> str:
    return {
        RegistrationStatus.WAITLISTED: _("You have left the waiting list."),
        RegistrationStatus.OFFERED: _("You have declined the seat. Thank you for letting us know."),
    }.get(was, _("Your registration is cancelled. Thank you for letting us know."))


@bp.post("/r/<token>/accept")
def accept_offer(token: str):
    registration = _registration_or_404(token)
    with refusal_flashed(Conflict):  # the offer expired, or there is none
        waiting_list.accept_offer(registration)  # CSRFProtect has checked the form's token
        flash(_("The seat is yours: your registration is confirmed. Your ticket is below and in your mailbox."), "success")
    return redirect(url_for(".manage", token=token))
