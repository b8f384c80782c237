"""Check-ins in the partner API and on the check-in screen: the door's list, a scan, and what
the door's devices read back.
"""

import marshmallow as ma
from marshmallow import fields, validate

from boostcamp.api.schemas.events import SessionOut
from boostcamp.api.schemas.fields import (
    MaxLength,
    Since,
    StrictSchema,
    text,
    text_ok,
)
from boostcamp.checkin.scanning import TICKET_MAX
from boostcamp.checkin.schemas import ScanFields
from boostcamp.core import inputs
from boostcamp.events.models import Event
from boostcamp.registrations.models import RegistrationStatus


class CheckInListQuery(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    session = fields.Integer(
        validate=validate.Range(min=1, max=inputs.INTEGER_MAX),
        metadata={"description": "A session's id; by default the one running now, or the "
                  "next one today, else the first."}
    )  # fmt: skip
    q = fields.String(
        validate=[MaxLength(100), text_ok()],
        metadata={"description": "Search as you type: the first 20 whose name, e-mail, "
                  "organisation or ticket code has every word (any case, any accents)."},
    )  # fmt: skip
    since = Since(
        metadata={"description": "The `as_of` of the list the device holds: only the people "
                  "whose registration, details or check-ins changed since then (and in the "
                  "two minutes before), to merge into it. Ignored with `q`."},
    )  # fmt: skip


class NewCheckIn(StrictSchema, ScanFields):
    """One scan at the door: the check-in screen's fields (checkin.schemas), with the
    event and the ticket."""

    event = text(Event.slug, required=True, metadata={"description": "The event's slug."})
    ticket = text(
        limit=TICKET_MAX, required=True,
        metadata={"description": "The ticket code, as scanned or typed: case, spaces and "
                  "dashes do not matter."},
    )  # fmt: skip


class AnswerOut(ma.Schema):
    label = fields.String()
    value = fields.String()


class CheckInPersonOut(ma.Schema):
    """A registration as the door sees it."""

    class Meta:
        ordered = True

    ticket = fields.String()
    registration_id = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    organisation = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": [s.value for s in RegistrationStatus]})
    walk_in = fields.Boolean(metadata={"description": "Registered at the door."})
    note = fields.String(allow_none=True, metadata={"description": "The organisers' note."})
    answers = fields.List(
        fields.Nested(AnswerOut),
        metadata={"description": "Answers to the questions shown at check-in."},
    )
    checked_in_at = fields.String(
        allow_none=True,
        metadata={"description": "When they came in to this session (ISO 8601, the event's "
                  "zone); null: not yet."},
    )  # fmt: skip
    checked_in_by = fields.String(allow_none=True)


class CheckInOut(ma.Schema):
    class Meta:
        ordered = True

    result = fields.String(
        metadata={"enum": ["ok", "already_checked_in", "unknown_ticket", "cancelled",
                           "waitlisted", "wrong_event"],
                  "description": "waitlisted also for a seat offered and not taken yet."}
    )  # fmt: skip
    person = fields.Nested(
        CheckInPersonOut, allow_none=True,
        metadata={"description": "null for an unknown ticket and another event's ticket."},
    )  # fmt: skip
    checked_in_at = fields.AwareDateTime(
        allow_none=True,
        metadata={"description": "ok: this scan's time; already_checked_in: when they first "
                  "came in (see checked_in_by)."},
    )  # fmt: skip
    session = fields.Integer(allow_none=True, metadata={"description": "The session counted."})
    replayed = fields.Boolean(metadata={"description": "This nonce came before: nothing saved."})


class CountersOut(ma.Schema):
    checked_in = fields.Integer()
    expected = fields.Integer(metadata={"description": "Confirmed and offered registrations."})


class CheckInListOut(ma.Schema):
    class Meta:
        ordered = True

    session = fields.Nested(SessionOut, allow_none=True)
    counters = fields.Nested(CountersOut)
    as_of = fields.AwareDateTime(
        metadata={"description": "Give it as `since` next time to get only what changed."}
    )
    complete = fields.Boolean(
        metadata={"description": "False when `items` are only the changes since `since`."}
    )
    items = fields.List(fields.Nested(CheckInPersonOut))
