"""What any input may hold, whoever sends it: forms, the API, query strings, the CLI.

Text never carries NUL, control characters (a newline and a tab only in multi-line fields) or
lone surrogates: PostgreSQL refuses NUL, no encoder takes a lone surrogate, and the others
only break mails, calendars and exports. Numbers stay within the INTEGER columns; dates
within the years an event can sensibly have.
"""

import enum
import re
from collections.abc import Mapping
from datetime import date, datetime, timezone
from typing import Any

from flask_babel import lazy_gettext as _l
from itsdangerous.encoding import base64_decode, base64_encode

INTEGER_MAX = 2**31 - 1  # PostgreSQL's INTEGER, the type of every number column
PAGE_MAX = 100_000  # ?page=: beyond it, a list of 20 a page is two million rows long
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2101, 1, 1, tzinfo=timezone.utc)
JSON_MAX_DEPTH = 32

_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")  # \t \n \r allowed
CONTROL_MESSAGE = _l("Remove the invisible control characters from this text.")
DATE_MESSAGE = _l("Give a date between 2000 and 2100.")


def bad_text(value: str, multiline: bool = False) -> bool:
    return bool((_MULTI_LINE if multiline else _SINGLE_LINE).search(value))


def text_errors(fields: Mapping[str, Any], limits: Mapping[str, int]) -> dict[str, Any]:
    """{field: message} for each text of `fields` longer than its limit or holding control
    characters; the description may hold line breaks (and has no limit unless given)."""
    errors: dict[str, Any] = {}
    for field, limit in limits.items():
        value = fields.get(field)
        if isinstance(value, str) and len(value) > limit:
            errors[field] = _l("At most %(n)d characters.", n=limit)
        elif isinstance(value, str) and bad_text(value):
            errors[field] = CONTROL_MESSAGE
    if isinstance(fields.get("description"), str) and bad_text(
        fields["description"], multiline=True
    ):
        errors["description"] = CONTROL_MESSAGE
    return errors


def text_error(value: str, multiline: bool = False):
    """The message for a text that may not be stored, or None."""
    return CONTROL_MESSAGE if bad_text(value, multiline) else None


def free_text(value: str | None, limit: int) -> tuple[str | None, Any]:
    """An optional free text (a note, a message) as it is kept: stripped, None when empty;
    with the message for one too long or holding control characters (line breaks are
    allowed), else None."""
    value = (value or "").strip() or None
    if value and len(value) > limit:
        return value, _l("At most %(n)d characters.", n=limit)
    return value, text_error(value, multiline=True) if value else None


def is_choice(choices: type[enum.Enum], value: Any) -> bool:
    """Whether `value` names one of the enum's members (its value, or the member itself)."""
    try:
        choices(value)
    except ValueError:
        return False
    return True


def in_window(value: date | datetime) -> bool:
    if isinstance(value, datetime):
        return value.tzinfo is not None and EARLIEST <= value < LATEST
    return FIRST_DAY <= value <= LAST_DAY


def clamp_day(value: date | None) -> date | None:
    """A filter's day kept within the window: ?from=0001-01-01 means "from the start"."""
    if value is None:
        return None
    return min(max(value, FIRST_DAY), LAST_DAY)


def page_number(value) -> int:
    """?page= as a page number: anything odd is the first page, huge ones the last we serve."""
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), PAGE_MAX)


def json_depth_ok(data, limit: int = JSON_MAX_DEPTH) -> bool:
    """Whether parsed JSON nests at most `limit` levels (walked without recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return False
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return True


def canonical_token(token: str) -> bool:
    """Whether a signed token (itsdangerous: base64url parts joined by dots) is spelt the one
    way it was made: no padding, no stray bits, so each link has exactly one address."""
    try:
        return all(
            base64_encode(base64_decode(part)).decode() == part
            for part in token.lstrip(".").split(".")  # a leading dot: compressed payload
        )
    except Exception:  # noqa: BLE001 - anything that does not decode is not canonical
        return False


def normalise_email(email: str) -> str:
    """An address as accounts and people are stored and looked up."""
    return email.strip().lower()
