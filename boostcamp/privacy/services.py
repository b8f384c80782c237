"""Privacy (GDPR): what a person sees, downloads, corrects and erases.

Erasure is anonymisation: the person row stays, without identity, so that registrations,
check-ins, start-up credits and certifications still count in the funders' figures."""

import csv
import io
import secrets
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from boostcamp.audit import services as audit
from boostcamp.audit.models import Actor, AuditEntry
from boostcamp.core.db import utcnow
from boostcamp.core.errors import Conflict, ValidationFailed
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.ical.models import CalendarFeed
from boostcamp.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from boostcamp.mail.services import queue_mail
from boostcamp.outcomes.certificates.services import attendance_of, earned
from boostcamp.outcomes.records.models import Certification, StartupMember
from boostcamp.outcomes.surveys.models import FollowupSurvey
from boostcamp.registrations import consents
from boostcamp.registrations.consents import consents_of
from boostcamp.privacy.models import ErasureRequest, token_hash
from boostcamp.registrations.models import (
    Consent,
    Person,
    Profile,
    Registration,
    RegistrationAnswer,
    search_text,
)
from boostcamp.registrations.signup import MAX_LENGTHS

ANONYMOUS_FIRST_NAME = "anonymised"


class ErasureLinkInvalid(Conflict):
    code = "erasure_link_invalid"


# ---------------------------------------------------------------- what the person sees


def registrations_of(person: Person) -> list[Registration]:
    return list(db.session.scalars(
        sa.select(Registration)
        .where(Registration.person_id == person.id)
        .order_by(Registration.created_at, Registration.id)
        .options(selectinload(Registration.event).selectinload(Event.organisers),
                 selectinload(Registration.answers))
    ))  # fmt: skip


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def person_data(person: Person) -> dict[str, Any]:
    """Everything stored about the person (Art. 15/20), as plain JSON values."""
    consents = [consent_data(c) for c in consents_of(person)]
    registrations = []
    for r in registrations_of(person):
        attendance = attendance_of(r)
        registrations.append({
            "event": r.event.title,
            "event_starts_at": _iso(r.event.starts_at),
            "organisers": [o.organisation.name for o in r.event.organisers],
            "status": r.status.value,
            "registered_at": _iso(r.created_at),
            "source": r.source.value,
            "profile": r.profile.value,
            "organisation": r.organisation_name,
            "city": r.city,
            "ticket_code": r.ticket_code,
            "consent_followup": r.consent_followup,
            "consents": [c for c in consents if c["registration_id"] == r.id],
            "answers": {a.question.label: a.value for a in r.answers},
            "details_given_by_organisers": (
                {"first_name": r.given_first_name, "last_name": r.given_last_name,
                 "phone": r.given_phone} if r.given_first_name is not None else None
            ),
            "attendance": {
                "sessions_attended": attendance.attended, "sessions": attendance.total,
                "sessions_attended_at": [_iso(s.starts_at) for s in attendance.sessions],
            },
            "certificate_of_attendance": earned(attendance),
        })  # fmt: skip
    surveys = db.session.scalars(
        sa.select(FollowupSurvey).where(FollowupSurvey.person_id == person.id)
        .order_by(FollowupSurvey.id).options(selectinload(FollowupSurvey.event))
    )  # fmt: skip
    certifications = db.session.scalars(
        sa.select(Certification).where(Certification.person_id == person.id)
        .order_by(Certification.obtained_on)
    )  # fmt: skip
    startups = db.session.scalars(
        sa.select(StartupMember).where(StartupMember.person_id == person.id)
        .options(selectinload(StartupMember.startup))
    )  # fmt: skip
    return {
        "person": {
            "first_name": person.first_name, "last_name": person.last_name,
            "email": person.email, "phone": person.phone, "language": person.language,
            "created_at": _iso(person.created_at),
            "follow_up_withdrawn_at": _iso(person.followup_opt_out_at),
            "reminders_stopped_at": _iso(person.reminders_opt_out_at),
        },
        "registrations": registrations,
        "consents": consents,
        "follow_up_surveys": [
            {"event": s.event.title, "months": s.months, "sent_at": _iso(s.sent_at),
             "answered_at": _iso(s.answered_at), "answers": s.answers}
            for s in surveys
        ],
        "certifications": [
            {"name": c.name, "code": c.code, "issuer": c.issuer,
             "obtained_on": _iso(c.obtained_on)} for c in certifications
        ],
        "startups": [
            {"name": m.startup.name, "role": m.role.value} for m in startups
        ],
    }  # fmt: skip


def consent_data(consent: Consent) -> dict[str, Any]:
    return {
        "kind": consent.kind.value,
        "event": consent.registration.event.title if consent.registration else None,
        "registration_id": consent.registration_id,
        "given_at": _iso(consent.given_at),
        "notice_version": consent.notice_version,
        "channel": consent.channel.value,
        "asserted_by": consent.asserted_by,
        "withdrawn_at": _iso(consent.withdrawn_at),
    }


CSV_COLUMNS = ["section", "event", "date", "status", "details"]


def person_csv(data: dict[str, Any]) -> str:
    """The same data as the JSON, one line per registration, survey, certification."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    p = data["person"]
    writer.writerow(["person", "", p["created_at"], "",
                     f'{p["first_name"]} {p["last_name"]} <{p["email"]}> {p["phone"] or ""}'])
    for r in data["registrations"]:
        att = r["attendance"]
        writer.writerow(["registration", r["event"], r["event_starts_at"], r["status"],
                         f'{r["profile"]}; {r["organisation"] or ""}; '
                         f'{att["sessions_attended"]}/{att["sessions"]}; '
                         f'{", ".join(r["organisers"])}'])  # fmt: skip
    for c in data["consents"]:
        writer.writerow(["consent", c["event"] or "", c["given_at"],
                         f'withdrawn {c["withdrawn_at"]}' if c["withdrawn_at"] else "given",
                         f'{c["kind"]}; {c["channel"]}; notice {c["notice_version"] or "-"}; '
                         f'{c["asserted_by"] or "self"}'])  # fmt: skip
    for s in data["follow_up_surveys"]:
        writer.writerow(["follow_up_survey", s["event"], s["sent_at"],
                         "answered" if s["answered_at"] else "", s["answers"] or ""])
    for c in data["certifications"]:
        writer.writerow(["certification", c["name"], c["obtained_on"], "", c["issuer"]])
    for s in data["startups"]:
        writer.writerow(["startup", s["name"], "", s["role"], ""])
    return out.getvalue()


# ---------------------------------------------------------------- what the person changes

PHONE_CHARS = set("+0123456789 ./()-")


def correct_details(
    person: Person, *, first_name: str, last_name: str, phone: str | None,
    organisation: str | None, profile: str,
) -> None:
    """The person's own details, in every registration of theirs: all or nothing."""
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    phone = (phone or "").strip() or None
    organisation = (organisation or "").strip() or None
    errors: dict[str, Any] = {}
    if not first_name:
        errors["first_name"] = _l("Give your first name.")
    elif len(first_name) > MAX_LENGTHS["first_name"]:
        errors["first_name"] = _l("Too long.")
    if not last_name:
        errors["last_name"] = _l("Give your last name.")
    elif len(last_name) > MAX_LENGTHS["last_name"]:
        errors["last_name"] = _l("Too long.")
    if phone is not None and (
        len(phone) > MAX_LENGTHS["phone"] or not set(phone) <= PHONE_CHARS
        or sum(c.isdigit() for c in phone) < 6
    ):
        errors["phone"] = _l("Give a phone number, e.g. +32 65 00 00 00.")
    if organisation is not None and len(organisation) > MAX_LENGTHS["organisation_name"]:
        errors["organisation"] = _l("Too long.")
    if profile not in {p.value for p in Profile}:
        errors["profile"] = _l("Choose what describes you best.")
    if errors:
        raise ValidationFailed(errors)
    person.first_name, person.last_name, person.phone = first_name, last_name, phone
    for registration in registrations_of(person):
        registration.organisation_name = organisation
        registration.profile = Profile(profile)
    db.session.flush()


def withdraw_followup(person: Person, now: datetime | None = None) -> None:
    now = now or utcnow()
    person.followup_opt_out_at = person.followup_opt_out_at or now
    for registration in registrations_of(person):
        registration.consent_followup = False
    consents.withdraw_followup(person, now)


def stop_reminders(person: Person, now: datetime | None = None) -> None:
    person.reminders_opt_out_at = person.reminders_opt_out_at or now or utcnow()


# ---------------------------------------------------------------- erasure


def request_erasure(person: Person, now: datetime | None = None) -> ErasureRequest:
    """Mail the person a single-use link that erases them (in the caller's transaction)."""
    now = now or utcnow()
    hours = current_app.config["ERASURE_LINK_HOURS"]
    token = secrets.token_urlsafe(32)
    request = ErasureRequest(person=person, token_hash=token_hash(token),
                             created_at=now, expires_at=now + timedelta(hours=hours))
    db.session.add(request)
    queue_mail(
        "privacy_erasure",
        to=person.email,
        to_name=person.full_name,
        subject=_l("Erase your data: please confirm"),
        language=person.language or "fr",
        person=person,
        context={"person": person, "hours": hours,
                 "url": url_for("privacy.erase", token=token, _external=True)},
    )  # fmt: skip
    return request


def erasure_request_for(token: str, now: datetime | None = None) -> ErasureRequest:
    """The open request the link belongs to, or ErasureLinkInvalid (unknown, used, expired)."""
    now = now or utcnow()
    request = db.session.scalar(
        sa.select(ErasureRequest).where(ErasureRequest.token_hash == token_hash(token))
    )
    if request is None or request.used_at is not None or request.expires_at <= now:
        raise ErasureLinkInvalid(str(_l(
            "This link is no longer valid: it was used already, or it expired. Nothing was "
            "erased. Ask again from your data page if you still wish to."
        )))  # fmt: skip
    if request.person.anonymised_at is not None:
        raise ErasureLinkInvalid(str(_l("Your data has already been erased.")))
    return request


def erase_with_link(token: str, now: datetime | None = None) -> Person:
    now = now or utcnow()
    request = erasure_request_for(token, now)
    request.used_at = now
    anonymise(request.person, now=now, reason="self", actor=Actor.visitor("erasure link"))
    return request.person


def _scrub(value: Any, secrets_: list[str]) -> Any:
    """A JSON value with every occurrence of the erased strings replaced."""
    if isinstance(value, str):
        for s in secrets_:
            value = value.replace(s, ANONYMOUS_FIRST_NAME)
        return value
    if isinstance(value, list):
        return [_scrub(v, secrets_) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, secrets_) for k, v in value.items()}
    return value


def identity_values(person: Person) -> list[str]:
    """What identifies the person in free text: e-mail, phone, full names."""
    values = {person.email, person.full_name, person.phone}
    for r in person.registrations:
        values |= {r.given_phone, r.organisation_name}
        if r.given_first_name is not None:
            values.add(f"{r.given_first_name} {r.given_last_name}")
    # Longest first: "Marie Dupont" goes before "Marie" would leave "Dupont".
    return sorted((v for v in values if v and len(v) >= 3), key=len, reverse=True)


# The rows a bulk statement changed are found in the session by their keys (RETURNING), not
# by testing every object the session holds ("evaluate", SQLAlchemy's first choice): the
# retention purge erases people one after the other in one session, and each of them then
# cost a scan of all the people, registrations and mails erased before (quadratic).
BY_KEY = {"synchronize_session": "fetch"}


def anonymise(person: Person, *, now: datetime | None = None, reason: str,
              user=None, actor=None) -> None:
    """Erase the person's identity (Art. 17) and keep their row, registrations, check-ins,
    start-up memberships and certifications: the figures do not move."""
    if person.anonymised_at is not None:
        return
    now = now or utcnow()
    erased = identity_values(person)
    old_email = person.email
    person.email = f"anonymised-{person.id}@invalid.invalid"
    person.first_name, person.last_name, person.phone = ANONYMOUS_FIRST_NAME, f"#{person.id}", None
    person.anonymised_at = now
    person.followup_opt_out_at = person.followup_opt_out_at or now
    person.reminders_opt_out_at = person.reminders_opt_out_at or now
    registration_ids = []
    for r in person.registrations:
        registration_ids.append(r.id)
        r.organisation_name = r.note = r.cancel_reason = r.city = None
        r.given_first_name = r.given_last_name = r.given_phone = None
        r.consent_followup = False
        r.search_text = search_text(r, person)
    consents.withdraw_followup(person, now)
    if registration_ids:
        db.session.execute(sa.delete(RegistrationAnswer)
                           .where(RegistrationAnswer.registration_id.in_(registration_ids)),
                           execution_options=BY_KEY)
    for survey in db.session.scalars(
        sa.select(FollowupSurvey).where(FollowupSurvey.person_id == person.id)
    ):
        # Numbers and yes/no stay (jobs, "a company?"), free text goes.
        survey.answers = {k: v for k, v in (survey.answers or {}).items()
                          if isinstance(v, (bool, int, float)) or v is None} or None
        survey.review_note = None
    mails = sa.or_(OutboxMessage.person_id == person.id, OutboxMessage.to_address == old_email)
    if registration_ids:
        mails = sa.or_(mails, OutboxMessage.registration_id.in_(registration_ids))
    mail_ids = list(db.session.scalars(sa.select(OutboxMessage.id).where(mails)))
    if mail_ids:
        db.session.execute(sa.delete(OutboxAttachment)
                           .where(OutboxAttachment.message_id.in_(mail_ids)),
                           execution_options=BY_KEY)
        db.session.execute(
            sa.update(OutboxMessage).where(OutboxMessage.id.in_(mail_ids),
                                           OutboxMessage.status.in_([OutboxStatus.QUEUED,
                                                                     OutboxStatus.SENDING]))
            .values(status=OutboxStatus.FAILED), execution_options=BY_KEY
        )  # a queued mail to an erased person is never sent  # fmt: skip
        db.session.execute(
            sa.update(OutboxMessage).where(OutboxMessage.id.in_(mail_ids))
            .values(to_address=person.email, to_name=None, subject="-", body_text=None,
                    body_html=None, draft=None, last_error=None),
            execution_options=BY_KEY,
        )  # fmt: skip
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.person_id == person.id),
                       execution_options=BY_KEY)
    db.session.execute(sa.delete(ErasureRequest).where(ErasureRequest.person_id == person.id,
                                                       ErasureRequest.used_at.is_(None)),
                       execution_options=BY_KEY)
    # Audit entries kept their changes as JSON: the erased values are replaced in them.
    if erased:
        text = sa.cast(AuditEntry.changes, sa.Text)
        for entry in db.session.scalars(
            sa.select(AuditEntry).where(sa.or_(*(text.contains(v) for v in erased)))
        ):
            entry.changes = _scrub(entry.changes, erased)
    audit.record("person_anonymised", actor=audit.Actor.of(user, actor=actor),
                 changes={"person": [None, person.id], "reason": [None, reason]})
    db.session.flush()


# ---------------------------------------------------------------- staff: find and merge


def people_query(search: str | None = None) -> sa.Select:
    """People, newest first; `search` matches name, e-mail or phone."""
    query = sa.select(Person).order_by(Person.id.desc()).options(
        selectinload(Person.registrations).selectinload(Registration.event)
    )
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(sa.or_(
            sa.func.lower(Person.email).like(like),
            sa.func.lower(Person.first_name + " " + Person.last_name).like(like),
            Person.phone.like(like),
        ))  # fmt: skip
    return query


def merge(keep: Person, other: Person, *, user=None) -> None:
    """Two records of the same human (two addresses): `other`'s history moves to `keep`,
    then `other` goes. Refused when both registered for the same event (the registrations
    would have to be chosen between: staff cancel one first)."""
    if keep.id == other.id:
        raise Conflict(str(_l("Choose two different people.")))
    both = db.session.scalar(
        sa.select(Event.title).join(Registration, Registration.event_id == Event.id)
        .where(Registration.person_id == keep.id,
               Registration.event_id.in_(sa.select(Registration.event_id)
                                         .where(Registration.person_id == other.id)))
        .limit(1)
    )  # fmt: skip
    if both is not None:
        raise Conflict(str(_l("Both are registered for “%(event)s”: cancel one of the two "
                              "registrations first.", event=both)))
    shared = db.session.scalar(
        sa.select(sa.func.count()).select_from(StartupMember)
        .where(StartupMember.person_id == keep.id,
               StartupMember.startup_id.in_(sa.select(StartupMember.startup_id)
                                            .where(StartupMember.person_id == other.id)))
    )  # fmt: skip
    if shared:
        raise Conflict(str(_l("Both are members of the same start-up: remove one first.")))
    for model in (Registration, FollowupSurvey, Certification, StartupMember, OutboxMessage,
                  Consent):
        db.session.execute(sa.update(model).where(model.person_id == other.id)
                           .values(person_id=keep.id))
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.person_id == other.id))
    db.session.execute(sa.delete(ErasureRequest).where(ErasureRequest.person_id == other.id))
    audit.record("people_merged", actor=audit.Actor.of(user),
                 changes={"person": [other.id, keep.id]})
    db.session.expire_all()
    db.session.delete(db.session.get(Person, other.id))
    db.session.flush()
