"""The partner API on registrations: who registered for an event, and platforms registering
their own members (same rules and mails as the public form, source "api"); the event's own
questions, which anyone who may see the event may read.

Registrations need Action.VIEW_PARTICIPANTS: registering someone is managing the event's
participants, and the answer shows a participant's details. An event the token may not see
answers 404, as on the events endpoints.
"""


from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from boostcamp.api.schemas.registrations import (
    NewRegistration,
    QuestionOut,
    RegistrationOut,
    RegistrationPage,
    RegistrationQuery,
)
from boostcamp.api.views import blp, current_token, errors_documented, load_event, paged
from boostcamp.core.policy import Action, knows_person
from boostcamp.core.errors import ValidationFailed
from boostcamp.events.models import Event
from boostcamp.registrations import consents, questions, signup, waiting_list
from boostcamp.registrations.models import Registration, RegistrationSource, RegistrationStatus

# The form's field names where the API names them differently.
API_FIELD_NAMES = {"organisation_name": "organisation"}


@blp.route("/events/<slug>/registrations", methods=["GET"])
@blp.arguments(RegistrationQuery, location="query")
@blp.response(200, RegistrationPage)
@errors_documented(401, 404)
def list_registrations(query, slug):
    """Registrations of an event

    Everyone who registered, cancelled registrations included, in the order they registered
    (the order of the waiting list). `status` keeps one of `confirmed`, `waitlisted`,
    `offered` (a freed seat offered to someone waiting), `cancelled`, and for an event with
    admission by application `applied` (not decided yet) or `rejected`.
    Paginated: `page`, `per_page` (at most 100).
    """
    event = load_event(slug, Action.VIEW_PARTICIPANTS)
    statement = (
        sa.select(Registration)
        .where(Registration.event_id == event.id)
        .options(joinedload(Registration.person), selectinload(Registration.answers))
        .order_by(Registration.created_at, Registration.id)
    )
    if "status" in query:
        statement = statement.where(Registration.status == query["status"])
    positions = waiting_list.waiting_positions(event)
    return paged(statement, query, lambda registrations: [
        registration_document(r, event, positions.get(r.id)) for r in registrations
    ])  # fmt: skip


@blp.route("/events/<slug>/questions", methods=["GET"])
@blp.response(200, QuestionOut(many=True))
@errors_documented(401, 404)
def list_questions(slug):
    """The event's own questions

    The questions its sign-up form asks besides the usual fields, in the form's order. When
    registering someone, give their answers as `answers`: {question id: answer}.
    """
    event = load_event(slug)
    return questions.event_questions(event)


@blp.route("/events/<slug>/registrations", methods=["POST"])
@blp.arguments(NewRegistration)
@blp.response(201, RegistrationOut)
@blp.alt_response(200, schema=RegistrationOut, description="Already registered: nothing changed.")
@errors_documented(400, 401, 404, 409, 422)
def create_registration(data, slug):
    """Register someone

    A seat while any is left (`confirmed`), else the waiting list (`waitlisted`, with its
    `waiting_position`); they get the same mails as on the public form. An address already
    registered gets no second registration: the answer is 200 with the registration as it
    is (so that a retried request is harmless), the details sent are ignored, and the person
    is mailed their personal link again, as the form does. 409 `registration_closed` when
    people may not register (not open yet, closed, cancelled).
    """
    event = load_event(slug, Action.VIEW_PARTICIPANTS)
    with api_field_names():
        result = signup.register(event, sign_up_of(
            data, asserted_by=consents.actor_label(current_token()),
            registered_by=consents.actor_display(current_token(), event),
        ))  # fmt: skip
    registration = result.registration
    document = registration_document(registration, registration.event, result.position)
    created = result.outcome != signup.Outcome.ALREADY_REGISTERED
    return document, 201 if created else 200


def sign_up_of(data: dict, **more) -> signup.SignUp:
    """The sign-up a NewRegistration asks for (an event's or a programme's), by the token."""
    return signup.SignUp(
        email=data["email"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        consent=data["consent"],
        profile=data["profile"],
        organisation_name=data.get("organisation"),
        phone=data.get("phone"),
        city=data.get("city"),
        consent_followup=data["consent_followup"],
        answers=data["answers"],
        language=data["language"],
        source=RegistrationSource.API,
        known_to_caller=knows_person(current_token(), data["email"]),
        **more,
    )


@contextmanager
def api_field_names():
    """A sign-up refused (ValidationFailed) with the API's names for the form's fields."""
    try:
        yield
    except ValidationFailed as e:
        raise ValidationFailed(
            {API_FIELD_NAMES.get(name, name): message for name, message in e.errors.items()}
        ) from None


def registration_document(registration: Registration, event: Event, position: int | None) -> dict:
    """A registration as the API shows it; times in the event's own zone."""
    zone = event.zone
    person = registration.person
    if registration.status == RegistrationStatus.WAITLISTED and position is None:
        position = waiting_list.waiting_position(registration)  # already registered, waiting

    def local(value):
        return value.astimezone(zone) if value is not None else None

    return {
        "id": registration.id,
        "ticket": registration.ticket_code,
        "status": registration.status,
        "waiting_position": position,
        "offer_expires_at": local(registration.offer_expires_at),
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": person.email,
        "phone": registration.phone,
        "profile": registration.profile.value,
        "organisation": registration.organisation_name,
        "city": registration.city,  # names nobody: shown under blind review too, as on the web
        "consent_followup": registration.consent_followup,
        "source": registration.source.value,
        "created_at": local(registration.created_at),
        "cancelled_at": local(registration.cancelled_at),
        # Answers for reviewers only stay on the applications pages, like the scores.
        "answers": {str(a.question_id): a.value for a in registration.answers
                    if not a.question.for_reviewers},
    }
