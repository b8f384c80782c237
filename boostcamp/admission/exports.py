"""The applications list as a file (CSV or XLSX): the rows as the list is filtered, with the
scores and every answer, reviewers-only ones included (the file is the jury's). Under blind
review a reviewer's file has neither names nor e-mail addresses."""

from collections.abc import Sequence
from typing import Any

from flask_babel import gettext as _

from boostcamp.admission import applications
from boostcamp.events.models import Event
from boostcamp.registrations.questions import event_questions
from boostcamp.registrations.models import Registration


def shown_answer(value: Any) -> str:
    """An answer as pages and files show it: yes/no in words, choices joined."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(value)
    return "" if value is None else str(value)


def answers_by_question(registration: Registration) -> dict[int, str]:
    return {a.question_id: shown_answer(a.value) for a in registration.answers}


def table(event: Event, rows: Sequence[Registration], *, blind: bool) -> tuple[list, list]:
    """(header, rows) of the export; `rows` come from services.applications_query."""
    summaries = applications.scores([r.id for r in rows])
    questions = event_questions(event)
    zone = event.zone
    identity = [] if blind else [_("Last name"), _("First name"), _("E-mail")]
    header = [_("Application"), *identity, _("Company or project"), _("City"), _("Profile"),
              _("Status"), _("Applied at"), _("Average score"), _("Spread"), _("Reviewers"),
              *(q.label for q in questions)]  # fmt: skip

    def row(r: Registration) -> list:
        s, answers = summaries[r.id], answers_by_question(r)
        who = [] if blind else [r.last_name, r.first_name, r.person.email]
        return [r.id, *who, r.organisation_name, r.city,
                str(r.profile.label), str(r.status.label),
                r.created_at.astimezone(zone).replace(tzinfo=None),
                round(s.average, 2) if s.average is not None else None,
                round(s.spread, 2) if s.spread is not None else None, s.reviewers,
                *(answers.get(q.id, "") for q in questions)]  # fmt: skip

    return header, [row(r) for r in rows]
