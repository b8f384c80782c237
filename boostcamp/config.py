"""Defaults. Overridden by instance/config.py, then by FLASK_* environment variables."""

from datetime import timedelta


class Config:
    # SQLALCHEMY_DATABASE_URI is filled in by create_app (SQLite in instance/) unless configured.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False

    # Language and time: French first, English too; times shown in Brussels.
    LANGUAGES = ("fr", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    BABEL_TRANSLATION_DIRECTORIES = "translations"

    # Flask-Limiter reads its own RATELIMIT_* keys: point RATELIMIT_STORAGE_URI at
    # redis://host:6379 so that several app instances share the counters.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per 5 minutes"

    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a check-in desk keeps a page open all day

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)

    # Mail: no MAIL_SERVER in the demo, mails stay in the outbox (mail issue).
    MAIL_SERVER = None
    MAIL_DEFAULT_SENDER = "Boostcamp <noreply@localhost>"

    PER_PAGE = 20
