"""The staff's programme form and the form that makes editions of an event."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional

from boostcamp.core.forms import TEXT_FIELDS, FlaskForm, TextsByLanguage
from boostcamp.core.texts import LANGUAGES, split_texts
from boostcamp.events.forms import (
    LocalDateTimeField,
    MultiCheckboxField,
    at_most,
    language_choices,
)
from boostcamp.programmes.series import MAX_EDITIONS, MAX_EVERY, Unit
from boostcamp.programmes.editing import MAX_EVENTS
from boostcamp.programmes.texts import LIMITS


class ProgrammeForm(TextsByLanguage, FlaskForm):
    title_missing = _l("Give the programme a title in its own language.")
    # title_fr, summary_fr, description_fr, title_nl … (added below the class): one fieldset
    # per language, as on the event's form; the programme's own language needs a title.
    language = SelectField(_l("Language of the programme"), choices=language_choices(),
                           default="fr")
    required_events = IntegerField(
        _l("Events to attend for the certificate"),
        [Optional(), NumberRange(min=1, max=MAX_EVENTS, message=_l("Between %(min)d and %(max)d."))],
    )  # fmt: skip
    requires_exam = BooleanField(
        _l("The certificate also needs the exam passed (recorded by staff)"))
    events = MultiCheckboxField(_l("Events"), coerce=int, validate_choice=False)
    kept_events = MultiCheckboxField(_l("Events only through the programme (no sign-up alone)"),
                                     coerce=int, validate_choice=False)  # fmt: skip
    co_organisers = MultiCheckboxField(_l("Co-organisers"), coerce=int, validate_choice=False)

    @classmethod
    def for_programme(cls, programme) -> "ProgrammeForm":
        texts = {f"{field}_{language}": value
                 for language, fields in programme.texts_by_language().items()
                 for field, value in fields.items()}  # fmt: skip
        return cls(
            language=programme.language, required_events=programme.required_events,
            requires_exam=programme.requires_exam,
            events=[s.event_id for s in programme.steps],
            kept_events=[s.event_id for s in programme.steps if not s.alone_allowed],
            co_organisers=[o.id for o in programme.co_organisers], **texts,
        )  # fmt: skip

    def fields(self) -> dict[str, Any]:
        texts = {language: {field: self[f"{field}_{language}"].data for field in TEXT_FIELDS}
                 for language in LANGUAGES}  # fmt: skip
        split = split_texts(self.language.data, texts, TEXT_FIELDS)
        return {**split, "title": split["title"] or "", "language": self.language.data,
                "required_events": self.required_events.data,
                "requires_exam": bool(self.requires_exam.data)}  # fmt: skip

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            name, _, lang = key.partition(".")
            if name in TEXT_FIELDS:  # "title" (the programme's language) or "title.nl"
                key = f"{name}_{lang or self.language.data}"
            target = self._fields.get(key)
            if target is None:
                self.form_errors.append(message)
            else:
                target.errors = [*target.errors, message]


class EditionsForm(FlaskForm):
    """Every N days, weeks or months for a number of editions, or a list of dates."""

    every = IntegerField(_l("Every"), [Optional(), NumberRange(min=1, max=MAX_EVERY,
                         message=_l("Between %(min)d and %(max)d."))], default=1)  # fmt: skip
    unit = SelectField(_l("Unit"), default=Unit.MONTHS.value,
                       choices=Unit.choices())  # fmt: skip
    count = IntegerField(_l("Number of editions"), [Optional(), NumberRange(
        min=1, max=MAX_EDITIONS, message=_l("Between %(min)d and %(max)d."))], default=4)  # fmt: skip
    dates = TextAreaField(
        _l("Or these start dates, one a line"), [Optional()], render_kw={"rows": 4},
        description=_l("As 2027-04-12 (the same time of day as this edition) or 2027-04-12 09:30."),
    )  # fmt: skip
    first_starts_at = LocalDateTimeField(_l("Start of the first new edition"), [Optional()])


for _language in LANGUAGES:
    setattr(ProgrammeForm, f"title_{_language}", StringField(
        _l("Title"), [at_most(LIMITS["title"])], render_kw={"lang": _language}))
    setattr(ProgrammeForm, f"summary_{_language}", StringField(
        _l("Summary"), [at_most(LIMITS["summary"])], render_kw={"lang": _language}))
    setattr(ProgrammeForm, f"description_{_language}", TextAreaField(
        _l("Description"), [at_most(LIMITS["description"])],
        render_kw={"rows": 6, "lang": _language}))
