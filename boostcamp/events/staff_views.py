"""The staff area: the events the signed-in centre staff or partner member may manage.

An event the user may not even see answers 404 (a partner guessing another partner's
addresses learns nothing); an event they see but may not change in that way answers 403.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import SelectChoice

from boostcamp.auth.models import ApiToken, User
from boostcamp.audit.models import AuditEntry
from boostcamp.core.forms import refusal_flashed, refusal_onto
from boostcamp.core.policy import Action, can, event_or_404, events_filter, require
from boostcamp.core.i18n import local_datetime
from boostcamp.core.texts import localized
from boostcamp.core.db import paginate, utcnow
from boostcamp.core.errors import DomainError
from boostcamp.events import availability, editing, queries
from boostcamp.events.forms import DuplicateForm, EventForm
from boostcamp.events.models import Audience, Event, EventKind, EventStatus
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation, OrganisationKind
from boostcamp.organisations.services import the_centre

bp = Blueprint("staff_events", __name__, url_prefix="/staff")

PER_PAGE = 20
HISTORY_ON_OVERVIEW = 10
HISTORY_PER_PAGE = 50


def _user() -> User:
    return current_user._get_current_object()


# ---------------------------------------------------------------- dashboard


def _managed_organisations() -> list[Organisation]:
    """The partner organisations whose members the user manages (not the centre's staff)."""
    orgs = [m.organisation for m in current_user.memberships]
    return sorted(
        (o for o in orgs if can(current_user, Action.MANAGE_ORGANISATION, o)),
        key=lambda o: o.name,
    )


def _runs_today(event: Event, now: datetime) -> bool:
    """The event is on today in its own zone: the day its door needs the check-in screen."""
    zone = event.zone
    today = now.astimezone(zone).date()
    first, last = event.starts_at.astimezone(zone).date(), event.ends_at.astimezone(zone).date()
    return event.status == EventStatus.PUBLISHED and first <= today <= last


def _to_review(now: datetime) -> tuple:
    """Partners' proposals still to come that the user may see: drafts for the centre."""
    return (
        events_filter(current_user),
        Event.status == EventStatus.DRAFT,
        Event.ends_at >= now,
        Event.proposed_by_organisation_id.is_not(None),
    )


def _dashboard_query(show: str, now: datetime) -> sa.Select:
    """The dashboard's tab: "past", "review" or (anything else) "upcoming"."""
    query = sa.select(Event).options(*queries.LIST_LOAD)
    if show == "past":
        query = query.where(events_filter(current_user), Event.ends_at < now)
        return query.order_by(Event.starts_at.desc())
    if show == "review":
        return query.where(*_to_review(now)).order_by(Event.starts_at)
    query = query.where(events_filter(current_user), Event.ends_at >= now)
    return query.order_by(Event.starts_at)


@bp.get("/")
@login_required
def dashboard():
    require(Action.ACCESS_STAFF_AREA)
    show = request.args.get("show", "upcoming")
    show = show if show in ("past", "review") else "upcoming"
    now = utcnow()
    query = _dashboard_query(show, now)
    page = paginate(
        query.order_by(Event.id), page=request.args.get("page"),
        per_page=PER_PAGE,
    )  # fmt: skip
    return render_template(
        "staff/dashboard.html",
        page=page,
        taken=availability.seats_taken(e.id for e in page.items),
        checkin_today={e.id for e in page.items if _runs_today(e, now)
                       and can(current_user, Action.CHECK_IN, e)},  # fmt: skip
        show=show,
        review_count=db.session.scalar(
            sa.select(sa.func.count(Event.id)).where(*_to_review(now))
        ),
        may_propose=can(current_user, Action.PROPOSE_EVENT),
        centre_wide=can(current_user, Action.MANAGE_ALL),
        managed_orgs=_managed_organisations(),
    )


# ---------------------------------------------------------------- create and edit


def _co_organiser_choices(keep: Sequence[Organisation] = ()) -> list[Organisation]:
    """Centre staff pick among every platform; a partner among the ones it manages."""
    if can(current_user, Action.CHOOSE_ORGANISERS):
        orgs = list(
            db.session.scalars(
                sa.select(Organisation).where(Organisation.kind == OrganisationKind.PLATFORM)
            )
        )
        orgs += [o for o in keep if o not in orgs]
    else:
        orgs = [o for o in _managed_organisations() if not o.is_centre]
    return sorted(orgs, key=lambda o: o.name.lower())


def _chosen(form: EventForm, orgs: list[Organisation]) -> list[Organisation]:
    by_id = {o.id: o for o in orgs}
    return [by_id[i] for i in form.co_organisers.data]


def _new_event_form(orgs: list[Organisation], proposing: bool) -> EventForm:
    form = EventForm()
    form.co_organisers.choices = [SelectChoice(o.id, o.name) for o in orgs]
    if proposing:  # a partner's proposal names at least one partner, its own if it has one
        form.min_co_organisers = 1
        if not form.is_submitted() and len(orgs) == 1:
            form.co_organisers.data = [orgs[0].id]
    return form


def _host() -> Organisation:
    centre = the_centre()
    if centre is None:
        raise DomainError(_l("There is no centre yet: create it under Organisations."))
    return centre


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def new_event():
    require(Action.PROPOSE_EVENT)
    proposing = not can(current_user, Action.CHOOSE_ORGANISERS)  # a partner: a draft for the centre
    orgs = _co_organiser_choices()
    form = _new_event_form(orgs, proposing)
    if form.validate_on_submit():
        with refusal_onto(form):
            event = editing.create_event(
                host=_host(),
                co_organisers=_chosen(form, orgs),
                sessions=form.agenda(),
                audiences=form.audiences.data,
                slug=form.slug.data or None,
                user=_user(),
                **form.event_fields(),
            )
            flash(_("Your proposal is saved. The centre’s staff will review and publish it.")
                  if proposing else _("The event is saved as a draft. Publish it when it is ready."),
                  "success")  # fmt: skip
            return redirect(url_for(".show_event", slug=event.slug))
    form.add_blank_sessions()
    return render_template(
        "staff/event_form.html", form=form, event=None, proposing=proposing, centre=the_centre()
    )


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_event(slug: str):
    event = event_or_404(slug, Action.EDIT_EVENT)
    if event.status == EventStatus.CANCELLED:
        flash(_("A cancelled event cannot be changed."), "error")
        return redirect(url_for(".show_event", slug=slug))
    # Partners edit their events but not who organises them: that stays the centre's call.
    chooses_organisers = can(current_user, Action.CHOOSE_ORGANISERS)
    if not chooses_organisers and "co_organisers" in request.form:
        abort(403)  # not on the partner's form: a forged attempt, refused as the API does
    orgs = _co_organiser_choices(keep=event.co_organisers) if chooses_organisers else []
    form = _edit_event_form(event, orgs if chooses_organisers else None)
    if form.validate_on_submit():
        with refusal_onto(form):
            editing.update_event(
                event,
                sessions=form.agenda(),
                co_organisers=_chosen(form, orgs) if chooses_organisers else None,
                audiences=form.audiences.data,
                user=_user(),
                **form.event_fields(),
            )
            flash(_("Changes saved."), "success")
            return redirect(url_for(".show_event", slug=slug))
    form.add_blank_sessions()
    return render_template(
        "staff/event_form.html", form=form, event=event, proposing=False, centre=event.host
    )


def _edit_event_form(event: Event, orgs: list[Organisation] | None) -> EventForm:
    """The event's form, without its address; without its organisers unless `orgs` are offered."""
    form = EventForm(zone=event) if request.method == "POST" else EventForm.for_event(event)
    del form.slug
    if orgs is None:
        del form.co_organisers
    else:
        form.co_organisers.choices = [SelectChoice(o.id, o.name) for o in orgs]
    return form


# ---------------------------------------------------------------- overview and history


FIELD_LABELS = {
    "title": _l("Title"), "kind": _l("Kind of event"), "summary": _l("Summary"),
    "description": _l("Description"), "language": _l("Language of the event"),
    "city": _l("City"), "venue": _l("Venue"), "address": _l("Address"),
    "starts_at": _l("Starts"), "ends_at": _l("Ends"), "timezone": _l("Time zone"),
    "capacity": _l("Capacity"), "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"), "sessions": _l("Agenda"),
    "co_organisers": _l("Co-organisers"), "audiences": _l("For whom"),
    "status": _l("Status"), "from": _l("Copied from"),
    "person": _l("Participant"), "fields": _l("What changed"),
    "translations": _l("Texts in other languages"),
}  # fmt: skip
ACTION_LABELS = {
    "created": _l("Created"), "updated": _l("Changed"), "published": _l("Published"),
    "cancelled": _l("Cancelled"), "duplicated": _l("Created as the next edition"),
    "message_sent": _l("Message sent to the participants"),
    "registration_changed": _l("Registration changed"),
    "attendance_corrected": _l("Attendance corrected"),
    "registration_cancelled": _l("Registration cancelled by the organisers"),
    "seat_given": _l("Seat given from the waiting list"),
}  # fmt: skip
# The registration fields a "registration_changed" entry lists.
REGISTRATION_FIELD_LABELS = {
    "profile": _l("Profile"), "organisation_name": _l("Company or project"),
    "note": _l("Note for the door"), "answers": _l("Answers"),
    "first_name": _l("First name"), "last_name": _l("Last name"), "phone": _l("Phone"),
}  # fmt: skip
# How a field's values read: by their enum's labels, or as they are.
VALUE_LABELS = {
    "status": EventStatus.label_of,
    "kind": EventKind.label_of,
    "audiences": Audience.label_of,
    "fields": lambda name: REGISTRATION_FIELD_LABELS.get(name, name),
}
LONGEST_VALUE = 80


@dataclass
class HistoryLine:
    at: datetime
    author: str
    action: str
    changes: list[tuple[str, str, str]]  # (what, before, after)


def _shown(field: str, value, event: Event) -> str:
    """One value of the audit log as a person reads it (times in the event's zone)."""
    if value is None or value == "" or value == []:
        return "—"
    if field == "sessions":
        return "; ".join(
            f"{s.get('title')} "
            f"({local_datetime(datetime.fromisoformat(s['starts_at']), 'day_time', event)})"
            for s in value
        )
    if field == "translations" and isinstance(value, dict):  # {"nl": {"title": …}}: the titles
        value = "; ".join(f"{lang}: {texts.get('title') or '…'}" for lang, texts in value.items())
    label = VALUE_LABELS.get(field, lambda v: v)
    if isinstance(value, list):
        return ", ".join(str(label(v)) for v in value)
    if field.endswith("_at") and isinstance(value, str):
        return local_datetime(datetime.fromisoformat(value), "day_time", event)
    text = str(label(value))
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


def _history_lines(entries: list[AuditEntry], event: Event) -> list[HistoryLine]:
    token_ids = {e.api_token_id for e in entries if e.api_token_id}
    tokens = {}
    if token_ids:
        query = sa.select(ApiToken).where(ApiToken.id.in_(token_ids))
        tokens = {t.id: t for t in db.session.scalars(query)}
    lines = []
    for entry in entries:
        if entry.user is not None:
            author = entry.user.name
        elif entry.api_token_id in tokens:
            token = tokens[entry.api_token_id]
            author = _("API key “%(name)s” of %(org)s", name=token.name,
                       org=token.organisation.name)  # fmt: skip
        else:
            author = _("Boostcamp itself")
        changes = [
            (str(FIELD_LABELS.get(field, field)), _shown(field, old, event),
             _shown(field, new, event))
            for field, (old, new) in (entry.changes or {}).items()
            if entry.action in ("updated", "registration_changed") or field == "from"
        ]
        action = str(ACTION_LABELS.get(entry.action, entry.action))
        lines.append(HistoryLine(entry.at, author, action, changes))
    return lines


def _history_query(event: Event) -> sa.Select:
    return (
        sa.select(AuditEntry)
        .where(AuditEntry.event_id == event.id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )


@bp.get("/events/<slug>")
@login_required
def show_event(slug: str):
    event = event_or_404(slug, Action.VIEW_EVENT)
    entries = list(db.session.scalars(_history_query(event).limit(HISTORY_ON_OVERVIEW + 1)))
    return render_template(
        "staff/event.html",
        event=event,
        taken=availability.seats_taken([event.id])[event.id],
        audiences=[a.label for a in event.audiences],
        history=_history_lines(entries[:HISTORY_ON_OVERVIEW], event),
        more_history=len(entries) > HISTORY_ON_OVERVIEW,
        may_edit=can(current_user, Action.EDIT_EVENT, event),
        may_publish=can(current_user, Action.PUBLISH_EVENT, event),
        may_duplicate=can(current_user, Action.DUPLICATE_EVENT, event),
        may_view_participants=can(current_user, Action.VIEW_PARTICIPANTS, event),
        may_check_in=can(current_user, Action.CHECK_IN, event),
    )


@bp.get("/events/<slug>/history")
@login_required
def event_history(slug: str):
    event = event_or_404(slug, Action.VIEW_EVENT)
    page = paginate(
        _history_query(event), page=request.args.get("page"),
        per_page=HISTORY_PER_PAGE,
    )  # fmt: skip
    return render_template(
        "staff/event_history.html", event=event, page=page, history=_history_lines(page.items, event)
    )


# ---------------------------------------------------------------- publish, cancel, duplicate


@bp.post("/events/<slug>/publish")
@login_required
def publish_event(slug: str):
    event = event_or_404(slug, Action.PUBLISH_EVENT)
    with refusal_flashed():
        editing.publish_event(event, user=_user())
        flash(_("“%(title)s” is published: it now appears in the public catalogue.",
                title=localized(event, "title")), "success")  # fmt: skip
    return redirect(url_for(".show_event", slug=slug))


@bp.route("/events/<slug>/cancel", methods=["GET", "POST"])
@login_required
def cancel_event(slug: str):
    event = event_or_404(slug, Action.PUBLISH_EVENT)
    if request.method == "POST":
        editing.cancel_event(event, user=_user())
        flash(_("“%(title)s” is cancelled.", title=localized(event, "title")), "success")
        return redirect(url_for(".show_event", slug=slug))
    return render_template(
        "staff/event_cancel.html", event=event, taken=availability.seats_taken([event.id])[event.id]
    )


@bp.route("/events/<slug>/duplicate", methods=["GET", "POST"])
@login_required
def duplicate_event(slug: str):
    # The copy is a new draft with the same organisers: only those who manage the event.
    event = event_or_404(slug, Action.DUPLICATE_EVENT)
    form = (DuplicateForm(zone=event) if request.method == "POST"
            else DuplicateForm(zone=event, starts_at=event.starts_at))  # fmt: skip
    if form.validate_on_submit():
        with refusal_onto(form):
            copy = editing.duplicate_event(event, form.starts_at.data, user=_user())
            flash(_("The next edition is saved as a draft: check its details."), "success")
            return redirect(url_for(".show_event", slug=copy.slug))
    return render_template("staff/event_duplicate.html", event=event, form=form)

