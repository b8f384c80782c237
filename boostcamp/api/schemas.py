"""What the partner API reads and writes, as marshmallow schemas: they check shapes and types
(and feed the OpenAPI document); the rules of an event stay in boostcamp.events.services.

Error messages are English msgids, translated when the error body is built
(boostcamp.api.errors), so that a field's message follows the request's language.
"""

import marshmallow as ma
from flask_babel import gettext
from marshmallow import fields, validate

from boostcamp.checkin.scanning import TICKET_MAX
from boostcamp.checkin.schemas import ScanFields
from boostcamp.core import inputs
from boostcamp.core.i18n import N_
from boostcamp.core.texts import LANGUAGES
from boostcamp.events.models import (
    Admission,
    Audience,
    Event,
    EventKind,
    EventSession,
    EventStatus,
)
from boostcamp.organisations.models import Organisation
from boostcamp.organisations.services import SLUG_RE
from boostcamp.registrations.models import Profile, QuestionKind, RegistrationStatus
from boostcamp.registrations.services import MAX_LENGTHS

DESCRIPTION_MAX = 50_000  # a Text column: a generous limit so nobody stores megabytes
DATETIME_ERRORS = {
    "invalid": N_("Give a date and time with its time zone."),
    "invalid_awareness": N_("Give a date and time with its time zone."),
}


def column_length(column) -> int:
    return column.property.columns[0].type.length


class MaxLength(validate.Length):
    """Length(max=…) with the same message as the event services' own length check."""

    def __init__(self, limit: int):
        super().__init__(max=limit)

    def _format_error(self, value, message) -> str:
        return gettext("At most %(n)d characters.", n=self.max)


CONTROL_MESSAGE = N_("Remove the invisible control characters from this text.")
WINDOW_MESSAGE = N_("Give a date between 2000 and 2100.")
# Stated in the OpenAPI document as patterns (ECMA-262): what text_ok() refuses.
SINGLE_LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f]*$"
MULTI_LINE_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"


def text_ok(multiline: bool = False):
    """No NUL, control characters (but tab and newlines in a multi-line text) or lone
    surrogates (boostcamp.core.inputs)."""

    def check(value: str) -> None:
        if inputs.bad_text(value, multiline):
            raise ma.ValidationError(CONTROL_MESSAGE)

    return check


def text(column=None, *, limit: int | None = None, multiline: bool = False, **kwargs):
    """A string no longer than its column (or `limit`), without control characters."""
    metadata = {"pattern": MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN,
                **kwargs.pop("metadata", {})}  # fmt: skip
    return fields.String(
        validate=[MaxLength(limit or column_length(column)), text_ok(multiline)],
        metadata=metadata, **kwargs,
    )  # fmt: skip


def in_window(value) -> None:
    if not inputs.in_window(value):
        raise ma.ValidationError(WINDOW_MESSAGE)


def instant(**kwargs) -> fields.AwareDateTime:
    """An ISO 8601 date and time with its offset: "2030-03-30T09:00:00+02:00", between
    2000 and 2100."""
    metadata = kwargs.pop("metadata", {})
    description = metadata.get("description", "")
    metadata["description"] = (description + " " if description else "") + (
        "Between 2000-01-01 and 2100-12-31 (UTC)."
    )
    return fields.AwareDateTime(
        format="iso", error_messages=DATETIME_ERRORS, validate=in_window, metadata=metadata,
        **kwargs,
    )  # fmt: skip


class Texts(fields.Field):
    """A text in the event's own language (a plain string), or texts by language:
    {"fr": "…", "nl": "…", "en": "…"}; on a change, a language left out keeps its text and
    null removes it."""

    def __init__(self, limit: int, multiline: bool = False, **kwargs):
        self.limit, self.multiline = limit, multiline
        string = {"type": "string", "maxLength": limit,
                  "pattern": MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN}  # fmt: skip
        by_language = {
            "type": "object",
            "properties": {language: {**string, "nullable": True} for language in LANGUAGES},
            "additionalProperties": False,
            "minProperties": 1,
        }
        metadata = {
            "oneOf": [string, by_language],
            "description": "A string (the event's language), or "
            '{"fr": …, "nl": …, "en": …}.',
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)

    def _check(self, value: str) -> None:
        MaxLength(self.limit)(value)
        text_ok(self.multiline)(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            self._check(value)
            return value
        if not isinstance(value, dict) or not value:
            raise ma.ValidationError(BY_LANGUAGE_MESSAGE)
        errors = {}
        for language, text in value.items():
            if language not in LANGUAGES:
                errors[language] = [UNKNOWN_LANGUAGE_MESSAGE]
            elif text is not None and not isinstance(text, str):
                errors[language] = [BY_LANGUAGE_MESSAGE]
            elif text is not None:
                try:
                    self._check(text)
                except ma.ValidationError as e:
                    errors[language] = e.messages
        if errors:
            raise ma.ValidationError(errors)
        return dict(value)


BY_LANGUAGE_MESSAGE = N_('Give a text, or texts by language: {"fr": …, "nl": …}.')
UNKNOWN_LANGUAGE_MESSAGE = N_("Choose French, Dutch or English.")


class AtMost(validate.Range):
    """The INTEGER columns' maximum, with the services' message in the request's language.
    (The minimum is the services' rule: stated in the document, checked with the others.)"""

    def __init__(self):
        super().__init__(max=inputs.INTEGER_MAX)

    def _format_error(self, value, message) -> str:
        return gettext("At most %(n)d.", n=self.max)


def number(minimum: int = 0, **kwargs) -> fields.Integer:
    """A whole number that fits the INTEGER columns."""
    metadata = {"minimum": minimum, **kwargs.pop("metadata", {})}
    return fields.Integer(strict=True, validate=AtMost(), metadata=metadata, **kwargs)


def page_field() -> fields.Integer:
    return fields.Integer(load_default=1, validate=validate.Range(min=1, max=inputs.PAGE_MAX))


class Day(fields.Date):
    """A YYYY-MM-DD filter; a day before 2000 or after 2100 counts as the window's edge."""

    def __init__(self, **kwargs):
        metadata = kwargs.pop("metadata", {})
        metadata["description"] = (metadata.get("description", "") + " Days before 2000 or "
                                   "after 2100 count as 2000-01-01 or 2100-12-31.").strip()
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return inputs.clamp_day(super()._deserialize(value, attr, data, **kwargs))


class Since(fields.AwareDateTime):
    """An instant used as a filter: outside 2000–2100 it counts as the window's edge."""

    def __init__(self, **kwargs):
        super().__init__(format="iso", error_messages=DATETIME_ERRORS, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return min(max(value, inputs.EARLIEST), inputs.LATEST)


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE  # a misspelt field is an error, not silently ignored
        ordered = True


# ---------------------------------------------------------------- input


class SessionIn(StrictSchema):
    id = number(1, metadata={"description": "To keep an existing session (PATCH)."})
    title = text(EventSession.title, required=True)
    starts_at = instant(required=True)
    ends_at = instant(required=True)
    venue = text(EventSession.venue, allow_none=True)


class EventChanges(StrictSchema):
    """PATCH: only the fields given change."""

    title = Texts(column_length(Event.title))
    kind = fields.Enum(
        EventKind, by_value=True, error_messages={"unknown": N_("Unknown kind of event.")}
    )
    summary = Texts(column_length(Event.summary), allow_none=True)
    description = Texts(
        DESCRIPTION_MAX, multiline=True, allow_none=True, metadata={"description": (
            "Markdown. A string (the event's language), or {\"fr\": …, \"nl\": …, \"en\": …}.")}
    )  # fmt: skip
    city = text(Event.city)
    venue = text(Event.venue, allow_none=True)
    address = text(Event.address, allow_none=True)
    starts_at = instant()
    ends_at = instant()
    timezone = text(Event.timezone, metadata={"description": "IANA zone; Europe/Brussels."})
    capacity = number(allow_none=True, metadata={"description": "Seats; null: no limit."})
    registration_opens_at = instant(allow_none=True)
    registration_closes_at = instant(allow_none=True)
    language = fields.String(
        validate=validate.OneOf(LANGUAGES, error=UNKNOWN_LANGUAGE_MESSAGE),
        metadata={"description": "The event's own language: its texts must have a title in "
                  "it; visitors reading another language see them when theirs is missing.",
                  "enum": list(LANGUAGES)},
    )  # fmt: skip
    admission = fields.Enum(
        Admission, by_value=True,
        error_messages={"unknown": N_("Choose open registration or admission by application.")},
        metadata={"description": "open: first come, first served; application: people apply "
                  "(status applied) and the organisers decide."},
    )  # fmt: skip
    applications_close_at = instant(
        allow_none=True, metadata={"description": "No applications after this."}
    )
    audiences = fields.List(
        fields.Enum(Audience, by_value=True, error_messages={"unknown": N_("Unknown audience.")})
    )
    co_organisers = fields.List(
        text(Organisation.slug),
        metadata={"description": (
            "Slugs of the co-organising organisations: the whole list. Only the centre's token "
            "chooses them; a partner's token may leave them out or send its event's own list "
            "unchanged (403 otherwise).")},  # fmt: skip
    )
    published = fields.Boolean(
        metadata={"description": "true publishes a draft, if this token may publish."}
    )
    sessions = fields.List(
        fields.Nested(SessionIn),
        metadata={
            "description": "The whole agenda: give each kept session its id, or it is "
            "replaced (and loses its check-ins)."
        },
    )

    @ma.validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ma.ValidationError(N_("Give at least one field to change."))


class NewEvent(EventChanges):
    slug = fields.String(
        validate=[
            MaxLength(column_length(Event.slug)),
            validate.Regexp(
                SLUG_RE, error=N_("A slug has only lower-case letters, digits and dashes.")
            ),
        ],
        metadata={"description": "Optional; made from the title and month when left out."},
    )
    title = Texts(column_length(Event.title), required=True)
    kind = fields.Enum(
        EventKind, by_value=True, required=True,
        error_messages={"unknown": N_("Unknown kind of event.")},
    )  # fmt: skip
    city = text(Event.city, required=True)
    starts_at = instant(required=True)
    ends_at = instant(required=True)


class EventQuery(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE  # cache-busting parameters and the like are harmless

    page = page_field()
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    status = fields.Enum(
        EventStatus, by_value=True, error_messages={"unknown": N_("Unknown status.")}
    )
    from_ = Day(
        data_key="from",
        metadata={"description": "Only events that end on or after this day (YYYY-MM-DD)."},
    )


# ---------------------------------------------------------------- output


class OrganisationOut(ma.Schema):
    slug = fields.String()
    name = fields.String()


class SessionOut(ma.Schema):
    id = fields.Integer()
    title = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    venue = fields.String(allow_none=True)


class TextsOut(ma.Schema):
    title = fields.Dict(keys=fields.String(), values=fields.String())
    summary = fields.Dict(keys=fields.String(), values=fields.String())
    description = fields.Dict(keys=fields.String(), values=fields.String())


class EventOut(ma.Schema):
    """Times are given in the event's own time zone, with their offset."""

    class Meta:
        ordered = True

    slug = fields.String()
    url = fields.Url(metadata={"description": "The public page."})
    ics_url = fields.Url(metadata={"description": "The event for a calendar (iCalendar)."})
    title = fields.String(metadata={"description": "In the event's language."})
    kind = fields.Enum(EventKind, by_value=True)
    status = fields.Enum(EventStatus, by_value=True)
    summary = fields.String(allow_none=True, metadata={"description": "In the event's language."})
    description = fields.String(
        allow_none=True, metadata={"description": "Markdown, in the event's language."}
    )
    texts = fields.Nested(
        TextsOut,
        metadata={"description": "Every language's title, summary and description, as a "
                  "POST or PATCH takes them (a language without a text is left out)."},
    )  # fmt: skip
    city = fields.String()
    venue = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    timezone = fields.String()
    capacity = fields.Integer(allow_none=True)
    seats_left = fields.Integer(allow_none=True, metadata={"description": "null: no limit."})
    registration_opens_at = fields.AwareDateTime(allow_none=True)
    registration_closes_at = fields.AwareDateTime(allow_none=True)
    language = fields.String()
    admission = fields.Enum(Admission, by_value=True)
    applications_close_at = fields.AwareDateTime(allow_none=True)
    audiences = fields.List(fields.Enum(Audience, by_value=True))
    host = fields.Nested(OrganisationOut, allow_none=True)
    co_organisers = fields.List(fields.Nested(OrganisationOut))
    sessions = fields.List(fields.Nested(SessionOut))


class PageInfo(ma.Schema):
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()
    pages = fields.Integer()


class EventPage(ma.Schema):
    items = fields.List(fields.Nested(EventOut))
    pagination = fields.Nested(PageInfo)


class ErrorOut(ma.Schema):
    """Every error of the API."""

    error = fields.String(
        metadata={"description": "bad_json, unauthorized, forbidden, not_found, conflict, "
                  "validation_failed …"}
    )  # fmt: skip
    message = fields.String()
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        values=fields.String(),
        metadata={"description": 'Message per field; nested as "sessions.0.starts_at".'},
    )


# ---------------------------------------------------------------- registrations


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


# ---------------------------------------------------------------- check-in


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
