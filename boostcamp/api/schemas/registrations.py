"""Registrations in the partner API: the list's filters, a new registration, what is read back,
and a decision on an application.
"""

import marshmallow as ma
from marshmallow import fields, validate

from boostcamp.api.schemas.fields import PageInfo, StrictSchema, page_field, text
from boostcamp.core.i18n import N_
from boostcamp.registrations.models import Profile, QuestionKind, RegistrationStatus
from boostcamp.registrations.signup import MAX_LENGTHS


class RegistrationQuery(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    page = page_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    status = fields.Enum(
        RegistrationStatus, by_value=True, error_messages={"unknown": N_("Unknown status.")}
    )


class NewRegistration(StrictSchema):
    """Someone a platform registers: the rules, checks and mails of the public form apply."""

    first_name = text(limit=MAX_LENGTHS["first_name"], required=True)
    last_name = text(limit=MAX_LENGTHS["last_name"], required=True)
    email = text(limit=254, required=True)
    profile = fields.String(
        load_default=Profile.OTHER.value, metadata={"enum": [p.value for p in Profile]}
    )
    organisation = text(
        limit=MAX_LENGTHS["organisation_name"], allow_none=True,
        metadata={"description": "Their company or project."},
    )  # fmt: skip
    phone = text(limit=MAX_LENGTHS["phone"], allow_none=True)
    city = text(
        limit=MAX_LENGTHS["city"], allow_none=True,
        metadata={"description": "Where they live or work (asked on applications: the jury "
                                 "filters and sorts by it); trimmed, empty: none."},
    )  # fmt: skip
    consent = fields.Boolean(
        required=True,
        metadata={"description": "Must be true: they accepted the centre's privacy notice."},
    )
    consent_followup = fields.Boolean(
        load_default=False, metadata={"description": "They accept news of later events."}
    )
    language = fields.String(
        load_default="fr",
        validate=validate.OneOf(("fr", "nl", "en"), error=N_("Choose fr, nl or en.")),
        metadata={"description": "Of their mails, if the address is new to the centre."},
    )
    answers = fields.Dict(
        keys=fields.Integer(
            error_messages={"invalid": N_("A question is given by its id, a number.")}
        ),
        values=fields.Raw(allow_none=True),
        load_default=dict,
        error_messages={
            "invalid": N_("Give the answers as an object, from question id to answer.")
        },
        metadata={
            "description": "The event's own questions: {question id: answer}; an answer is a "
            "string, a list of strings (multiple choice) or a boolean (yes/no)."
        },
    )


class QuestionOut(ma.Schema):
    class Meta:
        ordered = True

    id = fields.Integer(metadata={"description": "The key of its answer when registering."})
    label = fields.String()
    help_text = fields.String(allow_none=True)
    kind = fields.String(
        metadata={"enum": [k.value for k in QuestionKind],
                  "description": "short_text, long_text: a string; single_choice: one of "
                  "`choices`; multiple_choice: a list of them; yes_no: a boolean."}
    )  # fmt: skip
    choices = fields.List(fields.String())
    required = fields.Boolean()
    for_reviewers = fields.Boolean(metadata={
        "description": "Read by the event's reviewers only: its answer is left out of the "
                       "registrations' documents."})  # fmt: skip


class RegistrationOut(ma.Schema):
    class Meta:
        ordered = True

    id = fields.Integer(metadata={"description": "The registration's number (for a decision)."})
    ticket = fields.String(metadata={"description": "The code on their ticket (QR code)."})
    status = fields.Enum(RegistrationStatus, by_value=True)
    waiting_position = fields.Integer(
        allow_none=True, metadata={"description": "1: next in line; null unless waitlisted."}
    )
    offer_expires_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "Until when the seat offered is held."}
    )
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)
    profile = fields.String()
    organisation = fields.String(allow_none=True)
    city = fields.String(
        allow_none=True, metadata={"description": "Where they live or work, as they gave it."}
    )
    consent_followup = fields.Boolean()
    source = fields.String(metadata={"description": "form, api, staff or walk_in."})
    created_at = fields.AwareDateTime(
        metadata={"description": "When they registered (or came back after cancelling)."}
    )
    cancelled_at = fields.AwareDateTime(allow_none=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(),
        metadata={"description": "{question id: answer}, the same keys as when registering."},
    )


class DecisionIn(StrictSchema):
    """The organisers' decision on an application."""

    decision = fields.String(
        required=True,
        validate=validate.OneOf(("accept", "reject", "waitlist"),
                                error=N_("Choose accept, reject or wait-list.")),
        metadata={"enum": ["accept", "reject", "waitlist"],
                  "description": "accept: a seat (confirmed); reject; waitlist: the waiting list."},
    )  # fmt: skip
    message = text(
        limit=2000, multiline=True, allow_none=True,
        metadata={"description": "Kind words for a rejection, in the person's mail."},
    )  # fmt: skip
    over_capacity = fields.Boolean(
        load_default=False, metadata={"description": "Accept even beyond the capacity."}
    )


class RegistrationPage(ma.Schema):
    items = fields.List(fields.Nested(RegistrationOut))
    pagination = fields.Nested(PageInfo)
