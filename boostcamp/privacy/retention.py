"""Retention: what is kept no longer than the settings say, removed in bounded batches by
the mail worker (a periodic job, at most every PRIVACY_PURGE_MINUTES) and by
`flask privacy purge`.

Each step is (name, function(now, limit, dry_run) -> count); another domain adds its own
with @purge_step (expired invitation tokens, say)."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from boostcamp.audit.models import Actor
from boostcamp.checkin.models import CheckIn
from boostcamp.core.services import get_setting, set_setting
from boostcamp.events.models import Event
from boostcamp.core.extensions import db
from boostcamp.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from boostcamp.outcomes.imports.models import ImportUpload
from boostcamp.outcomes.records.models import Certification, JobsSnapshot, StartupMember
from boostcamp.privacy.models import ErasureRequest
from boostcamp.privacy.services import anonymise
from boostcamp.registrations.models import Person, Registration

log = logging.getLogger("boostcamp.privacy")
PurgeStep = Callable[[datetime, int, bool], int]
STEPS: dict[str, PurgeStep] = {}
RETENTION = Actor.system("retention purge")  # the audit log's name for this job


def purge_step(name: str) -> Callable[[PurgeStep], PurgeStep]:
    def register(step: PurgeStep) -> PurgeStep:
        STEPS[name] = step
        return step

    return register


def inactive_people(now: datetime) -> sa.Select:
    """People with no registration, event, check-in or outcome in RETENTION_PERSON_YEARS."""
    cutoff = now - timedelta(days=365 * current_app.config["RETENTION_PERSON_YEARS"])
    recent_registration = (
        sa.select(Registration.person_id).join(Event, Event.id == Registration.event_id)
        .where(sa.or_(Registration.created_at >= cutoff, Event.ends_at >= cutoff))
    )  # fmt: skip
    recent_check_in = (
        sa.select(Registration.person_id).join(CheckIn, CheckIn.registration_id == Registration.id)
        .where(CheckIn.scanned_at >= cutoff)
    )  # fmt: skip
    recent_certification = sa.select(Certification.person_id).where(
        Certification.obtained_on >= cutoff.date())
    recent_startup = (
        sa.select(StartupMember.person_id)
        .join(JobsSnapshot, JobsSnapshot.startup_id == StartupMember.startup_id)
        .where(JobsSnapshot.on >= cutoff.date())
    )  # fmt: skip
    return (
        sa.select(Person.id)
        .where(Person.anonymised_at.is_(None), Person.created_at < cutoff,
               Person.id.not_in(recent_registration), Person.id.not_in(recent_check_in),
               Person.id.not_in(recent_certification), Person.id.not_in(recent_startup))
        .order_by(Person.id)
    )  # fmt: skip


@purge_step("people_anonymised")
def anonymise_inactive_people(now: datetime, limit: int, dry_run: bool) -> int:
    ids = list(db.session.scalars(inactive_people(now).limit(limit)))
    if not dry_run:
        for person in db.session.scalars(sa.select(Person).where(Person.id.in_(ids))):
            anonymise(person, now=now, reason="retention", actor=RETENTION)
    return len(ids)


@purge_step("mail_bodies_deleted")
def delete_old_mail_bodies(now: datetime, limit: int, dry_run: bool) -> int:
    cutoff = now - timedelta(days=current_app.config["RETENTION_MAIL_DAYS"])
    has_content = sa.or_(
        OutboxMessage.body_text.is_not(None), OutboxMessage.body_html.is_not(None),
        sa.exists().where(OutboxAttachment.message_id == OutboxMessage.id),
    )  # fmt: skip
    ids = list(db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.status.not_in([OutboxStatus.QUEUED, OutboxStatus.SENDING]),
               sa.func.coalesce(OutboxMessage.sent_at, OutboxMessage.created_at) < cutoff,
               has_content)
        .order_by(OutboxMessage.id).limit(limit)
    ))  # fmt: skip
    if ids and not dry_run:
        db.session.execute(sa.delete(OutboxAttachment)
                           .where(OutboxAttachment.message_id.in_(ids)))
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                           .values(body_text=None, body_html=None, draft=None))
    return len(ids)


@purge_step("erasure_links_deleted")
def delete_expired_erasure_links(now: datetime, limit: int, dry_run: bool) -> int:
    return _delete_oldest(ErasureRequest, ErasureRequest.expires_at < now, limit, dry_run)


@purge_step("import_uploads_deleted")
def delete_old_import_uploads(now: datetime, limit: int, dry_run: bool) -> int:
    """Uploaded files (outcomes imports) once IMPORT_KEEP_HOURS have passed, confirmed or not:
    what they held is in the records, or was never wanted."""
    cutoff = now - timedelta(hours=current_app.config["IMPORT_KEEP_HOURS"])
    return _delete_oldest(ImportUpload, ImportUpload.created_at < cutoff, limit, dry_run)


def _delete_oldest(model, condition, limit: int, dry_run: bool) -> int:
    """Up to `limit` rows of `model` that meet `condition`, the oldest (lowest id) first,
    deleted unless dry_run; how many."""
    ids = list(db.session.scalars(
        sa.select(model.id).where(condition).order_by(model.id).limit(limit)
    ))  # fmt: skip
    if ids and not dry_run:
        db.session.execute(sa.delete(model).where(model.id.in_(ids)))
    return len(ids)


# Mails whose body holds a sign-in link (an invitation, a password reset): the body goes as
# soon as the link has expired, not RETENTION_MAIL_DAYS later.
ACCOUNT_LINK_MAILS = {"account_invitation": "INVITATION_HOURS",
                      "account_reset": "PASSWORD_RESET_MINUTES"}  # fmt: skip


@purge_step("expired_account_links_deleted")
def delete_expired_account_links(now: datetime, limit: int, dry_run: bool) -> int:
    config = current_app.config
    expired = sa.or_(*(
        sa.and_(OutboxMessage.kind == kind,
                OutboxMessage.created_at < now - (
                    timedelta(hours=config[key]) if key.endswith("HOURS")
                    else timedelta(minutes=config[key])))
        for kind, key in ACCOUNT_LINK_MAILS.items()
    ))  # fmt: skip
    ids = list(db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(expired, OutboxMessage.status.not_in([OutboxStatus.QUEUED, OutboxStatus.SENDING]),
               sa.or_(OutboxMessage.body_text.is_not(None), OutboxMessage.body_html.is_not(None)))
        .order_by(OutboxMessage.id).limit(limit)
    ))  # fmt: skip
    if ids and not dry_run:
        db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id.in_(ids))
                           .values(body_text=None, body_html=None, draft=None))
    return len(ids)


LAST_PURGE = "privacy_last_purge"  # core.services settings: shown on /staff/privacy


def purge(now: datetime, *, limit: int | None = None, dry_run: bool = False) -> dict[str, int]:
    """One batch of each step, each committed on its own (a dry run changes nothing). A
    real run keeps its counts for /staff/privacy (the setting privacy_last_purge)."""
    limit = limit or current_app.config["RETENTION_BATCH"]
    counts = {}
    for name, step in STEPS.items():
        try:
            counts[name] = step(now, limit, dry_run)
            db.session.rollback() if dry_run else db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("purge step %s failed", name)
            counts[name] = -1
    if not dry_run:
        set_setting(LAST_PURGE, {"at": now.isoformat(), "counts": counts})
        db.session.commit()
    log.info("privacy purge%s: %s", " (dry run)" if dry_run else "", counts)
    return counts


def last_purge() -> dict | None:
    return get_setting(LAST_PURGE)
