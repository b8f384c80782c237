"""The staff's programme form and the form that makes editions of an event."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional

from boostcamp.core.forms import FlaskForm
from boostcamp.events.forms import LocalDateTimeField, MultiCheckboxField, at_most
from boostcamp.programmes.series import MAX_EDITIONS, MAX_EVERY, Unit
from boostcamp.programmes.editing import MAX_EVENTS, MAX_LENGTHS


class ProgrammeForm(FlaskForm):
    title = StringField(_l("Title"), [InputRequired(_l("Give the programme a title.")),
                                      at_most(MAX_LENGTHS["title"])])  # fmt: skip
    summary = StringField(_l("Summary"), [Optional(), at_most(MAX_LENGTHS["summary"])])
    description = TextAreaField(_l("Description"), [Optional()], render_kw={"rows": 6})
    required_events = IntegerField(
        _l("Events to attend for the certificate"),
        [Optional(), NumberRange(min=1, max=MAX_EVENTS, message=_l("Between %(min)d and %(max)d."))],
    )  # fmt: skip
    events = MultiCheckboxField(_l("Events"), coerce=int, validate_choice=False)
    co_organisers = MultiCheckboxField(_l("Co-organisers"), coerce=int, validate_choice=False)

    @classmethod
    def for_programme(cls, programme) -> "ProgrammeForm":
        return cls(
            title=programme.title, summary=programme.summary, description=programme.description,
            required_events=programme.required_events,
            events=[s.event_id for s in programme.steps],
            co_organisers=[o.id for o in programme.co_organisers],
        )  # fmt: skip

    def fields(self) -> dict[str, Any]:
        def text(field):
            return (field.data or "").strip() or None

        return {"title": self.title.data or "", "summary": text(self.summary),
                "description": text(self.description),
                "required_events": self.required_events.data}  # fmt: skip

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, message in errors.items():
            target = self._fields.get(key)
            if target is None:
                self.form_errors.append(message)
            else:
                target.errors = [*target.errors, message]


UNIT_LABELS = {Unit.DAYS: _l("days"), Unit.WEEKS: _l("weeks"), Unit.MONTHS: _l("months")}


class EditionsForm(FlaskForm):
    """Every N days, weeks or months for a number of editions, or a list of dates."""

    every = IntegerField(_l("Every"), [Optional(), NumberRange(min=1, max=MAX_EVERY,
                         message=_l("Between %(min)d and %(max)d."))], default=1)  # fmt: skip
    unit = SelectField(_l("Unit"), default=Unit.MONTHS.value,
                       choices=[SelectChoice(u.value, label) for u, label in UNIT_LABELS.items()])  # fmt: skip
    count = IntegerField(_l("Number of editions"), [Optional(), NumberRange(
        min=1, max=MAX_EDITIONS, message=_l("Between %(min)d and %(max)d."))], default=4)  # fmt: skip
    dates = TextAreaField(
        _l("Or these start dates, one a line"), [Optional()], render_kw={"rows": 4},
        description=_l("As 2027-04-12 (the same time of day as this edition) or 2027-04-12 09:30."),
    )  # fmt: skip
    first_starts_at = LocalDateTimeField(_l("Start of the first new edition"), [Optional()])
