"""Forms of admission by application: field-level checks only; admission.reviews and
admission.decisions check everything again (the API decides without these forms)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from boostcamp.admission.models import SCORE_MAX, SCORE_MIN, Decision, ReviewCriterion
from boostcamp.admission.applications import SORTS, Filters
from boostcamp.admission.decisions import MESSAGE_MAX_LENGTH
from boostcamp.admission.reviews import NOTE_MAX_LENGTH
from boostcamp.core.forms import FlaskForm
from boostcamp.registrations.forms import SignUpForm, _with_questions, form_value
from boostcamp.registrations.models import EventQuestion, Profile, Registration, RegistrationStatus

SORT_LABELS = {"score": _l("Best score first"), "date": _l("Oldest first"), "name": _l("Name"),
               "city": _l("City")}
PROJECT_LABELS = {"": _l("All"), "yes": _l("With a company or project"), "no": _l("Without")}


class FilterForm(FlaskForm):
    """The list's filters, read from the query string."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()], validate_choice=False)
    q = StringField(_l("Name, e-mail or organisation"), [Optional(), Length(max=200)])
    answers = StringField(_l("Words in the answers"), [Optional(), Length(max=200)])
    profile = SelectField(
        _l("Profile"), validators=[Optional()], validate_choice=False,
        choices=[SelectChoice("", _l("All")), *Profile.choices()],
    )  # fmt: skip
    city = StringField(_l("City"), [Optional(), Length(max=100)])
    project = SelectField(
        _l("Company or project"), validators=[Optional()], validate_choice=False,
        choices=[SelectChoice(k, v) for k, v in PROJECT_LABELS.items()],
    )  # fmt: skip
    sort = SelectField(_l("Order"), validators=[Optional()], validate_choice=False,
                       choices=[SelectChoice(k, v) for k, v in SORT_LABELS.items()])  # fmt: skip

    def filters(self, blind: bool) -> Filters:
        """What was asked; a value the lists do not offer is ignored (a hand-edited address)."""

        def pick(enum_class, value):
            try:
                return enum_class(value)
            except ValueError:
                return None

        valid = not self.errors
        return Filters(
            status=pick(RegistrationStatus, self.status.data or ""),
            search=(self.q.data or "").strip() if valid else "",
            answers=(self.answers.data or "").strip() if valid else "",
            profile=pick(Profile, self.profile.data or ""),
            has_project={"yes": True, "no": False}.get(self.project.data or ""),
            city=(self.city.data or "").strip() if valid else "",
            sort=self.sort.data if self.sort.data in SORTS else "score",
            blind=blind,
        )


class ActionForm(FlaskForm):
    """A button that changes something: the CSRF token and nothing else."""


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"), validate_choice=False,
        choices=Decision.choices(Decision.ACCEPT, Decision.WAITLIST, Decision.REJECT),
        validators=[InputRequired(_l("Choose accept, reject or wait-list."))],
    )  # fmt: skip
    message = TextAreaField(
        _l("A few kind words for those not admitted (optional, in their mail)"),
        [Optional(), Length(max=MESSAGE_MAX_LENGTH)], render_kw={"rows": 3},
    )  # fmt: skip
    over_capacity = BooleanField(_l("Over capacity: accept even if the seats run out"))


class BulkDecisionForm(DecisionForm):
    ids = SelectMultipleField(_l("Applications"), coerce=str, validate_choice=False)

    def chosen(self) -> list[Any]:
        return list(self.ids.data or ())


HOW_MANY = _l("Give a number of people, at least 1.")


class AcceptTopForm(FlaskForm):
    n = IntegerField(_l("How many"), [InputRequired(HOW_MANY), NumberRange(min=1, message=HOW_MANY)])
    over_capacity = BooleanField(_l("Over capacity: accept even if the seats run out"))


class SettingsForm(FlaskForm):
    criteria = TextAreaField(_l("Criteria, one per line"), [Length(max=2000)],
                             render_kw={"rows": 4})  # fmt: skip

    def show_errors(self, errors: dict[str, str]) -> None:
        self.criteria.errors = list(errors.values())  # every rule of the settings is the criteria's
    blind_review = BooleanField(
        _l("Blind review: jury members see neither names nor e-mail addresses")
    )
    hold_decisions = BooleanField(
        _l("Hold the decision mails until I send them all at once")
    )

    def labels(self) -> list[str]:
        return (self.criteria.data or "").splitlines()


class ReviewFormBase(FlaskForm):
    def field_for(self, key: str):
        return super().field_for(key.replace("score.", "score_"))  # the service's "score.<id>"


def review_form(criteria: list[ReviewCriterion], review=None) -> FlaskForm:
    """One 1–5 choice per criterion (score_<id>) and a note; filled in with the reviewer's
    earlier review (None for a form sent back)."""
    fields = {
        f"score_{c.id}": RadioField(
            c.label, validate_choice=False, validators=[Optional()],
            choices=[SelectChoice(str(n), str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1)],
        )  # fmt: skip
        for c in criteria
    }
    fields["note"] = TextAreaField(
        _l("Note (seen by the other reviewers and the organisers)"),
        [Optional(), Length(max=NOTE_MAX_LENGTH)], render_kw={"rows": 3},
    )  # fmt: skip
    form_class = type("ReviewForm", (ReviewFormBase,), fields)
    data = {}
    if review is not None:
        data = {f"score_{s.criterion_id}": str(s.value) for s in review.scores}
        data["note"] = review.note
    form = form_class(data=data)
    form.criteria = [(c, form[f"score_{c.id}"]) for c in criteria]
    return form


def review_values(form) -> dict[int, Any]:
    return {c.id: f.data for c, f in form.criteria}


class AnswersForm(SignUpForm):
    """The applicant's answers to the event's questions and their city, nothing else."""

    first_name = last_name = email = profile = organisation = phone = None  # removed
    consent = consent_followup = website = None


def answers_form(questions: list[EventQuestion], registration: Registration | None = None):
    if registration is None:
        return _with_questions(AnswersForm, questions, True)
    data = {f"q_{a.question_id}": form_value(a.value) for a in registration.answers}
    data["city"] = registration.city or ""
    return _with_questions(AnswersForm, questions, True, data=data)
