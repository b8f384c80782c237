"""Language and time display: French first, Dutch and English too; times in the event's zone.

Two things are chosen per reader. The *language* (fr, nl, en) picks the catalogue, the
page's `lang` and the language stored for mails: it is Flask-Babel's locale. The *formats*
of dates, numbers and time-zone names follow the region of the centre's readers: Belgian
French and Dutch (fr_BE, nl_BE) and British English (en_GB: "22 Feb 2027, 09:00", not the
US "Feb 22, 2027, 9:00 AM") — format_locale(), which every function below uses, within a
request or a mail's force_locale("nl") alike."""

from functools import lru_cache

import re
from datetime import date, datetime
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from babel.dates import get_timezone, get_timezone_location, get_timezone_name
from babel.numbers import format_decimal
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from boostcamp.core.zones import zone_name, zone_of


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


# The formats of each language: the catalogue stays "fr", "nl", "en".
FORMAT_LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_GB"}


@lru_cache(maxsize=16)
def _format_locale(language: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(language, language))


def format_locale() -> Locale:
    """The locale dates, numbers and zone names are written in: the reader's language
    (a mail's force_locale() included) in its Belgian or British form."""
    locale = get_locale()  # None outside an app's context: the centre's French
    return _format_locale(locale.language if locale else "fr")


def local_number(value: int | float | None) -> str:
    """A number as the reader writes it: "12 345,5" (fr), "12.345,5" (nl), "12,345.5" (en)."""
    return "" if value is None else format_decimal(value, locale=format_locale())


def local_datetime(value: datetime | None, format: str = "medium", tz: Any = None) -> str:
    """Babel's formats, and "day_time": the day in words and the time without seconds
    ("7 déc. 2026, 09:00", "7 Dec 2026, 09:00") — "short" is all digits."""
    if value is None:
        return ""
    if format == "day_time":
        return f"{local_date(value, 'medium', tz)}, {local_time(value, 'short', tz)}"
    return babel_format_datetime(value, format, tzinfo=zone_of(tz), locale=format_locale())


def local_date(
    value: datetime | date | None, format: str = "medium", tz: Any = None
) -> str:
    if value is None:
        return ""
    if not isinstance(value, datetime):  # a day, as written
        return babel_format_date(value, format, locale=format_locale())
    return babel_format_date(value.astimezone(zone_of(tz)), format, locale=format_locale())


def local_time(value: datetime | None, format: str = "short", tz: Any = None) -> str:
    if value is None:
        return ""
    return babel_format_time(value, format, tzinfo=zone_of(tz), locale=format_locale())


def local_hour(value: datetime | None, tz: Any = None) -> str:
    """A time as people write it: "9 h", "9 h 30" in French; "9 uur", "9.30 uur" in Dutch;
    "09:00", "09:30" in (British) English. Never seconds nor an offset."""
    if value is None:
        return ""
    local = value.astimezone(zone_of(tz))
    if get_locale().language == "fr":
        return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"
    if get_locale().language == "nl":  # "9 uur", "9.30 uur", as Belgian Dutch writes it
        return f"{local.hour}.{local.minute:02d} uur" if local.minute else f"{local.hour} uur"
    return babel_format_time(local, "short", locale=format_locale())


def local_span(start: datetime, end: datetime, tz: Any = None) -> str:
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


def zone_label(tz: Any = None) -> str:
    """A time zone as the reader's language names it, with its city: "heure d’Europe
    centrale, Bruxelles", "Midden-Europese tijd, Brussel", "Central European Time, Brussels"."""
    zone = get_timezone(zone_name(tz))
    locale = format_locale()
    name = get_timezone_name(zone, "long", locale=locale)
    city = get_timezone_location(zone, locale=locale, return_city=True)
    return f"{name}, {city}"


def event_time(value: datetime | None, event: Any, format: str = "day_time") -> str:
    """An event's time in the event's own zone, the one filter templates use for them:
    `{{ s.starts_at|event_time(event, "date_full") }}`. Formats: "day_time", Babel's
    "short" … "full" (date and time), "date_short" … "date_full", "time", "hour"."""
    if format.startswith("date"):
        return local_date(value, format.partition("_")[2] or "medium", tz=event)
    if format == "time":
        return local_time(value, "short", tz=event)
    if format == "hour":
        return local_hour(value, tz=event)
    return local_datetime(value, format, tz=event)
