"""The self-service link in every mail: /r/<token>, no account needed.

The token is the registration's id signed with the app's SECRET_KEY (HMAC): nobody can make
one for another registration, and a changed character makes it invalid. It does not expire:
the link in a confirmation must still work on the day of the event.
"""

from boostcamp.core.signing import sign_id, signed_id
from boostcamp.core.extensions import db
from boostcamp.registrations.models import Registration

SALT = "boostcamp.registrations.self-service"


def make_token(registration_id: int) -> str:
    return sign_id(SALT, registration_id)


def registration_id_from(token: str) -> int | None:
    """The registration's id, or None for a token this app did not sign (or spelt it
    otherwise: with base64 padding, say)."""
    return signed_id(SALT, token)


def registration_from(token: str) -> Registration | None:
    """The registration a personal link (/r/<token>) is for, or None for a broken link."""
    registration_id = registration_id_from(token)
    return db.session.get(Registration, registration_id) if registration_id else None
