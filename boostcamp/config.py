"""Defaults. Overridden by instance/config.py, then by FLASK_* environment variables."""

from datetime import timedelta


class Config:
    # SQLALCHEMY_DATABASE_URI is filled in by create_app (SQLite in instance/) unless configured.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False

    # Language and time: French first, Dutch and English too; times shown in Brussels.
    LANGUAGES = ("fr", "nl", "en")
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = "Europe/Brussels"
    BABEL_TRANSLATION_DIRECTORIES = "translations"

    # Flask-Limiter reads its own RATELIMIT_* keys: point RATELIMIT_STORAGE_URI at
    # redis://host:6379 so that several app instances share the counters.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins: per account (one attacker cannot lock everyone out) and per client IP.
    LOGIN_RATE_LIMIT = "10 per 5 minutes"
    LOGIN_IP_RATE_LIMIT = "50 per 5 minutes"
    # Password reset requests, per address and per client IP.
    RESET_RATE_LIMIT = "5 per 15 minutes"
    PASSWORD_RESET_MINUTES = 60
    # Behind N reverse proxies (nginx, Caddy), the client's address and scheme come from their
    # X-Forwarded-For / X-Forwarded-Proto headers (Werkzeug's ProxyFix); 0: served directly.
    PROXY_FIX_X_FOR = 0
    # Wrong second-step codes per account waiting for its code (auth.two_factor_views).
    TWO_FACTOR_RATE_LIMIT = "10 per 5 minutes"

    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a check-in desk keeps a page open all day

    # Werkzeug's hash for staff passwords; the test suite sets a cheap one for speed.
    PASSWORD_HASH_METHOD = "scrypt"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # "Keep me signed in": a signed-in session lasts at most this long, checked by the server
    # too (the id in the cookie carries when it was made: auth.models.User.get_id). Signing
    # out, choosing a password or being deactivated ends every session of the account.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)

    # Links in mails are absolute: set SERVER_NAME (e.g. "events.mic-mons.be") and the scheme
    # in production. Without SERVER_NAME, pages use the request's host and the mail worker
    # falls back to 127.0.0.1:5000 (see boostcamp/mail/worker.py).
    SERVER_NAME = None
    PREFERRED_URL_SCHEME = "http"

    # Mail: no MAIL_SERVER in the demo, so the worker prints mails to its console and
    # they stay in the staff outbox, marked "printed" (README, section Mail).
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS, usually on port 587
    MAIL_USE_SSL = False  # implicit TLS, usually on port 465
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Boostcamp <noreply@localhost>"
    MAIL_MESSAGE_ID_DOMAIN = None  # the right of "@" in Message-IDs; else SERVER_NAME's host
    MAIL_TIMEOUT_SECONDS = 30  # a silent SMTP server must not hold a worker forever
    MAIL_MAX_ATTEMPTS = 10  # delivery attempts before a mail is marked failed (≈ 4 h)
    MAIL_RETRY_BASE_SECONDS = 60  # backoff: 1 min, 2, 4 … up to MAIL_RETRY_MAX_SECONDS
    MAIL_RETRY_MAX_SECONDS = 3600
    MAIL_WORKER_INTERVAL = 2.0  # seconds a worker waits when there is nothing to send
    MAIL_WORKER_BATCH = 20  # mails claimed (and sent over one connection) at a time

    PER_PAGE = 20

    # The largest request body anyone may send (413 beyond it): forms are a few kilobytes;
    # imports (IMPORT_MAX_BYTES) and the API (API_MAX_BODY_SIZE) set their own limits.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # Anonymous visitors' public pages are kept this many seconds (0: never). Flask-Caching
    # keeps them in-process; set CACHE_TYPE = "RedisCache" and CACHE_REDIS_URL to share them.
    PUBLIC_PAGE_CACHE_SECONDS = 10
    # Public pages and calendars are kept under the version of what they show, which each
    # app process reads from the database at most once per this many seconds (0: every
    # time): a change reaches every visitor within it (boostcamp/core/cache.py).
    PUBLIC_VERSION_SECONDS = 1
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 10

    # Public sign-up (registrations): per visitor's address, against bots.
    SIGNUP_RATE_LIMIT = "20 per minute"
    LOST_LINK_RATE_LIMIT = "5 per 15 minutes"  # links mailed again, per client
    # A seat freed for the waiting list is offered for this long, but the offer always ends
    # WAITLIST_OFFER_ENDS_BEFORE_START_HOURS before the event; an offer that would last less
    # than WAITLIST_OFFER_MIN_HOURS is not made: the seat goes to whoever signs up first.
    # Partners record attendance (scans, walk-ins, undos) from ATTENDANCE_OPENS_HOURS before an
    # event starts until ATTENDANCE_GRACE_HOURS after it ends (a device kept offline uploads
    # later), and only for times within that window; centre staff may correct it any time.
    # None for both: no window (partners may record any attendance — not recommended).
    ATTENDANCE_OPENS_HOURS = 2
    ATTENDANCE_GRACE_HOURS = 24
    # An invitation to choose one's password (a new member, `flask users create` without
    # --password) works once, for this long.
    INVITATION_HOURS = 72
    WAITLIST_OFFER_HOURS = 48
    WAITLIST_OFFER_ENDS_BEFORE_START_HOURS = 2
    WAITLIST_OFFER_MIN_HOURS = 1

    # Partner API (flask-smorest): the document at /api/v1/openapi.json, its docs at /api/v1/docs.
    API_TITLE = "Boostcamp partner API"
    API_VERSION = "1.0"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    API_MAX_BODY_SIZE = 1024 * 1024  # bytes: an event with its agenda is a few kilobytes

    # Outcomes. (An attendance certificate needs the attribution rule's share of the
    # sessions: a setting on the impact dashboard.) Follow-up surveys: sent this many months after an event ends, to attendees who agreed
    # to be contacted; a survey more than SURVEY_LATE_DAYS late is not sent (old events);
    # its link works once, for SURVEY_LINK_DAYS.
    SURVEY_MONTHS = (6, 12, 24)
    # A survey answer with more jobs than this is merged only when staff confirm the figure.
    SURVEY_MAX_JOBS = 500
    SURVEY_LATE_DAYS = 30
    SURVEY_LINK_DAYS = 60
    # Imports: the largest file accepted (bytes) and rows per file (each check and each
    # import runs within one request); files wait this long for their confirmation.
    IMPORT_MAX_BYTES = 10 * 1024 * 1024
    IMPORT_MAX_ROWS = 5000
    IMPORT_KEEP_HOURS = 24
    # Privacy: the "erase my data" link mailed to the person works once, this long.
    ERASURE_LINK_HOURS = 24
    # The privacy notice (/privacy): who is responsible and whom to write to. A new
    # PRIVACY_NOTICE_VERSION when its content changes.
    PRIVACY_CONTROLLER = "Microsoft Innovation Center, Parc Initialis, 7000 Mons"  # no language
    PRIVACY_CONTACT = "privacy@localhost"
    PRIVACY_DPO = "dpo@localhost"
    PRIVACY_NOTICE_VERSION = "2026-12"
    # The accessibility statement (/accessibility, EU Directive 2016/2102): whom to write to
    # about a barrier, and the day the site was last checked (the route-walking axe test in
    # tests/browser/test_accessibility_walk.py, and a manual check with a screen reader).
    ACCESSIBILITY_CONTACT = "accessibility@localhost"
    ACCESSIBILITY_CHECKED_ON = "2026-12-07"
    # Retention (boostcamp.privacy.retention): people with no activity for this many years
    # are anonymised; mail bodies and attachments are deleted this many days after sending;
    # the worker purges at most every PRIVACY_PURGE_MINUTES, RETENTION_BATCH rows per step.
    RETENTION_PERSON_YEARS = 5
    RETENTION_MAIL_DAYS = 90
    RETENTION_BATCH = 500
    PRIVACY_PURGE_MINUTES = 60
