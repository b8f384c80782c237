"""Belgian enterprise numbers (KBO/BCE, "numéro d'entreprise"): ten digits, the first 0 or 1,
the last two a mod-97 check of the first eight. Stored as the ten digits, shown 0123.456.749."""

import re

from flask_babel import lazy_gettext as _l

from boostcamp.core.errors import ValidationFailed

_SEPARATORS = re.compile(r"[\s.\-/]")


def validate_enterprise_number(raw: str, field: str = "enterprise_number") -> str:
    """"0123.456.749", "BE 0123 456 749" or "123456749" (older numbers had nine digits and
    take a leading 0) → "0123456749"; anything else raises ValidationFailed."""
    digits = _SEPARATORS.sub("", str(raw or "")).upper()
    if digits.startswith("BE"):
        digits = digits[2:]
    if not digits.isdigit() or len(digits) not in (9, 10):
        raise ValidationFailed(
            {field: _l("An enterprise number has 10 digits, like 0123.456.749.")}
        )
    if len(digits) == 9:
        digits = "0" + digits
    if digits[0] not in "01":
        raise ValidationFailed({field: _l("An enterprise number starts with 0 or 1.")})
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationFailed(
            {field: _l("This enterprise number is not valid: check its digits.")}
        )
    return digits


def format_enterprise_number(number: str | None) -> str | None:
    if not number:
        return None
    return f"{number[:4]}.{number[4:7]}.{number[7:]}"
