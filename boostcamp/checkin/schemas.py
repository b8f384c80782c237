"""A scan as JSON, one schema for the check-in screen and for the partner API (which adds
its event and ticket): the same rules and the same messages at the door and for a partner's
own scanner. Messages are English msgids, translated when the error body is built
(core.json_errors.flatten), so that they follow the request's language."""

import marshmallow as ma
from flask_babel import gettext
from marshmallow import fields, validate

from boostcamp.checkin.models import CheckInMethod
from boostcamp.checkin.scanning import DEVICE_MAX, NONCE_MAX, TICKET_MAX
from boostcamp.core import inputs
from boostcamp.core.i18n import N_

SCREEN_METHODS = (CheckInMethod.SCAN, CheckInMethod.TYPED, CheckInMethod.SEARCH)
WALK_IN_TEXT_MAX = 300  # the services say each field's own limit
CONTROL_MESSAGE = N_("Remove the invisible control characters from this text.")
DATETIME_ERRORS = {
    "invalid": N_("Give a date and time with its time zone."),
    "invalid_awareness": N_("Give a date and time with its time zone."),
}


class AtMostChars(validate.Length):
    def __init__(self, limit: int):
        super().__init__(max=limit)

    def _format_error(self, value, message) -> str:
        return gettext("At most %(n)d characters.", n=self.max)


def _plain_text(value: str) -> None:
    if inputs.bad_text(value):
        raise ma.ValidationError(CONTROL_MESSAGE)


def _in_window(value) -> None:
    if not inputs.in_window(value):  # a device whose clock says 1970 or 9999
        raise ma.ValidationError(str(inputs.DATE_MESSAGE))


def short_text(limit: int, **kwargs) -> fields.String:
    return fields.String(validate=[AtMostChars(limit), _plain_text], **kwargs)


class WholeNumber(fields.Integer):
    """An id: a JSON number, not a string nor true/false, that fits an INTEGER column."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(
            min=1, max=inputs.INTEGER_MAX, error=N_("Not a valid integer.")), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class ScanFields(ma.Schema):
    """What every scan says, wherever it comes from."""

    nonce = short_text(
        NONCE_MAX, required=True,
        metadata={"description": "Made by the device for this scan, unique (a UUID): sending "
                  "the same nonce again writes nothing and gives the same answer."},
    )  # fmt: skip
    session = WholeNumber(
        allow_none=True,
        metadata={"description": "The session's id. Left out: the session running when the "
                  "ticket was scanned, or the next one that day, else the first."},
    )  # fmt: skip
    scanned_at = fields.AwareDateTime(
        format="iso", allow_none=True, error_messages=DATETIME_ERRORS, validate=_in_window,
        metadata={"description": "When the device scanned it (an offline scan keeps its real "
                  "time); by default, now. Between 2000-01-01 and 2100-12-31 (UTC)."},
    )  # fmt: skip
    device = short_text(
        DEVICE_MAX, allow_none=True, metadata={"description": "Which door or phone."}
    )


class _ScreenSchema(ScanFields):
    """The screen's page sends what it holds: "" for nothing, the session's id as text."""

    class Meta:
        unknown = ma.EXCLUDE  # what the queue keeps for itself (a name to show) stays there

    @ma.pre_load
    def blanks_are_none(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = {k: (None if v == "" else v) for k, v in data.items()}
        if isinstance(data.get("session"), str) and data["session"].strip().isdigit():
            data["session"] = int(data["session"])
        return data


class ScreenScan(_ScreenSchema):
    """One scan of the screen's queue: a ticket (scanned or typed) or a person found."""

    method = fields.String(required=True, validate=validate.OneOf(
        [m.value for m in SCREEN_METHODS], error=N_("Not a valid way of checking in.")))
    ticket = short_text(TICKET_MAX, allow_none=True)
    registration_id = WholeNumber(allow_none=True)

    @ma.validates_schema(skip_on_field_errors=False, pass_original=True)
    def ticket_or_person(self, data, original, **kwargs):
        given = isinstance(original, dict) and any(
            original.get(name) not in (None, "") for name in ("ticket", "registration_id"))
        if not given:
            raise ma.ValidationError(N_("Give a ticket code or a registration."), "ticket")


class ScreenUndo(_ScreenSchema):
    entry_nonce = short_text(NONCE_MAX, required=True)


class ScreenWalkIn(_ScreenSchema):
    first_name = short_text(WALK_IN_TEXT_MAX, allow_none=True)
    last_name = short_text(WALK_IN_TEXT_MAX, allow_none=True)
    email = short_text(WALK_IN_TEXT_MAX, allow_none=True)
    organisation_name = short_text(WALK_IN_TEXT_MAX, allow_none=True)
    phone = short_text(WALK_IN_TEXT_MAX, allow_none=True)
    consent = fields.Raw(allow_none=True)  # only a JSON true is consent

    @ma.post_load
    def stripped(self, data, **kwargs):
        for name in ("first_name", "last_name", "email", "organisation_name", "phone"):
            value = (data.get(name) or "").strip()
            data[name] = value or None
        data["consent"] = data.get("consent") is True
        return data


class ScreenListQuery(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # session and q are read by their own views

    since = fields.AwareDateTime(format="iso", error_messages=DATETIME_ERRORS, validate=_in_window)

    @ma.pre_load
    def blank_is_none(self, data, **kwargs):
        return {k: v for k, v in data.items() if v != ""}
