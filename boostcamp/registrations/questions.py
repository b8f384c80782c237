"""The event's own questions on its sign-up form, and the rules their answers follow."""

import functools
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from boostcamp.core import inputs
from boostcamp.core.errors import NotFound, ValidationFailed
from boostcamp.events.models import Admission, Event
from boostcamp.events.queries import PAGE_LOAD
from boostcamp.events import signals as event_signals
from boostcamp.core.extensions import db
from boostcamp.registrations.models import EventQuestion, QuestionKind, RegistrationAnswer


ANSWER_MAX_LENGTHS = {QuestionKind.SHORT_TEXT: 500, QuestionKind.LONG_TEXT: 5000}
QUESTION_MAX_LENGTHS = {"label": 300, "help_text": 500}
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


def event_questions(event: Event, *, for_reviewers: bool = True) -> list[EventQuestion]:
    """The event's questions in order; without those for reviewers only when `for_reviewers`
    is False (the registrations list, its exports, the API's documents)."""
    query = (
        sa.select(EventQuestion)
        .where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.position, EventQuestion.id)
    )
    if not for_reviewers:
        query = query.where(EventQuestion.for_reviewers.is_(False))
    return list(db.session.scalars(query))


def event_and_questions(slug: str, *, related: bool = True) -> tuple[Event, list[EventQuestion]]:
    """The event (as events.queries.get_by_slug loads it) and its questions, in one
    statement: the sign-up form needs both. Raises NotFound."""
    rows = db.session.execute(_event_and_questions_query(related), {"slug": slug}).all()
    if not rows:
        raise NotFound(_l("No such event."))
    return rows[0][0], [question for _, question in rows if question is not None]


@functools.cache
def _event_and_questions_query(related: bool):
    query = (
        sa.select(Event, EventQuestion)
        .outerjoin(EventQuestion, EventQuestion.event_id == Event.id)
        .where(Event.slug == sa.bindparam("slug"))
        .order_by(EventQuestion.position, EventQuestion.id)
    )
    return query.options(*PAGE_LOAD) if related else query


def clean_answer(question: EventQuestion, value: Any, required: bool = True) -> tuple[Any, Any]:
    """(the answer as stored, or None when there is none; an error message or None)."""
    if isinstance(value, str):
        value = value.strip()
    if question.kind == QuestionKind.MULTIPLE_CHOICE and value is not None:
        value = [value] if isinstance(value, str) else value
        if not isinstance(value, list | tuple) or not all(v in question.choices for v in value):
            return None, _l("Choose among the answers offered.")
        value = [choice for choice in question.choices if choice in value]  # in their order
    if question.kind == QuestionKind.YES_NO and isinstance(value, str) and value:
        value = {"yes": True, "no": False, "true": True, "false": False}.get(value.lower(), value)
    if value in (None, "", []):
        return None, (_l("Please answer this question.") if question.required and required else None)
    if question.kind in ANSWER_MAX_LENGTHS:
        if not isinstance(value, str):
            return None, _l("Please answer this question.")
        limit = ANSWER_MAX_LENGTHS[question.kind]
        if len(value) > limit:
            return None, _l("At most %(n)d characters.", n=limit)
        if inputs.bad_text(value, multiline=question.kind == QuestionKind.LONG_TEXT):
            return None, inputs.CONTROL_MESSAGE
    elif question.kind == QuestionKind.SINGLE_CHOICE and value not in question.choices:
        return None, _l("Choose among the answers offered.")
    elif question.kind == QuestionKind.YES_NO and not isinstance(value, bool):
        return None, _l("Answer yes or no.")
    return value, None


def save_question(
    event: Event,
    question: EventQuestion | None = None,
    *,
    label: str,
    kind: QuestionKind | str,
    help_text: str | None = None,
    choices: Iterable[str] = (),
    required: bool = False,
    show_at_checkin: bool = False,
    for_reviewers: bool = False,
) -> EventQuestion:
    """Add a question at the end of the event's form, or change one. Choices only for the
    choice kinds (blank lines and repeats dropped). Answers already given are kept as they
    were, even if their choice is renamed. A question for reviewers only needs an event by
    application and is never shown at the door."""
    errors: dict[str, Any] = {}
    if for_reviewers and event.admission != Admission.APPLICATION:
        errors["for_reviewers"] = _l("Only an event that takes applications has reviewers: "
                                     "choose admission by application on the event’s form first.")
    elif for_reviewers and show_at_checkin:
        errors["show_at_checkin"] = _l("An answer for reviewers only is not shown at the door.")
    label, help_text = (label or "").strip(), (help_text or "").strip() or None
    if not label:
        errors["label"] = _l("Write the question.")
    for name, value in (("label", label), ("help_text", help_text)):
        if value and len(value) > QUESTION_MAX_LENGTHS[name]:
            errors[name] = _l("At most %(n)d characters.", n=QUESTION_MAX_LENGTHS[name])
    try:
        kind = QuestionKind(kind)
    except ValueError:
        errors["kind"] = _l("Choose a kind of answer.")
    cleaned = list(dict.fromkeys(c.strip() for c in choices if c.strip()))
    if kind in CHOICE_KINDS and len(cleaned) < 2:
        errors["choices"] = _l("Give at least two answers to choose from, one per line.")
    if errors:
        raise ValidationFailed(errors)
    if question is None:
        last = db.session.scalar(
            sa.select(sa.func.max(EventQuestion.position)).where(EventQuestion.event_id == event.id)
        )
        question = EventQuestion(event_id=event.id, position=(last or 0) + 1)
        db.session.add(question)
    question.label, question.help_text, question.kind = label, help_text, kind
    question.choices = cleaned if kind in CHOICE_KINDS else []
    question.required, question.show_at_checkin = bool(required), bool(show_at_checkin)
    question.for_reviewers = bool(for_reviewers)
    db.session.flush()
    return question


def answer_count(question: EventQuestion) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(RegistrationAnswer.question_id == question.id)
    )


def delete_question(question: EventQuestion) -> None:
    """The question goes, and every answer given to it with it."""
    db.session.execute(
        sa.delete(RegistrationAnswer).where(RegistrationAnswer.question_id == question.id)
    )
    db.session.delete(question)
    db.session.flush()


def move_question(event: Event, question: EventQuestion, step: int) -> None:
    """One place up (step=-1) or down (+1) on the form; positions renumbered 1, 2, 3 …"""
    questions = event_questions(event)
    at = questions.index(question)
    to = min(max(at + step, 0), len(questions) - 1)
    questions.insert(to, questions.pop(at))
    for n, q in enumerate(questions, 1):
        q.position = n
    db.session.flush()


@event_signals.event_duplicated.connect
def copy_questions(event: Event, *, copy: Event) -> None:
    """The sign-up form's own questions come with the next edition (answers do not)."""
    questions = db.session.scalars(
        sa.select(EventQuestion)
        .where(EventQuestion.event_id == event.id)
        .order_by(EventQuestion.position, EventQuestion.id)
    )
    db.session.add_all(
        EventQuestion(event_id=copy.id, position=q.position, label=q.label, help_text=q.help_text,
                      kind=q.kind, choices=list(q.choices or []), required=q.required,
                      show_at_checkin=q.show_at_checkin, for_reviewers=q.for_reviewers)
        for q in questions
    )  # fmt: skip
    db.session.flush()
