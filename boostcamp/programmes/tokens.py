"""The link to someone's programme page (/programmes/<slug>/p/<token>): the programme
registration's id signed with the app's SECRET_KEY, like registrations.tokens, with a salt
of its own (a registration's token opens no programme page, and the reverse)."""

from boostcamp.core.signing import sign_id, signed_id

SALT = "boostcamp.programmes.self-service"


def make_token(programme_registration_id: int) -> str:
    return sign_id(SALT, programme_registration_id)


def entry_id_from(token: str) -> int | None:
    return signed_id(SALT, token)
