"""Ids signed with the app's SECRET_KEY (HMAC), for links that need no account: nobody can
make one for another id, a changed character makes it invalid, and it does not expire. Each
kind of link has a salt of its own, so that one kind's token opens nothing of another."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from boostcamp.core import inputs


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def sign_id(salt: str, id_: int) -> str:
    return _serializer(salt).dumps(id_)


def signed_id(salt: str, token: str) -> int | None:
    """The id, or None for a token this app did not sign with this salt (or spelt it
    otherwise: with base64 padding, say)."""
    if not inputs.canonical_token(token):
        return None
    try:
        value = _serializer(salt).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
