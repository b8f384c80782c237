"""Fixtures: an app on a migrated database per backend, a client, a CLI runner and helpers.

Every test that uses `app` runs on SQLite and on PostgreSQL (TEST_DATABASE_URL, by default
the machine's postgres on 127.0.0.1:5432/test). The schema is built by the migrations, once
per run and backend; each test starts from empty tables.
"""

import contextlib
import os

import pytest
import sqlalchemy as sa

from flask.globals import _cv_app
from flask.testing import FlaskClient

from bench import serving
from boostcamp import create_app
from boostcamp.extensions import db, limiter

CI = os.environ.get("CI") == "true"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def service_missing(reason: str):
    """A missing service skips its tests on a user's machine and fails them in CI."""
    if CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


def postgres_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG_URL


@contextlib.contextmanager
def postgres_schema():
    """A fresh schema of its own in the test database, dropped afterwards: runs never collide."""
    base_url = postgres_url()
    engine = sa.create_engine(base_url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except Exception as e:  # noqa: BLE001 - any failure to connect means "no PostgreSQL here"
        engine.dispose()
        service_missing(f"PostgreSQL is not reachable at {base_url} ({type(e).__name__})")
    engine.dispose()
    with serving.postgres_schema(base_url, prefix="test") as url:
        yield url


class IsolatedClient(FlaskClient):
    """Each request runs in an app context of its own — its own `g` and database session —
    as in production, even while the test holds an app context for its factories."""

    def open(self, *args, **kwargs):
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)


def make_app(database_url: str, **config):
    test_config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": "boostcamp.test",
        "MAIL_SUPPRESS_SEND": True,
        # Pages are rendered afresh for every request, unless a test switches caching on.
        "CACHE_TYPE": "NullCache",
        "PUBLIC_VERSION_SECONDS": 0,
        # One round instead of scrypt: 0.13 s per user and per sign-in otherwise.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
        # Tests' events lie in 2030 and their scans too: the attendance window is switched on
        # by the tests of it (tests/checkin/test_window.py, tests/test_hostile_partner.py).
        "ATTENDANCE_OPENS_HOURS": None,
    }
    test_config.update(config)
    app = create_app(test_config)
    app.test_client_class = IsolatedClient
    return app


def migrate_to_head(app) -> None:
    import flask_migrate

    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """One migrated database per backend for the whole run."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        migrate_to_head(make_app(url))
        yield url
    else:
        with postgres_schema() as url:
            migrate_to_head(make_app(url))
            yield url


def clear_tables() -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


_apps: dict[str, object] = {}


@pytest.fixture
def app(database_url):
    """The app on the run's database of this backend, built once per process (building one
    costs ~70 ms: routes, the OpenAPI spec); what a test changes in its config or keeps in
    its extensions is put back afterwards. A test that needs other settings calls make_app."""
    app = _apps.get(database_url)
    if app is None:
        app = _apps[database_url] = make_app(database_url)
    config, extensions = dict(app.config), dict(app.extensions)
    # The limiter is one object for every app of the process: a test that built an app with
    # rate limits on (make_app(…, RATELIMIT_ENABLED=True)) left it switched on.
    limiter.enabled = app.config["RATELIMIT_ENABLED"]
    try:
        with app.app_context():
            clear_tables()
            yield app
            db.session.remove()
            clear_tables()
            db.engine.dispose()
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()
        app.extensions.update(extensions)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str = "password123"):
        return self.client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


class QueryCounter:
    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "PRAGMA")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    """`with count_queries() as q: …; q.count` — the SQL statements a block sends."""

    @contextlib.contextmanager
    def counting():
        counter = QueryCounter()
        sa.event.listen(db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", counter)

    return counting


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """A migrated database of its own, an app context on it, and gunicorn serving it (the
    concurrency tests: sign-up, check-in); the tests of a module share it, each with events
    and addresses of its own. Yields the port."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        schema = contextlib.nullcontext(url)
    else:
        schema = postgres_schema()
    with schema as url:
        migrate_to_head(make_app(url))
        app = make_app(url)
        env = {
            **os.environ,
            "FLASK_SQLALCHEMY_DATABASE_URI": url,
            "FLASK_SECRET_KEY": "concurrency-test",
            "FLASK_RATELIMIT_ENABLED": "false",
            "FLASK_ATTENDANCE_OPENS_HOURS": "null",  # scans dated at events to come
        }
        # The app as deployed (wsgi:app): 4 worker processes of 4 threads each.
        server = serving.gunicorn(
            "wsgi:app", env, tmp_path / "gunicorn.log", workers=4, threads=4, preload=True
        )
        with app.app_context(), server as port:
            yield port
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py) that the app sends its mail to."""
    from boostcamp.extensions import mail
    from tests.smtp_server import SMTPServer

    server = SMTPServer().start()
    app.config.update(
        MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_SUPPRESS_SEND=False,
        MAIL_TIMEOUT_SECONDS=5,
    )  # fmt: skip
    mail.init_app(app)  # Flask-Mail reads its settings once, at init_app
    yield server
    server.stop()
