"""The optional second factor: a time-based code (TOTP, RFC 6238) from an authenticator app,
or one of ten single-use recovery codes. Centre staff may be required to have one."""

import hashlib
import secrets
import time

import pyotp
import segno
from flask_babel import lazy_gettext as _l

from boostcamp.audit import services as audit
from boostcamp.auth.models import User
from boostcamp.auth.two_factor_models import TwoFactor
from boostcamp.core.services import get_setting, set_setting
from boostcamp.core.db import utcnow
from boostcamp.core.errors import DomainError
from boostcamp.core.extensions import db

REQUIRED_FOR_STAFF = "two_factor_required_for_staff"  # a staff-editable setting
RECOVERY_CODES = 10
ISSUER = "Boostcamp"


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").replace(" ", "").lower().encode()).hexdigest()


def _row(user: User, lock: bool = False) -> TwoFactor | None:
    # Locked where a code is used up: two requests with one code cannot both pass.
    return db.session.get(TwoFactor, user.id, with_for_update=lock or None)


def enabled(user: User) -> bool:
    row = _row(user)
    return row is not None and row.confirmed_at is not None


def required_setting() -> bool:
    return bool(get_setting(REQUIRED_FOR_STAFF))


def required(user: User) -> bool:
    return user.is_centre_staff and required_setting()


def set_required(value: bool, *, by: User) -> None:
    before = bool(get_setting(REQUIRED_FOR_STAFF))
    set_setting(REQUIRED_FOR_STAFF, bool(value))
    if before != bool(value):
        audit.record("two_factor_required_for_staff", actor=audit.Actor.of(by),
                     changes={"required": [before, bool(value)]})  # fmt: skip


def start_setup(user: User) -> TwoFactor:
    """The secret to show while the second factor is being set up; the same one on every
    reload, until a code confirms it."""
    row = _row(user)
    if row is not None and row.confirmed_at is not None:
        raise DomainError(_l("Two-step sign-in is already on."))
    if row is None:
        row = TwoFactor(user_id=user.id, secret=pyotp.random_base32(), last_step=0,
                        recovery_codes=[])  # fmt: skip
        db.session.add(row)
        db.session.flush()
    return row


def setup_uri(user: User, row: TwoFactor) -> str:
    return pyotp.TOTP(row.secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code(uri: str) -> str:
    """The setup link as a QR code, an SVG data URI for an <img>."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _check_totp(row: TwoFactor, code: str, at: float | None = None) -> bool:
    """A right code for this step or the one before or after (clocks drift), not older than
    the last code accepted: a code overheard once cannot be replayed."""
    code = code.replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    totp, now = pyotp.TOTP(row.secret), time.time() if at is None else at
    step = int(now // totp.interval)
    for candidate in (step - 1, step, step + 1):
        if candidate > row.last_step and secrets.compare_digest(
            totp.at(candidate * totp.interval), code
        ):
            row.last_step = candidate
            return True
    return False


def _new_recovery_codes(row: TwoFactor) -> list[str]:
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    row.recovery_codes = [_hash(c) for c in codes]
    return codes


def confirm_setup(user: User, code: str) -> list[str]:
    """Turn the second factor on with a first right code; returns the recovery codes, shown
    once and never stored in clear."""
    row = start_setup(user)
    row = _row(user, lock=True)
    if not _check_totp(row, code):
        raise DomainError(_l("This code is not right: type the 6 digits the app shows now."),
                          field="code")  # fmt: skip
    row.confirmed_at = utcnow()
    codes = _new_recovery_codes(row)
    user.revoke_sessions()  # whoever holds a session of the account now needs the code too
    audit.record("two_factor_enabled", actor=audit.Actor.of_user(user), changes={"email": [None, user.email]})
    db.session.flush()
    return codes


def verify(user: User, code: str) -> bool:
    """A sign-in's second step: the app's code, or an unused recovery code (then used up)."""
    row = _row(user, lock=True)
    if row is None or row.confirmed_at is None:
        return False
    code = (code or "").strip()
    if _check_totp(row, code):
        return True
    digest = _hash(code)
    if digest in row.recovery_codes:
        row.recovery_codes = [c for c in row.recovery_codes if c != digest]
        audit.record("two_factor_recovery_code_used", actor=audit.Actor.of_user(user),
                     changes={"recovery_codes_left": [len(row.recovery_codes) + 1,
                                                      len(row.recovery_codes)]})  # fmt: skip
        return True
    return False


def recovery_codes_left(user: User) -> int:
    row = _row(user)
    return len(row.recovery_codes) if row is not None else 0


def renew_recovery_codes(user: User, code: str) -> list[str]:
    row = _row(user, lock=True)
    if row is None or row.confirmed_at is None or not _check_totp(row, code):
        raise DomainError(_l("This code is not right: type the 6 digits the app shows now."),
                          field="code")  # fmt: skip
    codes = _new_recovery_codes(row)
    audit.record("two_factor_recovery_codes_renewed", actor=audit.Actor.of_user(user))
    db.session.flush()
    return codes


def disable(user: User, *, password: str | None = None, code: str | None = None,
            by: User | None = None) -> None:  # fmt: skip
    """Turn the second factor off: the owner proves both factors; an admin (by) may turn
    off someone else's, for a lost phone, and that is in the audit log too. `by` the account
    itself: the command line, run by whoever runs the server."""
    row = _row(user)
    if row is None:
        return
    if by is None:
        if not user.check_password(password or ""):
            raise DomainError(_l("This password is not right."), field="password")
        if row.confirmed_at is not None and not verify(user, code or ""):
            raise DomainError(_l("This code is not right: type the 6 digits the app shows now."),
                              field="code")  # fmt: skip
    was_on = row.confirmed_at is not None
    db.session.delete(row)
    if was_on:
        audit.record("two_factor_disabled", actor=audit.Actor.of_user(by or user),
                     changes={"email": [user.email, None]})  # fmt: skip
    db.session.flush()
