"""Attendance certificates: a PDF for whoever came to enough of an event's sessions.

Nothing is stored: the PDF is drawn from the standing check-ins each time, so an undone
check-in takes the certificate back. Its verification code is the registration's id with an
HMAC of it (SECRET_KEY): the public /certificates/<code> page confirms what it says, and
nobody can make a code for a certificate that was never earned.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from boostcamp.checkin.attendance import attendance_query
from boostcamp.checkin.models import CheckIn
from boostcamp.core.errors import DomainError
from boostcamp.events.models import Event, EventSession
from boostcamp.core.extensions import db
from boostcamp.outcomes.impact.attribution import current_rule
from boostcamp.registrations.models import Registration, RegistrationStatus

CODE_DIGEST_LENGTH = 10


class CertificateNotEarned(DomainError):
    code = "not_earned"


@dataclass(frozen=True)
class Attendance:
    registration: Registration
    sessions: list[EventSession]  # the sessions attended (empty for an event without agenda)
    attended: int  # sessions attended; an event without agenda counts as one session
    total: int

    @property
    def rate(self) -> float:
        return min(self.attended / self.total, 1.0) if self.total else 0.0

    @property
    def event(self) -> Event:
        return self.registration.event


def min_attendance() -> float:
    """The share of sessions that earns a certificate: the attribution rule's own (50 % by
    default, a setting staff change on the impact dashboard), so that whoever has a
    certificate is also who the reports count as having attended."""
    return current_rule().min_attendance_percent / 100


def attendance_of(registration: Registration) -> Attendance:
    attended = attendance_query().where(CheckIn.registration_id == registration.id).subquery()
    session_ids = set(db.session.scalars(sa.select(attended.c.session_id).distinct()))
    event = registration.event
    sessions = [s for s in event.sessions if s.id in session_ids]
    count = len(sessions) if event.sessions else (1 if session_ids else 0)
    return Attendance(registration, sessions, count, len(event.sessions) or 1)


def earned(attendance: Attendance) -> bool:
    return (
        attendance.registration.status == RegistrationStatus.CONFIRMED
        and attendance.attended > 0
        and attendance.rate >= min_attendance()
    )


def not_earned_message(attendance: Attendance) -> str:
    return _(
        "A certificate of attendance needs at least %(percent)d%% of the sessions; "
        "%(attended)d of %(total)d attended so far.",
        percent=round(min_attendance() * 100), attended=attendance.attended,
        total=attendance.total,
    )  # fmt: skip


def earned_attendance(registration: Registration) -> Attendance:
    """The attendance behind a certificate, or CertificateNotEarned with the reason."""
    attendance = attendance_of(registration)
    if not earned(attendance):
        raise CertificateNotEarned(not_earned_message(attendance))
    return attendance


# ---------------------------------------------------------------- verification code


def signed_code(purpose: str, prefix: str, number: int) -> str:
    """`prefix`, the number and an HMAC of it (SECRET_KEY) for `purpose`: a code nobody can
    make up, checked by number_from_code."""
    return f"{prefix}{number}-{_digest(purpose, number)}"


def number_from_code(purpose: str, prefix: str, code: str) -> int | None:
    """The number behind a code that signed_code made, or None."""
    # ASCII digits only, as many as an id has (str.isdigit() takes ² and ١ too).
    match = re.fullmatch(re.escape(prefix) + r"([0-9]{1,18})-([0-9A-F]+)", code.strip().upper())
    if match is None:
        return None
    if not hmac.compare_digest(match.group(2), _digest(purpose, int(match.group(1)))):
        return None
    return int(match.group(1))


def _digest(purpose: str, number: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{purpose}:{number}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:CODE_DIGEST_LENGTH].upper()


def verification_code(registration: Registration) -> str:
    return signed_code("certificate", "", registration.id)


def registration_id_from_code(code: str) -> int | None:
    return number_from_code("certificate", "", code)
