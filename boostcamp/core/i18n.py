"""Language and time display: French first, English too; times in the event's zone."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup


def N_(message: str) -> str:
    """Marks a string for translation; it is translated where it is shown."""
    return message


def select_locale() -> str:
    if not has_request_context():
        # The command line speaks English like its --help; mails choose their
        # recipient's language with force_locale().
        return "en"
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def _zone(tz: str | None) -> ZoneInfo:
    return ZoneInfo(tz or current_app.config["BABEL_DEFAULT_TIMEZONE"])


def local_datetime(value: datetime | None, format: str = "medium", tz: str | None = None) -> str:
    """Babel's formats, and "day_time": the day in words and the time without seconds
    ("7 déc. 2026, 09:00", "Dec 7, 2026, 9:00 AM") — "short" is all digits, and "12/7/26"
    reads as 12 July in Belgium."""
    if value is None:
        return ""
    if format == "day_time":
        return f"{local_date(value, 'medium', tz)}, {local_time(value, 'short', tz)}"
    return babel_format_datetime(value, format, tzinfo=_zone(tz), locale=get_locale())


def local_date(value: datetime | None, format: str = "medium", tz: str | None = None) -> str:
    if value is None:
        return ""
    return babel_format_date(value.astimezone(_zone(tz)), format, locale=get_locale())


def local_time(value: datetime | None, format: str = "short", tz: str | None = None) -> str:
    if value is None:
        return ""
    return babel_format_time(value, format, tzinfo=_zone(tz), locale=get_locale())


def local_hour(value: datetime | None, tz: str | None = None) -> str:
    """A time as people write it: "9 h", "9 h 30" in French; "9 AM", "9:30 AM" in English.
    Never seconds nor an offset."""
    if value is None:
        return ""
    local = value.astimezone(_zone(tz))
    if get_locale().language == "fr":
        return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"
    return babel_format_time(local, "h:mm a" if local.minute else "h a", locale=get_locale())


def local_span(start: datetime, end: datetime, tz: str | None = None) -> str:
    """"mardi 16 mars 2027, 9 h – 17 h"; across days both ends carry their day."""
    day, hours = local_date(start, "full", tz), f"{local_hour(start, tz)}"
    if local_date(start, tz=tz) == local_date(end, tz=tz):
        return f"{day}, {hours} – {local_hour(end, tz)}"
    return f"{day}, {hours} – {local_date(end, 'full', tz)}, {local_hour(end, tz)}"


# "de Emma" → "d’Emma", "que Anne" → "qu’Anne", "le Atelier" → "l’Atelier": French elides these
# words before a vowel. A name given to a sentence cannot choose its article, so the sentence is
# elided once the name is in. Not before h or y (Hugo, Yasmine keep theirs) nor digits.
_FRENCH_ELISION = re.compile(
    r"(?<![\w’'])([dD]e|[qQ]ue|[lL]e|[lL]a|[jJ]e) (?=[AEIOUÀÂÄÆÉÈÊËÎÏÔŒÙÛÜaeiouàâäæéèêëîïôœùûü])"
)


def elide(text):
    """The text with French elision applied, in French only (Markup stays Markup)."""
    if not str(get_locale() or "").startswith("fr") or not text:
        return text
    elided = _FRENCH_ELISION.sub(lambda m: m.group(1)[:-1] + "’", str(text))
    return type(text)(elided) if isinstance(text, Markup) else elided
