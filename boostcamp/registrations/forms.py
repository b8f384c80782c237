"""The public sign-up form: the fixed fields plus the event's own questions; and the staff's
form that corrects a registration, built alike.

Field-level checks only; registrations.signup checks everything again (the API and staff
sign people up without this form).
"""

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, Optional, Regexp

from boostcamp.core.forms import FlaskForm
from boostcamp.registrations.models import EventQuestion, Profile, QuestionKind, Registration
from boostcamp.registrations.corrections import NOTE_MAX_LENGTH, PersonDetails, RegistrationChanges
from boostcamp.registrations.questions import ANSWER_MAX_LENGTHS
from boostcamp.registrations.signup import MAX_LENGTHS, SignUp

YES_NO = {"yes": _l("Yes"), "no": _l("No")}
# Where a service error on a SignUp attribute is shown on this form.
ERROR_FIELDS = {"organisation_name": "organisation"}


class SignUpForm(FlaskForm):
    error_fields = ERROR_FIELDS
    first_name = StringField(
        _l("First name"),
        validators=[DataRequired(_l("Give your first name.")), Length(max=MAX_LENGTHS["first_name"])],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Last name"),
        validators=[DataRequired(_l("Give your last name.")), Length(max=MAX_LENGTHS["last_name"])],
        render_kw={"autocomplete": "family-name"},
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(_l("Give your e-mail address.")),
            Email(_l("Give a valid e-mail address.")),
            Length(max=254),
        ],
        render_kw={"autocomplete": "email"},
    )
    profile = RadioField(
        _l("You are"),
        choices=Profile.choices(),
        validate_choice=False,  # AnyOf says it better, after InputRequired
        validators=[
            InputRequired(_l("Choose what describes you best.")),
            AnyOf([p.value for p in Profile], _l("Choose what describes you best.")),
        ],
    )
    organisation = StringField(
        _l("Company or project (optional)"),
        validators=[Optional(), Length(max=MAX_LENGTHS["organisation_name"])],
        render_kw={"autocomplete": "organization"},
    )
    city = StringField(
        _l("City or municipality (optional)"),
        validators=[Optional(), Length(max=MAX_LENGTHS["city"])],
        render_kw={"autocomplete": "address-level2"},
    )  # asked on applications only (the template)
    phone = TelField(
        _l("Phone (optional)"),
        validators=[
            Optional(),
            Length(max=MAX_LENGTHS["phone"]),
            Regexp(r"^\+?[0-9 ./()-]{6,}$", message=_l("Give a phone number, e.g. +32 65 00 00 00.")),
        ],
        render_kw={"autocomplete": "tel"},
    )
    consent = BooleanField(
        _l("I have read the privacy notice and agree that my details are used to organise this event."),
        validators=[DataRequired(_l("Please accept the privacy notice to register."))],
    )
    consent_followup = BooleanField(
        _l("The organisers may contact me later about my project (optional).")
    )
    # The honeypot: hidden from people and screen readers, filled in by bots.
    website = StringField(_l("Leave this field empty"), render_kw={"tabindex": "-1", "autocomplete": "off"})

    questions: list[tuple[EventQuestion, Field]]

    def sign_up(self, language: str) -> SignUp:
        return SignUp(
            email=self.email.data,
            first_name=self.first_name.data,
            last_name=self.last_name.data,
            consent=self.consent.data,
            profile=self.profile.data,
            organisation_name=self.organisation.data,
            phone=self.phone.data,
            consent_followup=self.consent_followup.data,
            city=self.city.data,
            answers={q.id: answer_value(q, f.data) for q, f in self.questions},
            language=language,
        )

    def field_for(self, key: str):
        """Answers are named by question ("answers.12" → the field q_12)."""
        if key.startswith("answers."):
            key = "q_" + key.split(".", 1)[1]
        return super().field_for(key)


def question_field_name(question: EventQuestion) -> str:
    return f"q_{question.id}"


def _question_field(question: EventQuestion, answers_required: bool = True) -> Field:
    # Whatever this reads of the question must be in _form_class's key.
    label, help_text = question.label, question.help_text
    required = (
        [InputRequired(_l("Please answer this question."))]
        if question.required and answers_required
        else [Optional()]
    )
    match question.kind:
        case QuestionKind.SHORT_TEXT | QuestionKind.LONG_TEXT:
            field_class = TextAreaField if question.kind == QuestionKind.LONG_TEXT else StringField
            limit = ANSWER_MAX_LENGTHS[question.kind]
            return field_class(label, validators=[*required, Length(max=limit)], description=help_text)
        case QuestionKind.SINGLE_CHOICE | QuestionKind.YES_NO:
            labels = YES_NO if question.kind == QuestionKind.YES_NO else {c: c for c in question.choices}
            return RadioField(
                label, description=help_text, validate_choice=False,
                choices=[SelectChoice(value, text) for value, text in labels.items()],
                validators=[*required, AnyOf(list(labels), _l("Choose among the answers offered."))],
            )  # fmt: skip
        case QuestionKind.MULTIPLE_CHOICE:
            return SelectMultipleField(
                label, description=help_text, validators=required,
                choices=[SelectChoice(c) for c in question.choices],
            )  # fmt: skip
    raise ValueError(f"unknown question kind {question.kind}")


def answer_value(question: EventQuestion, data: Any) -> Any:
    if question.kind == QuestionKind.YES_NO and data in ("yes", "no"):
        return data == "yes"
    return data


def sign_up_form(questions: list[EventQuestion], **kwargs) -> SignUpForm:
    """The form for an event, with one field per question of its own."""
    return _with_questions(SignUpForm, questions, True, **kwargs)


def staff_sign_up_form(questions: list[EventQuestion]) -> SignUpForm:
    """The sign-up form staff fill in for someone: no honeypot, consents said of the person."""
    form = sign_up_form(questions)
    del form.website  # the honeypot is for the public form
    form.consent.label.text = _(
        "The person agrees that their details are used to organise this event."
    )
    form.consent_followup.label.text = _(
        "The organisers may contact them later about their project."
    )
    return form


class RegistrationForm(SignUpForm):
    """Staff correct a registration: the sign-up's details but the e-mail address (who the
    person is) and the consents (theirs to give), and a note for the door."""

    email = consent = consent_followup = website = None  # WTForms: removed from this form
    note = TextAreaField(
        _l("Note for the door (shown at check-in)"),
        validators=[Optional(), Length(max=NOTE_MAX_LENGTH)],
        render_kw={"rows": 3},
    )

    def changes(self, person_details: bool) -> RegistrationChanges:
        return RegistrationChanges(
            profile=self.profile.data,
            organisation_name=self.organisation.data,
            note=self.note.data,
            answers={q.id: answer_value(q, f.data) for q, f in self.questions},
            person=PersonDetails(self.first_name.data, self.last_name.data, self.phone.data)
            if person_details else None,
        )  # fmt: skip


def registration_form(
    questions: list[EventQuestion], registration: Registration | None = None
) -> RegistrationForm:
    """RegistrationForm with the event's questions (none required: staff may not know),
    filled in with the registration as it is; None for a form sent back (WTForms would
    keep these values for fields the browser leaves out)."""
    if registration is None:
        return _with_questions(RegistrationForm, questions, False)
    person = registration.person
    data = {
        "first_name": person.first_name, "last_name": person.last_name, "phone": person.phone,
        "organisation": registration.organisation_name, "profile": registration.profile.value,
        "note": registration.note,
        **{f"q_{a.question_id}": form_value(a.value) for a in registration.answers},
    }  # fmt: skip
    return _with_questions(RegistrationForm, questions, False, data=data)


def form_value(answer: Any) -> Any:
    """An answer as stored, as its field takes it (yes/no questions are True or False)."""
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    return answer


def _with_questions(base, questions, answers_required: bool, **kwargs):
    form = _form_class(base, questions, answers_required)(**kwargs)
    form.questions = [(q, form[question_field_name(q)]) for q in questions]
    return form


# WTForms prepares a form class's fields on its first use: a new class for every request
# cost a fifth of the sign-up form's time. Kept per process, by everything the fields read.
_FORM_CLASSES: dict[tuple, type] = {}


def _form_class(base, questions: list[EventQuestion], answers_required: bool) -> type:
    if not questions:
        return base
    key = (base, answers_required, *(
        (q.id, q.kind, q.label, q.help_text, q.required, tuple(q.choices or ()))
        for q in questions))  # fmt: skip
    if (form_class := _FORM_CLASSES.get(key)) is None:
        if len(_FORM_CLASSES) >= 1000:
            _FORM_CLASSES.clear()
        fields = {question_field_name(q): _question_field(q, answers_required) for q in questions}
        form_class = _FORM_CLASSES[key] = type(f"Event{base.__name__}", (base,), fields)
    return form_class
