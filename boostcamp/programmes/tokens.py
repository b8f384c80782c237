"""The link to someone's programme page (/programmes/<slug>/p/<token>): the programme
registration's id signed with the app's SECRET_KEY, like registrations.tokens, with a salt
of its own (a registration's token opens no programme page, and the reverse)."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from boostcamp.core import inputs

SALT = "boostcamp.programmes.self-service"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(programme_registration_id: int) -> str:
    return _serializer().dumps(programme_registration_id)


def entry_id_from(token: str) -> int | None:
    if not inputs.canonical_token(token):
        return None
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
