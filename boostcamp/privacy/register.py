"""The controller's records (/staff/privacy): the retention settings in force, the last
purge, open erasure requests, and the register of processing activities (GDPR Art. 30),
built from the settings so that it says what the app does."""

import csv
import io
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from boostcamp.events.models import EventOrganiser
from boostcamp.core.extensions import db
from boostcamp.organisations.models import Organisation
from boostcamp.privacy.models import ErasureRequest


def settings_in_force() -> list[tuple[Any, Any]]:
    """(what, value) of every setting that bounds how long personal data is kept."""
    config = current_app.config
    return [
        (_l("People without activity are anonymised after (years)"),
         config["RETENTION_PERSON_YEARS"]),
        (_l("Mail bodies and attachments are deleted after (days)"),
         config["RETENTION_MAIL_DAYS"]),
        (_l("An erasure link works for (hours)"), config["ERASURE_LINK_HOURS"]),
        (_l("Uploaded import files are deleted after (hours)"), config["IMPORT_KEEP_HOURS"]),
        (_l("Invitation links work for (hours)"), config["INVITATION_HOURS"]),
        (_l("Password reset links work for (minutes)"), config["PASSWORD_RESET_MINUTES"]),
        (_l("The purge runs at most every (minutes)"), config["PRIVACY_PURGE_MINUTES"]),
        (_l("Rows per purge step"), config["RETENTION_BATCH"]),
        (_l("Privacy notice version"), config["PRIVACY_NOTICE_VERSION"]),
    ]  # fmt: skip


def open_erasure_requests(now: datetime) -> sa.Select:
    """Erasure links mailed and not followed yet, still valid: oldest first."""
    return (
        sa.select(ErasureRequest)
        .where(ErasureRequest.used_at.is_(None), ErasureRequest.expires_at > now)
        .order_by(ErasureRequest.created_at, ErasureRequest.id)
        .options(selectinload(ErasureRequest.person))
    )


def organisers() -> list[str]:
    """Every organisation that hosts or co-organises an event: the recipients of
    participants' data."""
    return list(db.session.scalars(
        sa.select(Organisation.name)
        .where(Organisation.id.in_(sa.select(EventOrganiser.organisation_id)))
        .order_by(Organisation.name)
    ))  # fmt: skip


REGISTER_COLUMNS = {
    "activity": _l("Processing activity"),
    "purposes": _l("Purposes"),
    "legal_basis": _l("Legal basis"),
    "data_subjects": _l("Data subjects"),
    "data_categories": _l("Categories of data"),
    "recipients": _l("Recipients"),
    "retention": _l("Retention"),
    "controller": _l("Controller"),
}


def processing_activities() -> list[dict[str, str]]:
    """The register's lines, in the reader's language, from the settings in force."""
    config = current_app.config
    controller = _l("%(name)s — %(contact)s; data protection officer: %(dpo)s",
                    name=config["PRIVACY_CONTROLLER"], contact=config["PRIVACY_CONTACT"],
                    dpo=config["PRIVACY_DPO"])  # fmt: skip
    anonymised = _l("anonymised %(years)d years after the person's last registration, "
                    "attendance or recorded outcome", years=config["RETENTION_PERSON_YEARS"])
    centre = _l("the centre's staff")
    rows = [
        (_l("Event registrations and attendance"),
         _l("Organising events: registration, waiting list, confirmations, reminders, "
            "check-in, certificates of attendance"),
         _l("Contract (GDPR Art. 6(1)(b)), on the consent recorded at registration with "
            "the privacy notice's version"),
         _l("Participants"),
         _l("Name, e-mail, phone, organisation, profile, answers to the event's questions, "
            "attendance, staff notes"),
         _l("The event's organisers (host and co-organisers): %(names)s",
            names=", ".join(organisers()) or "-"),
         anonymised),
        (_l("Follow-up and impact figures"),
         _l("Follow-up surveys; start-ups, jobs and certifications credited to events; "
            "anonymous figures for the funders"),
         _l("Consent to follow-up contact (Art. 6(1)(a)), withdrawable; the centre's "
            "legitimate interest for anonymous figures (Art. 6(1)(f))"),
         _l("Participants who agreed to follow-up; start-up founders"),
         _l("Survey answers, start-ups, jobs counts, certifications"),
         _l("%(centre)s; funders receive anonymous figures only", centre=centre),
         anonymised),
        (_l("Mails to participants"),
         _l("Sending confirmations, offers, reminders, notices and organisers' messages"),
         _l("Contract (Art. 6(1)(b))"),
         _l("Participants"),
         _l("E-mail address, name, the mail's text and attachments"),
         _l("%(centre)s; the mail server (%(server)s)", centre=centre,
            server=config.get("MAIL_SERVER") or "-"),
         _l("texts and attachments deleted %(days)d days after sending",
            days=config["RETENTION_MAIL_DAYS"])),
        (_l("Rights requests"),
         _l("Erasure confirmed from the person's mailbox; access, correction and portability "
            "from their data page"),
         _l("Legal obligation (Art. 6(1)(c))"),
         _l("Participants"),
         _l("The request and its single-use link (hashed)"),
         centre,
         _l("links deleted %(hours)d hours after they were mailed",
            hours=config["ERASURE_LINK_HOURS"])),
        (_l("Staff and partner accounts"),
         _l("Access to the staff pages and the API; the audit log"),
         _l("The centre's legitimate interest (Art. 6(1)(f))"),
         _l("Staff and partners' members"),
         _l("Name, e-mail, password hash, two-step secret, actions in the audit log"),
         centre,
         _l("while the account is active; invitation links %(hours)d hours",
            hours=config["INVITATION_HOURS"])),
        (_l("Imports of outcomes"),
         _l("Recording start-ups, jobs and certifications from files"),
         _l("The centre's legitimate interest (Art. 6(1)(f))"),
         _l("Start-up founders, certified participants"),
         _l("E-mail addresses of known people, company details"),
         centre,
         _l("uploaded files deleted after %(hours)d hours",
            hours=config["IMPORT_KEEP_HOURS"])),
    ]  # fmt: skip
    keys = list(REGISTER_COLUMNS)
    return [
        {**dict(zip(keys[:-1], map(str, row), strict=True)), "controller": str(controller)}
        for row in rows
    ]


def register_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(REGISTER_COLUMNS))
    writer.writerow({key: str(label) for key, label in REGISTER_COLUMNS.items()})  # the header
    writer.writerows(processing_activities())
    return out.getvalue()
