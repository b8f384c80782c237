"""Signed links for accounts: an invitation to choose a password, a password reset.

A link names the account and carries a fingerprint of its password hash as it was when the
link was made: once a password is chosen, every earlier link of that account stops working
(single use, with nothing stored), and `max_age` bounds how long a link lives.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from boostcamp.auth.models import User
from boostcamp.core.extensions import db


class LinkExpired(Exception):
    """The link was genuine but is too old: 410."""


class LinkInvalid(Exception):
    """Tampered, unknown, or used already: 404."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=f"account-link:{purpose}")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]


def make_link_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": user.id, "state": _fingerprint(user)})


def read_link_token(token: str, purpose: str, max_age_seconds: int) -> User:
    """The account the link was made for; raises LinkExpired or LinkInvalid."""
    try:
        data = _serializer(purpose).loads(token, max_age=max_age_seconds)
    except SignatureExpired:
        raise LinkExpired from None
    except BadSignature:
        raise LinkInvalid from None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or data.get("state") != _fingerprint(user) or not user.active:
        raise LinkInvalid
    return user
