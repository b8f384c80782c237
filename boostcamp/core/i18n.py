"""Language and time display: French first, English too; times in the event's zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.dates import format_time as babel_format_time
from flask import current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user


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
    if value is None:
        return ""
    return babel_format_datetime(value, format, tzinfo=_zone(tz), locale=get_locale())


def local_date(value: datetime | None, format: str = "medium", tz: str | None = None) -> str:
    if value is None:
        return ""
    return babel_format_date(value.astimezone(_zone(tz)), format, locale=get_locale())


def local_time(value: datetime | None, format: str = "short", tz: str | None = None) -> str:
    if value is None:
        return ""
    return babel_format_time(value, format, tzinfo=_zone(tz), locale=get_locale())
