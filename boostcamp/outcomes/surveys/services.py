"""Follow-up surveys: N months after an event (SURVEY_MONTHS, 6, 12 and 24 by default) each
attendee who agreed to be contacted (consent_followup) gets one mail with a signed link to a
short form: a company started? jobs today? a certification? The answers wait for staff, who
merge them into the records or reject them. Nothing in the records changes before that.

Once per person, event and delay (a unique key the sending worker claims); the link works
once and for SURVEY_LINK_DAYS; "stop asking" on the Person ends all of them.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import joinedload

from boostcamp.auth.models import User
from boostcamp.checkin.attendance import attendance_query
from boostcamp.core import inputs
from boostcamp.core.texts import Localized
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.events.models import Event, EventStatus
from boostcamp.core.extensions import db
from boostcamp.mail.services import queue_mail
from boostcamp.outcomes.records import services as outcomes
from boostcamp.outcomes.records.models import Startup, StartupMember, StartupRole
from boostcamp.outcomes.surveys.models import FollowupSurvey, SurveyReview
from boostcamp.registrations.models import Person, Registration
from boostcamp.registrations import consents

SALT = "boostcamp.outcomes.followup-survey"


# ---------------------------------------------------------------- the signed link


class SurveyLinkProblem(Exception):
    """Why a survey link does not open the form: "invalid", "expired" or "answered"."""

    def __init__(self, reason: str, survey: FollowupSurvey | None = None):
        super().__init__(reason)
        self.reason, self.survey = reason, survey


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(survey: FollowupSurvey) -> str:
    return _serializer().dumps(survey.id)


def survey_from_token(token: str, *, answerable: bool = True) -> FollowupSurvey:
    """The survey behind a link; SurveyLinkProblem when it cannot (or can no longer) be
    answered. With answerable=False an answered survey is returned too (stop asking)."""
    max_age = int(current_app.config["SURVEY_LINK_DAYS"]) * 86400
    if not inputs.canonical_token(token):  # one spelling per link
        raise SurveyLinkProblem("invalid")
    try:
        survey_id = _serializer().loads(token, max_age=max_age if answerable else None)
    except SignatureExpired:
        raise SurveyLinkProblem("expired") from None
    except BadSignature:
        raise SurveyLinkProblem("invalid") from None
    survey = db.session.get(FollowupSurvey, survey_id) if isinstance(survey_id, int) else None
    if survey is None:
        raise SurveyLinkProblem("invalid")
    if answerable and survey.answered_at is not None:
        raise SurveyLinkProblem("answered", survey)
    return survey


# ---------------------------------------------------------------- sending


def survey_months() -> tuple[int, ...]:
    return tuple(int(m) for m in current_app.config["SURVEY_MONTHS"])


def due_events(now: datetime) -> list[tuple[int, int]]:
    """(event_id, months) whose survey is due: the event ended `months` ago, at most
    SURVEY_LATE_DAYS ago (an old event from before surveys existed is never surveyed)."""
    late = timedelta(days=int(current_app.config["SURVEY_LATE_DAYS"]))
    due = []
    for months in survey_months():
        until = now - relativedelta(months=months)
        event_ids = db.session.scalars(
            sa.select(Event.id).where(
                Event.status == EventStatus.PUBLISHED, Event.ends_at <= until,
                Event.ends_at > until - late,
            ).order_by(Event.id)
        )  # fmt: skip
        due.extend((event_id, months) for event_id in event_ids)
    return due


def recipients(event: Event, months: int) -> list[Registration]:
    """Who gets this event's survey: attended (a check-in that stands), agreed to be
    contacted, never said "stop asking", and not surveyed for it yet."""
    attended = attendance_query().subquery()
    already = sa.select(FollowupSurvey.person_id).where(
        FollowupSurvey.event_id == event.id, FollowupSurvey.months == months
    )
    return list(db.session.scalars(
        sa.select(Registration).join(Registration.person)
        .where(Registration.event_id == event.id, Registration.consent_followup.is_(True),
               Registration.id.in_(sa.select(attended.c.registration_id)),
               Person.followup_opt_out_at.is_(None), Registration.person_id.not_in(already))
        .options(joinedload(Registration.person))
        .order_by(Registration.id)
    ))  # fmt: skip


def send_surveys(event: Event, months: int, now: datetime | None = None) -> int:
    """Writes each recipient's survey row and mail in the current transaction; two workers
    doing the same event collide on the unique key and one of them rolls back."""
    sent = 0
    for registration in recipients(event, months):
        person = registration.person
        survey = FollowupSurvey(person=person, event=event, months=months, sent_at=now or utcnow())
        db.session.add(survey)
        db.session.flush()
        token = make_token(survey)
        queue_mail(
            "followup_survey",
            to=person.email,
            to_name=person.full_name,
            subject=_l("%(title)s: what became of your project?", title=Localized(event, "title")),
            language=person.language,
            context={
                "person": person,
                "event": event,
                "months": months,
                "survey_url": url_for("surveys.answer", token=token, _external=True),
                "stop_url": url_for("surveys.stop_asking", token=token, _external=True),
            },
            event=event,
            person=person,
            registration=registration,
        )
        sent += 1
    return sent


def stop_asking(person: Person, now: datetime | None = None) -> None:
    if person.followup_opt_out_at is None:
        person.followup_opt_out_at = now or utcnow()
    consents.withdraw_followup(person, person.followup_opt_out_at)
    db.session.flush()


# ---------------------------------------------------------------- answers


@dataclass
class Answers:
    started_company: bool = False
    startup_name: str | None = None
    enterprise_number: str | None = None  # validated and normalised by the form
    founded_on: date | None = None
    jobs: int | None = None
    certification_name: str | None = None
    certification_issuer: str | None = None
    certification_on: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Answers":
        values = dict(data)
        for key in ("founded_on", "certification_on"):
            if values.get(key):
                values[key] = date.fromisoformat(values[key])
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def record_answers(survey: FollowupSurvey, answers: Answers, now: datetime | None = None) -> None:
    """Once: a second answer (another tab, a reused link) is a Conflict. The write is
    conditional so two at the same time cannot both pass."""
    now = now or utcnow()
    claimed = db.session.execute(
        sa.update(FollowupSurvey)
        .where(FollowupSurvey.id == survey.id, FollowupSurvey.answered_at.is_(None))
        .values(answered_at=now, answers=answers.as_json(), review=SurveyReview.PENDING)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if not claimed:
        raise Conflict(_l("This survey has been answered already. Thank you!"))
    db.session.expire(survey)


def pending_query() -> sa.Select:
    return (
        sa.select(FollowupSurvey)
        .where(FollowupSurvey.review == SurveyReview.PENDING)
        .options(joinedload(FollowupSurvey.person), joinedload(FollowupSurvey.event))
        .order_by(FollowupSurvey.answered_at, FollowupSurvey.id)
    )


def matching_startups(surveys: list[FollowupSurvey]) -> dict[int, Startup]:
    """The start-up already recorded under the enterprise number each answer gives, to show
    staff what accepting it will do. One query for the page."""
    numbers = {(s.answers or {}).get("enterprise_number") for s in surveys} - {None}
    if not numbers:
        return {}
    by_number = {
        startup.enterprise_number: startup
        for startup in db.session.scalars(
            sa.select(Startup).where(Startup.enterprise_number.in_(numbers))
        )
    }
    return {
        s.id: by_number[number]
        for s in surveys
        if (number := (s.answers or {}).get("enterprise_number")) in by_number
    }


def _answered_on(survey: FollowupSurvey) -> date:
    return survey.answered_at.astimezone(survey.event.zone).date()


def _startup_for(survey: FollowupSurvey, answers: Answers) -> tuple[Startup, bool]:
    """(start-up, the person is in it): theirs, matched by enterprise number or by name among
    their own, else a new one with them as founder. Someone else's start-up, found by its
    number, is only returned: joining it waits for staff's confirmation (confirm_link)."""
    startup = None
    own = db.session.scalars(
        sa.select(Startup).join(Startup.members).where(StartupMember.person_id == survey.person_id)
    ).all()
    if answers.enterprise_number:
        startup = db.session.scalar(
            sa.select(Startup).where(Startup.enterprise_number == answers.enterprise_number)
        )
    if startup is None:
        name = (answers.startup_name or "").casefold()
        startup = next((s for s in own if s.name.casefold() == name), None)
    if startup is None:
        startup = outcomes.create_startup(
            name=answers.startup_name, enterprise_number=answers.enterprise_number,
            founded_on=answers.founded_on,
        )  # fmt: skip
        outcomes.add_member(startup, survey.person, StartupRole.FOUNDER)
    return startup, survey.person_id in {m.person_id for m in startup.members}


def accept(
    survey: FollowupSurvey, user: User, now: datetime | None = None, *, jobs_confirmed=False
) -> Startup | None:
    """Merges the answers into the records: the start-up (matched by enterprise number, else
    by name among the person's own start-ups, else created) with the person as a founder,
    its jobs on the day of the answer, the certification. An answer that names a start-up
    recorded without the person only proposes the link (LINK_PROPOSED, confirmed on the
    start-up's page); more jobs than SURVEY_MAX_JOBS need `jobs_confirmed`. ValidationFailed
    from the record services when an answer does not hold (the view rolls back)."""
    if survey.review != SurveyReview.PENDING:
        raise Conflict(_l("This answer has been reviewed already."))
    answers = Answers.from_json(survey.answers or {})
    limit = current_app.config["SURVEY_MAX_JOBS"]
    if answers.jobs is not None and answers.jobs > limit and not jobs_confirmed:
        raise ValidationFailed({"jobs": _l(
            "%(n)d jobs is more than %(limit)d: confirm the figure to merge it.",
            n=answers.jobs, limit=limit)})  # fmt: skip
    startup, member = None, True
    if answers.started_company and answers.startup_name:
        startup, member = _startup_for(survey, answers)
        if member and answers.jobs is not None:
            outcomes.record_jobs(startup, _answered_on(survey), answers.jobs, answers.jobs)
    if answers.certification_name:
        outcomes.add_certification(
            survey.person, name=answers.certification_name, code=None,
            issuer=answers.certification_issuer or "", obtained_on=answers.certification_on
            or _answered_on(survey),
        )  # fmt: skip
    _reviewed(survey, SurveyReview.ACCEPTED if member else SurveyReview.LINK_PROPOSED, user, now)
    return startup


def proposed_links(startup: Startup) -> list[FollowupSurvey]:
    """Answers waiting for staff to confirm that their person belongs to this start-up."""
    if not startup.enterprise_number:
        return []
    return [
        s for s in db.session.scalars(
            sa.select(FollowupSurvey).where(FollowupSurvey.review == SurveyReview.LINK_PROPOSED)
            .options(joinedload(FollowupSurvey.person)).order_by(FollowupSurvey.id)
        )
        if (s.answers or {}).get("enterprise_number") == startup.enterprise_number
    ]  # fmt: skip


def confirm_link(survey: FollowupSurvey, startup: Startup, user: User, *, accepted: bool,
                 now: datetime | None = None) -> None:  # fmt: skip
    """Staff's answer to a proposed link: the person joins as founder, with the jobs the
    answer gave on its day; or the proposal is set aside (the rest stays merged)."""
    if survey.review != SurveyReview.LINK_PROPOSED or survey not in proposed_links(startup):
        raise Conflict(_l("This link has been decided already."))
    if accepted:
        answers = Answers.from_json(survey.answers or {})
        outcomes.add_member(startup, survey.person, StartupRole.FOUNDER)
        if answers.jobs is not None:
            outcomes.record_jobs(startup, _answered_on(survey), answers.jobs, answers.jobs)
    _reviewed(survey, SurveyReview.ACCEPTED if accepted else SurveyReview.REJECTED, user, now)


def reject(survey: FollowupSurvey, user: User, now: datetime | None = None) -> None:
    if survey.review != SurveyReview.PENDING:
        raise Conflict(_l("This answer has been reviewed already."))
    _reviewed(survey, SurveyReview.REJECTED, user, now)


def _reviewed(survey: FollowupSurvey, review: SurveyReview, user: User, now: datetime | None):
    survey.review = review
    survey.reviewed_at = now or utcnow()
    survey.reviewed_by_id = user.id
    db.session.flush()
