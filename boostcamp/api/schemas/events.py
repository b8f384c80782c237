"""Events in the partner API: what a partner sends to create or change one, and what it reads.
The rules of an event stay in boostcamp.events.rules; these check shapes and types.
"""

import marshmallow as ma
from marshmallow import fields, validate

from boostcamp.api.schemas.fields import (
    UNKNOWN_LANGUAGE_MESSAGE,
    Day,
    MaxLength,
    PageInfo,
    StrictSchema,
    Texts,
    column_length,
    instant,
    number,
    page_field,
    text,
)
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

DESCRIPTION_MAX = 50_000  # a Text column: a generous limit so nobody stores megabytes


class SessionIn(StrictSchema):
    id = number(1, metadata={"description": "To keep an existing session (PATCH)."})
    title = Texts(column_length(EventSession.title), required=True, metadata={"description": (
        "A string (the event's language), or {\"fr\": …, \"nl\": …, \"en\": …}; a kept "
        "session keeps the languages left out, null removes one.")})  # fmt: skip
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


class OrganisationOut(ma.Schema):
    slug = fields.String()
    name = fields.String()


class SessionTextsOut(ma.Schema):
    title = fields.Dict(keys=fields.String(), values=fields.String())


class SessionOut(ma.Schema):
    id = fields.Integer()
    title = fields.String(metadata={"description": "In the event's language."})
    texts = fields.Nested(
        SessionTextsOut,
        metadata={"description": "Every language's title, as a POST or PATCH takes it."},
    )
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


class EventPage(ma.Schema):
    items = fields.List(fields.Nested(EventOut))
    pagination = fields.Nested(PageInfo)
