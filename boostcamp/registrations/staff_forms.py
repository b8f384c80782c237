"""The staff's forms on registrations: the event's own questions and the message to
everyone registered. Field-level checks only; the services check again."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from boostcamp.core.forms import FlaskForm
from boostcamp.registrations.models import QuestionKind, RegistrationStatus
from boostcamp.registrations.notifications import MESSAGE_SUBJECT_MAX, MESSAGE_TEXT_MAX
from boostcamp.registrations.questions import QUESTION_MAX_LENGTHS

class QuestionForm(FlaskForm):
    label = StringField(
        _l("Question"),
        validators=[
            DataRequired(_l("Write the question.")),
            Length(max=QUESTION_MAX_LENGTHS["label"]),
        ],
    )
    help_text = StringField(
        _l("Help under the question (optional)"),
        validators=[Optional(), Length(max=QUESTION_MAX_LENGTHS["help_text"])],
    )
    kind = SelectField(_l("Kind of answer"), choices=QuestionKind.choices())
    choices = TextAreaField(_l("Answers to choose from, one per line"), render_kw={"rows": 4})
    required = BooleanField(_l("An answer is required"))
    show_at_checkin = BooleanField(_l("Show the answer at check-in"))
    for_reviewers = BooleanField(_l("For reviewers only"))

    def choice_list(self) -> list[str]:
        return (self.choices.data or "").splitlines()


class MessageForm(FlaskForm):
    statuses = SelectMultipleField(
        _l("To"),
        choices=RegistrationStatus.choices(
            RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED
        ),
        default=[RegistrationStatus.CONFIRMED.value],
        validators=[DataRequired(_l("Choose who receives the message."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    subject = StringField(
        _l("Subject"),
        validators=[DataRequired(_l("Write a subject.")), Length(max=MESSAGE_SUBJECT_MAX)],
    )
    text = TextAreaField(
        _l("Message"),
        validators=[DataRequired(_l("Write the message.")), Length(max=MESSAGE_TEXT_MAX)],
        render_kw={"rows": 10},
    )
