"""The staff's pages on an event's registrations: the list, exports, and what organisers
change by hand (add someone, correct a registration, cancel, give a seat to someone
waiting), a message to everyone registered (through the outbox); the event's own questions
on its sign-up form.

All of it needs VIEW_PARTICIPANTS: whoever may see the participants of an event (centre
staff, the managers of its co-organising partners) also manages them; check-in members
may not. The questions need EDIT_EVENT. Another partner's event answers 404, as the
other staff event pages do.
"""

from datetime import datetime
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from boostcamp.audit.services import web_actor
from boostcamp.core import exports
from boostcamp.core.db import paginate, utcnow
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from boostcamp.core.forms import FlaskForm, refusal_flashed, refusal_onto
from boostcamp.core.policy import Action, can, event_or_404, knows_person
from boostcamp.core.web import owned_or_404
from boostcamp.events.models import Event
from boostcamp.registrations import (
    consents,
    corrections,
    notifications,
    seats,
    signup,
    staff_list,
    waiting_list,
)
from boostcamp.registrations import (
    questions as form_questions,
)
from boostcamp.registrations.forms import registration_form, staff_sign_up_form
from boostcamp.registrations.models import (
    STAFF_ORDER,
    EventQuestion,
    Registration,
    RegistrationSource,
    RegistrationStatus,
)
from boostcamp.registrations.signup import Outcome, RegistrationClosed
from boostcamp.registrations.staff_forms import MessageForm, QuestionForm
from boostcamp.registrations.waiting_list import CancelReason

bp = Blueprint("staff_registrations", __name__, url_prefix="/staff/events/<slug>")

PER_PAGE = 50


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


def _filters() -> tuple[str, RegistrationStatus | None]:
    search = request.args.get("q", "").strip()
    try:
        status = RegistrationStatus(request.args.get("status", ""))
    except ValueError:
        status = None
    return search, status


def _registration_or_404(event: Event, registration_id: int) -> Registration:
    return owned_or_404(Registration, registration_id, event_id=event.id)


def shown_answer(value: Any) -> str:
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def answers_by_question(registration: Registration) -> dict[int, str]:
    return {a.question_id: shown_answer(a.value) for a in registration.answers}


@bp.get("/registrations")
@login_required
def list_registrations(slug: str):
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    search, status = _filters()
    page = paginate(
        staff_list.registrations_query(event, search=search, status=status),
        page=request.args.get("page"), per_page=PER_PAGE,
    )  # fmt: skip
    counts = seats.status_counts(event)
    return render_template(
        "staff/registrations/list.html",
        event=event,
        page=page,
        search=search,
        status=status,
        counts={s: counts[s] for s in STAFF_ORDER},
        total=sum(counts.values()),
        questions=form_questions.event_questions(event, for_reviewers=False),
        answers={r.id: answers_by_question(r) for r in page.items},
        positions=waiting_list.waiting_positions(event),
        form=ActionForm(),
        now=utcnow(),
    )


@bp.route("/registrations/<int:registration_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel_registration(slug: str, registration_id: int):
    """Asked first: the person is mailed at once and their seat goes to someone else."""
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    registration = _registration_or_404(event, registration_id)
    form = ActionForm()
    if form.validate_on_submit():
        name = registration.full_name
        waiting_list.cancel_registration(registration, reason=CancelReason.STAFF, actor=web_actor())
        flash(_("The registration of %(name)s is cancelled; they are told by mail.", name=name),
              "success")  # fmt: skip
        return redirect(url_for(".list_registrations", slug=slug, **request.args))
    return render_template("staff/registrations/cancel.html", event=event,
                           registration=registration, form=form)  # fmt: skip


@bp.route("/registrations/<int:registration_id>/edit", methods=["GET", "POST"])
@login_required
def edit_registration(slug: str, registration_id: int):
    """Correct a registration, and write a note for the door. A person's name and phone
    are theirs in every registration, with other platforms too: only the centre's staff
    correct those."""
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    registration = _registration_or_404(event, registration_id)
    person_details = can(current_user, Action.MANAGE_ALL)
    questions = form_questions.event_questions(event)
    form = registration_form(questions, None if request.method == "POST" else registration)
    if not person_details:
        del form.first_name, form.last_name, form.phone
    if form.validate_on_submit():
        with refusal_onto(form, ValidationFailed):
            changed = corrections.update_registration(
                registration, form.changes(person_details), questions=questions, actor=web_actor()
            )
            if changed:
                flash(_("The registration of %(name)s is saved.", name=registration.full_name),
                      "success")  # fmt: skip
            return redirect(url_for(".list_registrations", slug=slug, **request.args))
    return render_template("staff/registrations/edit.html", event=event, form=form,
                           registration=registration, person_details=person_details)  # fmt: skip


@bp.post("/registrations/<int:registration_id>/confirm")
@login_required
def confirm_registration(slug: str, registration_id: int):
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    registration = _registration_or_404(event, registration_id)
    if ActionForm().validate_on_submit():
        name = registration.full_name
        with refusal_flashed():
            over_capacity = waiting_list.confirm_from_waiting_list(registration, actor=web_actor())
            flash(_("%(name)s has a seat; they are told by mail.", name=name), "success")
            if over_capacity:
                flash(_("The event now has more participants than its capacity."), "warning")
    return redirect(url_for(".list_registrations", slug=slug, **request.args))


@bp.route("/registrations/new", methods=["GET", "POST"])
@login_required
def add_registration(slug: str):
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    questions = form_questions.event_questions(event)
    form = staff_sign_up_form(questions)
    if form.validate_on_submit():
        with refusal_onto(form, ValidationFailed, RegistrationClosed):
            result = signup.register(event, _staff_sign_up(form, event), questions=questions)
            flash(_added_message(result.outcome, result.registration.full_name), "success")
            return redirect(url_for(".list_registrations", slug=slug))
    return render_template("staff/registrations/add.html", event=event, form=form,
                           questions=questions)  # fmt: skip


def _staff_sign_up(form, event: Event):
    """The form's sign-up, said to be made by the staff member for the person."""
    sign_up = form.sign_up(event.language)
    sign_up.source = RegistrationSource.STAFF
    sign_up.known_to_caller = knows_person(current_user, sign_up.email)
    sign_up.asserted_by = consents.actor_label(current_user)
    sign_up.registered_by = consents.actor_display(current_user, event)
    return sign_up


def _added_message(outcome: Outcome, name: str) -> str:
    return {
        Outcome.CONFIRMED: _("%(name)s is registered; their ticket is on its way by mail.",
                             name=name),
        Outcome.WAITLISTED: _("The event is full: %(name)s is on the waiting list.", name=name),
        Outcome.ALREADY_REGISTERED: _("%(name)s was registered already.", name=name),
    }[outcome]  # fmt: skip


# ---------------------------------------------------------------- exports


def _export_rows(event: Event) -> tuple[list[str], list[list[Any]]]:
    search, status = _filters()
    questions: list[EventQuestion] = form_questions.event_questions(event, for_reviewers=False)
    positions = waiting_list.waiting_positions(event)
    zone = event.zone
    header = [_("Last name"), _("First name"), _("E-mail"), _("Phone"), _("Company or project"),
              _("Profile"), _("Status"), _("Place on the waiting list"), _("Registered at"),
              _("Ticket"), *(q.label for q in questions)]  # fmt: skip
    rows = []
    query = staff_list.registrations_query(event, search=search, status=status)
    for r in db.session.scalars(query):
        answers = answers_by_question(r)
        local: datetime = r.created_at.astimezone(zone).replace(tzinfo=None)
        rows.append([
            r.last_name, r.first_name, r.person.email, r.phone,
            r.organisation_name, str(r.profile.label), str(r.status.label), positions.get(r.id),
            local, r.ticket_code,
            *(answers.get(q.id, "") for q in questions),
        ])  # fmt: skip
    return header, rows


@bp.get("/registrations.csv", endpoint="export_csv", defaults={"fmt": "csv"})
@bp.get("/registrations.xlsx", endpoint="export_xlsx", defaults={"fmt": "xlsx"})
@login_required
def export(slug: str, fmt: str):
    """The registrations as CSV or XLSX: the same rows."""
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    header, rows = _export_rows(event)
    return exports.table(fmt, header, rows, name=f"{event.slug}-registrations",
                         title=_("Registrations"))  # fmt: skip


# ---------------------------------------------------------------- the event's own questions
# Part of the event's sign-up form: whoever may edit the event (EDIT_EVENT) manages them.


def _question_or_404(event: Event, question_id: int) -> EventQuestion:
    return owned_or_404(EventQuestion, question_id, event_id=event.id)


@bp.get("/questions")
@login_required
def list_questions(slug: str):
    event = event_or_404(slug, Action.EDIT_EVENT)
    return render_template(
        "staff/registrations/questions.html", event=event,
        questions=form_questions.event_questions(event), form=ActionForm(),
    )  # fmt: skip


@bp.route("/questions/new", methods=["GET", "POST"], defaults={"question_id": None})
@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(slug: str, question_id: int | None):
    event = event_or_404(slug, Action.EDIT_EVENT)
    question = _question_or_404(event, question_id) if question_id else None
    form = QuestionForm()
    if question is not None and not form.is_submitted():
        form = QuestionForm(obj=question, choices="\n".join(question.choices),
                            kind=question.kind.value)  # fmt: skip
    if form.validate_on_submit():
        with refusal_onto(form, ValidationFailed):
            form_questions.save_question(
                event, question, label=form.label.data, kind=form.kind.data,
                help_text=form.help_text.data, choices=form.choice_list(),
                required=form.required.data, show_at_checkin=form.show_at_checkin.data,
                for_reviewers=form.for_reviewers.data,
            )  # fmt: skip
            flash(_("The question is saved."), "success")
            return redirect(url_for(".list_questions", slug=slug))
    return render_template("staff/registrations/question_form.html", event=event, form=form,
                           question=question)  # fmt: skip


@bp.route("/questions/<int:question_id>/delete", methods=["GET", "POST"])
@login_required
def delete_question(slug: str, question_id: int):
    event = event_or_404(slug, Action.EDIT_EVENT)
    question = _question_or_404(event, question_id)
    form = ActionForm()
    if form.validate_on_submit():
        form_questions.delete_question(question)
        flash(_("The question and its answers are deleted."), "success")
        return redirect(url_for(".list_questions", slug=slug))
    return render_template("staff/registrations/question_delete.html", event=event,
                           question=question, answers=form_questions.answer_count(question),
                           form=form)  # fmt: skip


@bp.post("/questions/<int:question_id>/move")
@login_required
def move_question(slug: str, question_id: int):
    event = event_or_404(slug, Action.EDIT_EVENT)
    question = _question_or_404(event, question_id)
    if ActionForm().validate_on_submit():
        form_questions.move_question(event, question, -1 if request.form.get("to") == "up" else 1)
    return redirect(url_for(".list_questions", slug=slug))


# ---------------------------------------------------------------- message everyone registered


@bp.route("/message", methods=["GET", "POST"])
@login_required
def message_registered(slug: str):
    event = event_or_404(slug, Action.VIEW_PARTICIPANTS)
    form = MessageForm()
    if form.validate_on_submit():
        with refusal_onto(form, ValidationFailed):
            sent = notifications.message_registered(
                event, subject=form.subject.data, text=form.text.data, statuses=form.statuses.data,
                actor=web_actor(),
            )
            flash(ngettext("The message is on its way to %(num)d person.",
                           "The message is on its way to %(num)d people.", sent),
                  "success")  # fmt: skip
            return redirect(url_for(".list_registrations", slug=slug))
    counts = seats.status_counts(event)
    return render_template("staff/registrations/message.html", event=event, form=form,
                           counts={s.value: n for s, n in counts.items()})  # fmt: skip
