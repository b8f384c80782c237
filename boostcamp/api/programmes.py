"""The partner API on programmes: /api/v1/programmes.

A token sees the programmes its organisation hosts or co-organises (the centre's: all);
only the centre's token creates them. Registering someone for a programme is the public
form's one sign-up (all its events, or its waiting list), with the shape of an event's
registration (NewRegistration); it needs the right to manage the programme's participants,
and a programme the token may not see answers 404.
"""


import marshmallow as ma
import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from boostcamp.core import json_errors as errors
from boostcamp.api.schemas.events import DESCRIPTION_MAX, OrganisationOut, TextsOut
from boostcamp.api.schemas.fields import (
    PageInfo,
    StrictSchema,
    UNKNOWN_LANGUAGE_MESSAGE,
    Texts,
    page_field,
    text,
)
from boostcamp.api.registrations import api_field_names, sign_up_of
from boostcamp.api.schemas.registrations import NewRegistration
from boostcamp.core.i18n import N_
from boostcamp.core.texts import LANGUAGES, merge_texts, split_texts
from boostcamp.audit.models import Actor
from boostcamp.api.views import blp, current_token, errors_documented, paged, token_target
from boostcamp.core.policy import Action, can, programmes_filter
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.programmes import catalogue, changes, editing, enrolment
from boostcamp.programmes.models import (
    Programme,
    ProgrammeRegistrationStatus,
)
from boostcamp.registrations import consents, signup
from boostcamp.registrations.models import RegistrationStatus

# ---------------------------------------------------------------- schemas


class ProgrammeQuery(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    page = page_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class NewProgramme(StrictSchema):
    title = Texts(200, required=True)
    summary = Texts(500, allow_none=True)
    description = Texts(DESCRIPTION_MAX, multiline=True, allow_none=True,
                        metadata={"description": "Markdown. A string (the programme's language), "
                                  "or {\"fr\": …, \"nl\": …, \"en\": …}."})  # fmt: skip
    language = fields.String(
        load_default="fr", validate=validate.OneOf(LANGUAGES, error=UNKNOWN_LANGUAGE_MESSAGE),
        metadata={"description": "The programme's own language: its texts need a title in it; "
                  "visitors reading another language see them when theirs is missing.",
                  "enum": list(LANGUAGES)},
    )  # fmt: skip
    requires_exam = fields.Boolean(load_default=False, metadata={
        "description": "true: the certificate also needs the exam passed, as staff record it."})
    kept_events = fields.List(
        text(Event.slug), load_default=list, validate=validate.Length(max=editing.MAX_EVENTS),
        metadata={"description": "Slugs among `events` that people may not sign up for alone "
                  "once the programme is published (its sign-up only)."},
    )  # fmt: skip
    required_events = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=1, max=editing.MAX_EVENTS),
        metadata={"description": "Events to attend for the certificate; null: all of them."},
    )  # fmt: skip
    events = fields.List(
        text(Event.slug), load_default=list, validate=validate.Length(max=editing.MAX_EVENTS),
        metadata={"description": "Slugs of its events: they may not overlap, and each is "
                  "organised by one of the programme's organisers."},
    )  # fmt: skip
    co_organisers = fields.List(text(Organisation.slug), load_default=list,
                                metadata={"description": "Slugs of co-organising platforms."})  # fmt: skip
    published = fields.Boolean(load_default=False,
                               metadata={"description": "true publishes it at once."})  # fmt: skip


class ProgrammeChanges(StrictSchema):
    """PATCH: only the fields given change, as on the staff form."""

    title = Texts(200)
    summary = Texts(500, allow_none=True)
    description = Texts(DESCRIPTION_MAX, multiline=True, allow_none=True,
                        metadata={"description": "Markdown. A string (the programme's language), "
                                  "or {\"fr\": …, \"nl\": …, \"en\": …}."})  # fmt: skip
    language = fields.String(
        validate=validate.OneOf(LANGUAGES, error=UNKNOWN_LANGUAGE_MESSAGE),
        metadata={"description": "The programme's own language: its texts need a title in it.",
                  "enum": list(LANGUAGES)},
    )  # fmt: skip
    requires_exam = fields.Boolean()
    required_events = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=1, max=editing.MAX_EVENTS),
        metadata={"description": "Events to attend for the certificate; null: all of them."},
    )  # fmt: skip
    events = fields.List(
        text(Event.slug), validate=validate.Length(max=editing.MAX_EVENTS),
        metadata={"description": "The whole list, by slug. A partner's token adds only events "
                  "it manages; an event someone holds a seat at through the programme stays "
                  "(409)."},
    )  # fmt: skip
    kept_events = fields.List(
        text(Event.slug), validate=validate.Length(max=editing.MAX_EVENTS),
        metadata={"description": "The whole list of its events taken only with the programme."},
    )  # fmt: skip
    co_organisers = fields.List(text(Organisation.slug), metadata={
        "description": "The whole list. Only the centre's token chooses them; a partner's "
                       "token may leave it out or send it unchanged (403 otherwise)."})  # fmt: skip
    published = fields.Boolean(metadata={
        "description": "true publishes a draft (the centre's token); false on a published "
                       "programme: 409."})  # fmt: skip

    @ma.validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(N_("Give at least one field to change."))


class ProgrammeEventOut(ma.Schema):
    slug = fields.String()
    title = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    status = fields.Enum(EventStatus, by_value=True)
    capacity = fields.Integer(allow_none=True)
    seats_left = fields.Integer(allow_none=True, metadata={"description": "null: no limit."})
    alone_allowed = fields.Boolean(metadata={
        "description": "false: sign-up for this event only through the programme."})
    url = fields.Url()


class ProgrammeOut(ma.Schema):
    class Meta:
        ordered = True

    slug = fields.String()
    url = fields.Url(metadata={"description": "The public page."})
    ics_url = fields.Url(metadata={"description": "Its events for a calendar (iCalendar)."})
    title = fields.String(metadata={"description": "In the programme's language."})
    language = fields.String()
    status = fields.Enum(EventStatus, by_value=True)
    summary = fields.String(allow_none=True)
    description = fields.String(allow_none=True, metadata={"description": "Markdown."})
    texts = fields.Nested(TextsOut, metadata={
        "description": "Every language's title, summary and description, as a POST takes them."})
    required_events = fields.Integer(allow_none=True)
    requires_exam = fields.Boolean()
    starts_at = fields.AwareDateTime(allow_none=True)
    ends_at = fields.AwareDateTime(allow_none=True)
    host = fields.Nested(OrganisationOut, allow_none=True)
    co_organisers = fields.List(fields.Nested(OrganisationOut))
    events = fields.List(fields.Nested(ProgrammeEventOut),
                         metadata={"description": "In the order they take place."})  # fmt: skip


class ProgrammePage(ma.Schema):
    items = fields.List(fields.Nested(ProgrammeOut))
    pagination = fields.Nested(PageInfo)


class ProgrammeRegistrationEventOut(ma.Schema):
    event = fields.String(metadata={"description": "The event's slug."})
    status = fields.Enum(RegistrationStatus, by_value=True)
    ticket = fields.String()


class ProgrammeRegistrationOut(ma.Schema):
    class Meta:
        ordered = True

    status = fields.Enum(ProgrammeRegistrationStatus, by_value=True, metadata={
        "description": "confirmed: registered for every event; waitlisted: for none of them, "
        "on the programme's waiting list (one event was full)."})  # fmt: skip
    email = fields.String()
    first_name = fields.String()
    last_name = fields.String()
    registrations = fields.List(fields.Nested(ProgrammeRegistrationEventOut))
    full = fields.List(fields.String(), metadata={
        "description": "Slugs of the events that had no seat (when waitlisted)."})  # fmt: skip
    created_at = fields.AwareDateTime()


# ---------------------------------------------------------------- routes


def load_programme(slug: str, action: Action = Action.VIEW_PROGRAMME) -> Programme:
    """The programme, if the token may see it: otherwise 404, as load_event."""
    return token_target(catalogue.get_by_slug(slug), Action.VIEW_PROGRAMME, action,
                        _l("No such programme."), _l("This token may not change this programme."))  # fmt: skip


@blp.route("/programmes", methods=["GET"])
@blp.arguments(ProgrammeQuery, location="query")
@blp.response(200, ProgrammePage)
@errors_documented(401)
def list_programmes(query):
    """Programmes of the token's organisation

    Those it hosts or co-organises, drafts included (the centre's token: every programme),
    the latest first. Paginated: `page`, `per_page` (at most 100).
    """
    statement = catalogue.programmes_query(programmes_filter(current_token()))
    return paged(statement, query, lambda programmes: [programme_document(p) for p in programmes])


@blp.route("/programmes", methods=["POST"])
@blp.arguments(NewProgramme)
@blp.response(201, ProgrammeOut)
@errors_documented(401, 403, 409, 422)
def create_programme(data):
    """Create a programme

    The centre's token only; it hosts the programme. `events` and `co_organisers` are slugs.
    """
    token = current_token()
    if not can(token, Action.CREATE_PROGRAMME):
        raise errors.Forbidden(_l("Only the centre creates programmes."))
    events_, problems = _by_slug(Event, data["events"], "events")
    orgs, org_problems = _by_slug(Organisation, data["co_organisers"], "co_organisers")
    problems.update(org_problems)
    if problems:
        raise ValidationFailed(problems)
    kept = set(data["kept_events"]) - set(data["events"])
    if kept:
        raise ValidationFailed({"kept_events": _l("Not among the programme's events: %(slugs)s.",
                                                  slugs=", ".join(sorted(kept)))})  # fmt: skip
    given = {f: data[f] for f in ("title", "summary", "description") if f in data}
    texts = split_texts(data["language"], merge_texts({}, data["language"], given),
                        ("title", "summary", "description"))  # fmt: skip
    programme = editing.create_programme(
        host=token.organisation, co_organisers=orgs, events=events_,
        kept_events=[e for e in events_ if e.slug in data["kept_events"]],
        title=texts.pop("title") or "", **texts, language=data["language"],
        required_events=data.get("required_events"), requires_exam=data["requires_exam"],
        api_token=token,
    )  # fmt: skip
    if data["published"]:
        editing.publish_programme(programme, api_token=token)
    programme = catalogue.get_by_slug(programme.slug)
    url = url_for("api.get_programme", slug=programme.slug, _external=True)
    return programme_document(programme), 201, {"Location": url}


@blp.route("/programmes/<slug>", methods=["GET"])
@blp.response(200, ProgrammeOut)
@errors_documented(401, 404)
def get_programme(slug):
    """One programme, with its events in order and their seats"""
    return programme_document(load_programme(slug))


@blp.route("/programmes/<slug>", methods=["PATCH"])
@blp.arguments(ProgrammeChanges)
@blp.response(200, ProgrammeOut)
@errors_documented(400, 401, 403, 404, 409)
def update_programme(data, slug):
    """Change a programme

    What the staff form changes, with its rules: only the fields given change; `events`,
    `kept_events` and `co_organisers` are whole lists of slugs. `published: true` publishes a
    draft (the centre's token). A programme the token may not see answers 404.
    """
    programme = load_programme(slug, Action.EDIT_PROGRAMME)
    changes.change_programme(current_token(), programme, data)
    return programme_document(catalogue.get_by_slug(programme.slug))


@blp.route("/programmes/<slug>/cancel", methods=["POST"])
@blp.response(200, ProgrammeOut)
@errors_documented(401, 403, 404)
def cancel_programme(slug):
    """Cancel a programme

    The centre's token only, as on the staff page: it takes no more sign-ups; its events
    and the registrations for them stay as they are. Cancelling twice changes nothing.
    """
    programme = load_programme(slug, Action.PUBLISH_PROGRAMME)
    editing.cancel_programme(programme, api_token=current_token())
    return programme_document(catalogue.get_by_slug(programme.slug))


@blp.route("/programmes/<slug>/registrations", methods=["POST"])
@blp.arguments(NewRegistration)
@blp.response(201, ProgrammeRegistrationOut)
@blp.alt_response(200, schema=ProgrammeRegistrationOut,
                  description="Already registered for the programme: nothing changed.")  # fmt: skip
@errors_documented(400, 401, 403, 404, 409, 422)
def create_programme_registration(data, slug):
    """Register someone for a programme

    One registration for every event of it, each with the rules and mails of the public
    form, or — one event full — for none of them: `waitlisted` on the programme's waiting
    list, with the `full` events. `answers` answers the questions of all its events (by
    question id); each answer goes to its event's registration. 409 `registration_closed`
    when the programme takes no sign-up (a draft, cancelled, or its first event has begun).
    """
    programme = load_programme(slug)
    token = current_token()
    # Who asserts the person's consent, as for an event's registration through the API.
    sign_up = sign_up_of(data, asserted_by=consents.actor_label(token),
                         registered_by=consents.actor_display(token, programme))  # fmt: skip
    with api_field_names():
        result = enrolment.sign_up(programme, sign_up, actor=Actor.of_token(token))
    known = sign_up.known_to_caller
    document = registration_document(result, None if known else sign_up)
    return document, 200 if result.outcome == enrolment.Outcome.ALREADY_REGISTERED else 201


# ---------------------------------------------------------------- documents


def _by_slug(model, slugs: list[str], field: str) -> tuple[list, dict]:
    wanted = list(dict.fromkeys(slugs))
    if not wanted:
        return [], {}
    found = {o.slug: o for o in db.session.scalars(sa.select(model).where(model.slug.in_(wanted)))}
    missing = [s for s in wanted if s not in found]
    problems = {field: _l("Unknown: %(slugs)s.", slugs=", ".join(missing))} if missing else {}
    return [found[s] for s in wanted if s in found], problems


def programme_document(programme: Programme) -> dict:
    events_ = programme.events
    left = catalogue.seats_left(programme)
    alone_allowed = {s.event_id: s.alone_allowed for s in programme.steps}
    url = url_for("programmes.show_programme", slug=programme.slug, _external=True)

    def local(event, value):
        return value.astimezone(event.zone)

    return {
        "slug": programme.slug, "url": url, "ics_url": f"{url}.ics", "title": programme.title,
        "language": programme.language, "status": programme.status,
        "summary": programme.summary, "description": programme.description,
        "texts": programme.texts_by_field(), "required_events": programme.required_events,
        "requires_exam": programme.requires_exam,
        "starts_at": local(events_[0], events_[0].starts_at) if events_ else None,
        "ends_at": local(events_[-1], events_[-1].ends_at) if events_ else None,
        "host": programme.host, "co_organisers": programme.co_organisers,
        "events": [
            {"slug": e.slug, "title": e.title, "starts_at": local(e, e.starts_at),
             "ends_at": local(e, e.ends_at), "status": e.status, "capacity": e.capacity,
             "seats_left": left[e.id], "alone_allowed": alone_allowed[e.id],
             "url": url_for("events.show_event", slug=e.slug, _external=True)}
            for e in events_
        ],
    }  # fmt: skip


def registration_document(result: enrolment.ProgrammeSignUpResult,
                          given: signup.SignUp | None = None) -> dict:  # fmt: skip
    """`given`: what the caller sent, shown instead of the person's own name when the caller
    never had them at its events (as for an event's registration)."""
    entry = result.programme_registration
    names = given or entry.person
    return {
        "status": entry.status, "email": entry.person.email,
        "first_name": names.first_name, "last_name": names.last_name,
        "registrations": [{"event": r.event.slug, "status": r.status, "ticket": r.ticket_code}
                          for r in result.registrations],
        "full": [e.slug for e in result.full],
        "created_at": entry.created_at,
    }  # fmt: skip
