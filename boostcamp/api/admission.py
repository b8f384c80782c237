"""The partner API on applications (boostcamp.admission): the organisers' decision.

Deciding needs Action.DECIDE_APPLICATIONS (the centre's token, a co-organising partner's
token); an event the token may not see answers 404. Reviewers' scores stay internal: the
API neither shows nor takes them.
"""

from boostcamp.admission import applications, decisions
from boostcamp.core import json_errors as errors
from boostcamp.api.registrations import registration_document
from boostcamp.api.schemas.registrations import DecisionIn, RegistrationOut
from boostcamp.api.views import blp, current_token, errors_documented, load_event
from boostcamp.core.policy import Action
from boostcamp.extensions import db


@blp.route("/events/<slug>/registrations/<int:registration_id>/decision", methods=["POST"])
@blp.arguments(DecisionIn)
@blp.response(200, RegistrationOut)
@errors_documented(400, 401, 403, 404, 409, 422)
def decide(data, slug, registration_id):
    """Decide on an application

    For an event with admission by application: `accept` gives a seat (`confirmed`), never
    beyond the capacity unless `over_capacity` is true (409 `capacity` otherwise);
    `reject` (`rejected`, with an optional kind `message` in the mail) or `waitlist` (the
    waiting list and its offers). The person is mailed in their language, at once or when
    the organisers send the held decisions. 409 `conflict` for a withdrawn application or
    someone admitted already; 404 for a registration that is no application of this event.
    A decision equal to the present status changes nothing. Answers the registration.
    """
    event = load_event(slug, Action.DECIDE_APPLICATIONS)
    registration = applications.application(event, registration_id)
    try:
        decisions.decide(
            registration, data["decision"], message=data.get("message"),
            over_capacity=data["over_capacity"], api_token=current_token(),
        )  # fmt: skip
    except decisions.CapacityFull as e:
        db.session.rollback()
        return errors.error_response(409, e.code, e.message, {"capacity": str(e.message)})
    document = registration_document(registration, event, None)
    db.session.commit()
    return document
