"""Staff forms for events: field-level checks only; the rules live in events.rules.

Times are typed as wall-clock times in the event's zone (`<input type="datetime-local">`,
the zone chosen on the form, Europe/Brussels unless said otherwise) and handed to the
services as aware UTC instants.
"""

from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NoneOf,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from boostcamp.core import inputs
from boostcamp.core.forms import TEXT_FIELDS, FlaskForm, TextsByLanguage
from boostcamp.core.i18n import zone_label
from boostcamp.core.texts import LANGUAGES, language_name, split_texts
from boostcamp.core.zones import ZONE_CHOICES, is_zone, zone_name, zone_of
from boostcamp.events.models import Admission, Audience, EventKind
from boostcamp.events.rules import MAX_LENGTHS, SESSION_TEXT_LIMITS
from boostcamp.organisations.services import SLUG_RE

MAX_DESCRIPTION = 20_000
BLANK_SESSION_ROWS = 2  # always offered at the end of the agenda, so it works without JavaScript

LANGUAGE_LABELS = {"fr": "Français", "nl": "Nederlands", "en": "English"}


def language_choices() -> list[SelectChoice]:
    """The languages, each named in itself and marked with it (`lang`) for screen readers."""
    return [SelectChoice(code, name, render_kw={"lang": code})
            for code, name in LANGUAGE_LABELS.items()]  # fmt: skip


def at_most(n: int) -> Length:
    return Length(max=n, message=_l("At most %(n)d characters.", n=n))


class LocalDateTimeField(DateTimeLocalField):
    """A wall-clock time in the event's zone as the browser sends it; `data` is the UTC
    instant. The form says the zone (`ZonedForm.place_times`), after reading every field:
    the zone is one of them.

    In the autumn, when an hour happens twice, the first (summer-time) one is meant.
    In the spring gap the time does not exist: that is an error, not a guess.
    """

    FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", list(self.FORMATS))
        super().__init__(label, validators, **kwargs)
        self.zone = zone_of(None)
        self.wall: datetime | None = None  # the time as typed, before its zone is known

    def process_formdata(self, valuelist):
        self.wall = self.data = None
        if not valuelist or not " ".join(valuelist).strip():
            return
        try:
            super().process_formdata([" ".join(valuelist).strip()])  # naive: the zone comes later
        finally:
            self.wall, self.data = self.data, None

    def place(self, zone: ZoneInfo) -> None:
        """Read the typed time in this zone (and show the stored one in it)."""
        self.zone = zone
        if self.wall is None:
            return
        try:
            instant = self.wall.replace(tzinfo=zone).astimezone(timezone.utc)
            back = instant.astimezone(zone).replace(tzinfo=None)
        except OverflowError:  # year 1 or 9999 moved across midnight
            self.data = None
            self.process_errors.append(inputs.DATE_MESSAGE)
            return
        if back != self.wall:
            self.data = None
            self.process_errors.append(
                _l("This time does not exist in this time zone: the clocks go forward that night.")
            )
            return
        self.data = instant

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        if self.data is None:
            return ""
        return self.data.astimezone(self.zone).strftime("%Y-%m-%dT%H:%M")


class ZonedForm(FlaskForm):
    """A form whose times are an event's: typed and shown in `zone` (an event, a zone's
    name, or None for the centre's)."""

    def __init__(self, *args, zone=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.place_times(zone_of(zone))

    def place_times(self, zone: ZoneInfo) -> None:
        self.zone = zone
        for field in _time_fields(self):
            field.place(zone)


def _time_fields(form):
    for field in form:
        if isinstance(field, LocalDateTimeField):
            yield field
        elif isinstance(field, FieldList):
            for entry in field:
                yield from _time_fields(entry.form)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SessionForm(FlaskForm):
    """One row of the agenda. A row left empty, or ticked "remove", is not part of it.

    Its title in each language: `title` in the language the row was shown in
    (`title_language`, the event's then; the event's now when not sent), `title_fr`,
    `title_nl`, `title_en` in the others (the one of `title_language` is not shown)."""

    class Meta:
        csrf = False

    id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    title = StringField(_l("Session title"), [at_most(200)])
    title_language = StringField(widget=HiddenInput(), validators=[Optional()])
    starts_at = LocalDateTimeField(_l("Starts"), [Optional()])
    ends_at = LocalDateTimeField(_l("Ends"), [Optional()])
    venue = StringField(_l("Venue, if not the event’s"), [at_most(300)])
    remove = BooleanField(_l("Remove this session"))

    @property
    def is_blank(self) -> bool:
        return not any(
            (f.raw_data and f.raw_data[0].strip()) or (not f.raw_data and f.data)
            for f in (self.title, *self.titles_by_language().values(), self.starts_at,
                      self.ends_at, self.venue)
        )

    def titles_by_language(self) -> dict[str, Any]:
        return {code: self[f"title_{code}"] for code in LANGUAGES}

    def written_in(self, main: str) -> str:
        """The language of the `title` field: the one it was shown in, else `main`."""
        language = self.title_language.data
        return language if language in LANGUAGES else main

    def title_field(self, language: str, main: str):
        """The field holding the title in `language` (the event's language being `main`)."""
        return self.title if language == self.written_in(main) else self[f"title_{language}"]

    def fill_from(self, session) -> None:
        """The stored session's titles, where the request sent none."""
        if not self.title_language.raw_data:
            self.title_language.data = session.language
        for code, texts in (session.translations or {}).items():
            f = self.titles_by_language().get(code)
            if f is not None and not f.raw_data:
                f.data = (texts or {}).get("title")

    def show_in(self, main: str) -> None:
        """Ready to be shown in a form whose event is written in `main`: each title field
        named by its language and marked with it."""
        language = self.title_language.data = self.written_in(main)
        for code in LANGUAGES:
            f = self.title_field(code, main)
            f.label.text = _l("Session title (%(language)s)", language=language_name(code))
            f.render_kw = {"lang": code}
            if code == language:
                f.label.text = _l("Session title (%(language)s, required)",
                                  language=language_name(code))  # fmt: skip

    @property
    def is_kept(self) -> bool:
        return not self.remove.data and not self.is_blank

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_kept:
            for f, message in ((self.starts_at, _l("Give the start.")),
                               (self.ends_at, _l("Give the end."))):  # fmt: skip
                if f.data is None and not f.errors:
                    f.errors.append(message)
                    ok = False
        return ok

    def as_dict(self, language: str) -> dict[str, Any]:
        """The session as events.editing takes it, for an event written in `language`."""
        texts = {code: {"title": self.title_field(code, language).data} for code in LANGUAGES}
        split = split_texts(language, texts, ("title",))
        return {
            "id": self.id.data,
            "title": split["title"] or "",
            "translations": split["translations"],
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "venue": (self.venue.data or "").strip() or None,
        }


class EventForm(TextsByLanguage, ZonedForm):
    title_missing = _l("Give the event a title in its own language.")
    # title_fr, summary_fr, description_fr, title_nl … (added below the class): one fieldset
    # per language; the event's own language needs a title, the others are optional.
    slug = StringField(
        _l("Web address"),
        [
            Optional(),
            at_most(120),
            Regexp(SLUG_RE, message=_l("Only lower-case letters, digits and dashes.")),
            NoneOf(["new"], message=_l("This address is reserved.")),
        ],
    )
    kind = SelectField(_l("Kind of event"), choices=EventKind.choices())
    language = SelectField(_l("Language of the event"), choices=language_choices())
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    city = StringField(
        _l("City"),
        [DataRequired(_l("Say in which city the event takes place.")),
         at_most(MAX_LENGTHS["city"])],
    )  # fmt: skip
    venue = StringField(_l("Venue"), [at_most(MAX_LENGTHS["venue"])])
    address = StringField(_l("Address"), [at_most(MAX_LENGTHS["address"])])
    starts_at = LocalDateTimeField(_l("Starts"), [InputRequired(_l("Give the start."))])
    ends_at = LocalDateTimeField(_l("Ends"), [InputRequired(_l("Give the end."))])
    sessions = FieldList(FormField(SessionForm), _l("Session"), min_entries=BLANK_SESSION_ROWS)
    capacity = IntegerField(_l("Capacity"), [Optional()], render_kw={"min": 0})
    registration_opens_at = LocalDateTimeField(_l("Registration opens"), [Optional()])
    registration_closes_at = LocalDateTimeField(_l("Registration closes"), [Optional()])
    admission = SelectField(_l("Admission"), choices=Admission.choices(),
                            default=Admission.OPEN.value)  # fmt: skip
    applications_close_at = LocalDateTimeField(_l("Applications close"), [Optional()])
    audiences = MultiCheckboxField(_l("For whom"), choices=Audience.choices())
    co_organisers = MultiCheckboxField(_l("Co-organisers"), coerce=int, validate_choice=False)

    # A partner proposing an event must name at least one of its platforms.
    min_co_organisers = 0
    refused = False  # the service said no (its errors sit on the fields)

    def __init__(self, *args, zone=None, **kwargs):
        """`zone`: the event (or its zone's name) whose form this is; None for a new one."""
        zone = zone if zone is not None else kwargs.get("obj")
        super().__init__(*args, zone=zone, **kwargs)
        own = zone_name(zone)
        names = list(dict.fromkeys([*ZONE_CHOICES, own]))
        self.timezone.choices = [SelectChoice(n, f"{zone_label(n)} ({n})") for n in names]
        if self.timezone.data is None:
            self.timezone.data = own
        # The times are typed in the zone chosen with them (a valid one), else the event's.
        chosen = self.timezone.data
        if chosen in names and is_zone(chosen) and chosen != self.zone.key:
            self.place_times(zone_of(chosen))

    def validate_timezone(self, field):
        if field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError(_l("Choose a time zone from the list."))

    @classmethod
    def for_event(cls, event) -> "EventForm":
        texts = {
            f"{field}_{language}": value
            for language, fields in event.texts_by_language().items()
            for field, value in fields.items()
        }
        form = cls(
            obj=event,
            audiences=[a.value for a in event.audiences],
            co_organisers=[o.id for o in event.co_organisers],
            **texts,
        )
        for entry, session in zip(form.sessions.entries, event.sessions, strict=False):
            entry.form.fill_from(session)  # by position, as WTForms gives a row its session
        return form

    def validate_co_organisers(self, field):
        allowed = {choice.value for choice in field.choices or ()}
        if any(org_id not in allowed for org_id in field.data or ()):
            raise ValidationError(_l("Choose co-organisers from the list."))
        if len(field.data or ()) < self.min_co_organisers:
            raise ValidationError(_l("Choose at least one of your organisations."))

    def event_fields(self) -> dict[str, Any]:
        """The event's own fields, as events.editing takes them."""

        def text(f):
            return (f.data or "").strip() or None

        texts = {
            language: {field: self[f"{field}_{language}"].data for field in TEXT_FIELDS}
            for language in LANGUAGES
        }
        return {
            **split_texts(self.language.data, texts, TEXT_FIELDS),
            "kind": self.kind.data,
            "language": self.language.data,
            "timezone": self.timezone.data,
            "city": self.city.data.strip(),
            "venue": text(self.venue),
            "address": text(self.address),
            "starts_at": self.starts_at.data,
            "ends_at": self.ends_at.data,
            "capacity": self.capacity.data,
            "registration_opens_at": self.registration_opens_at.data,
            "registration_closes_at": self.registration_closes_at.data,
            "admission": self.admission.data,
            "applications_close_at": self.applications_close_at.data,
        }

    def main_language(self) -> str:
        return self.language.data if self.language.data in LANGUAGES else LANGUAGES[0]

    def agenda(self) -> list[dict[str, Any]]:
        """The agenda as events.editing takes it: each session with its titles split by
        the event's language."""
        return [row.as_dict(self.main_language()) for row in self.agenda_rows()]

    def agenda_rows(self) -> list[SessionForm]:
        """The rows that make up the agenda, in the order the service will number them."""
        return [entry.form for entry in self.sessions if entry.form.is_kept]

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put a service's {field: message} next to the fields; "sessions.2.title" goes to the
        third kept row. What belongs to no field is shown above the form."""
        rows = self.agenda_rows()
        for key, message in errors.items():
            name, *rest = key.split(".")
            if name in TEXT_FIELDS:  # "title" (the event's language) or "title.nl"
                name = f"{name}_{rest[0] if rest else self.language.data}"
                rest = []
            row_number = int(rest[0]) if len(rest) == 2 and rest[0].isdigit() else None
            if name == "sessions" and len(rest) == 3 and rest[1] == "title" and rest[0].isdigit():
                rest = [rest[0], f"title_{rest[2]}"]  # "sessions.2.title.nl"
                row_number = int(rest[0])
            if name == "sessions" and row_number is not None and row_number < len(rows):
                row = rows[row_number]
                if rest[1] == "title" or rest[1] in {f"title_{c}" for c in LANGUAGES}:
                    language = rest[1].removeprefix("title").lstrip("_") or self.main_language()
                    rest[1] = row.title_field(language, self.main_language()).short_name
                target = getattr(row, rest[1], None)
                if target is None or target is row.id:
                    target = row.title
                target.errors = [*target.errors, message]
            elif name in self._fields and name != "sessions":
                self[name].errors = [*self[name].errors, message]
            else:
                self.form_errors.append(message)

    def add_blank_sessions(self) -> None:
        """End the agenda with empty rows to fill in (the page works without JavaScript)."""
        trailing = 0
        for entry in reversed(self.sessions.entries):
            if not entry.form.is_blank:
                break
            trailing += 1
        for _ in range(BLANK_SESSION_ROWS - trailing):
            self.sessions.append_entry()
        for entry in self.sessions:
            entry.form.show_in(self.main_language())


for _language in LANGUAGES:
    setattr(SessionForm, f"title_{_language}", StringField(
        _l("Session title"), [at_most(SESSION_TEXT_LIMITS["title"])],
        render_kw={"lang": _language}))
    setattr(EventForm, f"title_{_language}", StringField(
        _l("Title"), [at_most(MAX_LENGTHS["title"])], render_kw={"lang": _language}))
    setattr(EventForm, f"summary_{_language}", TextAreaField(
        _l("Summary"), [at_most(MAX_LENGTHS["summary"])],
        render_kw={"rows": 2, "lang": _language}))
    setattr(EventForm, f"description_{_language}", TextAreaField(
        _l("Description"), [at_most(MAX_DESCRIPTION)],
        render_kw={"rows": 8, "lang": _language}))


class DuplicateForm(ZonedForm):
    starts_at = LocalDateTimeField(
        _l("Start of the next edition"), [InputRequired(_l("Give the start."))]
    )

    def show_errors(self, errors: dict[str, str]) -> None:
        # Whatever the copy's dates break, the one date chosen here is its cause.
        self.starts_at.errors = [*self.starts_at.errors, " ".join(map(str, errors.values()))]

