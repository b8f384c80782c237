"""Fixtures: an app on a migrated database, a client, a CLI runner and helpers.

Which engine a test runs on — the rule (README, "Testing"):

- A test that uses `app` (or `database_url`) runs on ONE engine, PostgreSQL, unless its
  behaviour depends on storage. PostgreSQL is the stricter of the two: it enforces column
  lengths and types, is case-sensitive in LIKE, sorts NULLs last, and aborts a transaction
  after an error, where SQLite lets a wrong test pass. (Without a reachable PostgreSQL outside
  CI, the one engine is SQLite instead, said in the run's header; `--one-engine=sqlite`
  chooses it.)
- It runs on BOTH engines, SQLite and PostgreSQL, when its behaviour depends on storage:
  locks and concurrency, queries and query counts, migrations, search, imports, dates kept
  by the database, anything where the two dialects differ. Mark the module with
  `pytestmark = pytest.mark.both_engines` (or one test with `@pytest.mark.both_engines`).
  Tests that use `count_queries` run on both without a mark, and those served by gunicorn
  (`served`: concurrency) always do.
- `make test PYTEST_ARGS=--all-engines` runs every database test on both engines.

The schema is built by the migrations, once per run, process and engine; each test starts
from empty tables.
"""

import contextlib
import gc
import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from flask.globals import _cv_app
from flask.testing import FlaskClient
from xdist.scheduler import LoadFileScheduling

from bench import serving
import boostcamp.models  # noqa: F401  (every mapper known before a test module imports a service)
from boostcamp import create_app
from boostcamp.core.extensions import db, limiter

CI = os.environ.get("CI") == "true"
# Test databases need no durability: PostgreSQL acknowledges a commit before its WAL reaches the
# disk (0.5 ms instead of 2 ms a commit here). A crash of PostgreSQL itself is not what any
# test plays; every libpq connection of the run reads this, gunicorn's and workers' included.
os.environ.setdefault("PGOPTIONS", "-c synchronous_commit=off")
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


ENGINES = ("sqlite", "postgresql")
BROWSER_TESTS = Path(__file__).parent / "browser"
RESULTS = Path(__file__).parents[1] / "bench" / "results"  # git-ignored
# Fixtures whose tests are about storage whatever their marks say.
BOTH_ENGINES_FIXTURES = {"count_queries"}


def postgres_reachable() -> bool:
    engine = sa.create_engine(postgres_url())
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure to connect means "no PostgreSQL here"
        return False
    finally:
        engine.dispose()


def pytest_addoption(parser):
    group = parser.getgroup("boostcamp")
    group.addoption(
        "--all-engines", action="store_true",
        help="run every database test on SQLite and PostgreSQL, not only the both_engines ones",
    )  # fmt: skip
    group.addoption(
        "--one-engine", choices=ENGINES, default=None,
        help="the engine of the tests that run on one (default: postgresql, or sqlite "
        "when PostgreSQL is not reachable outside CI)",
    )  # fmt: skip
    group.addoption(
        "--axe-everywhere", action="store_true",
        help="the accessibility walk checks every page in every language, not only in those "
        "whose markup differs (tests/browser/test_accessibility_walk.py)",
    )  # fmt: skip


# A test process holds millions of objects (every collected test, hypothesis, the apps), and
# Python's default thresholds (700, 10, 10) scanned them all about 20 times per 400 tests,
# 0.2 s each: 12 % of the process's CPU (tests/registrations and tests/events, 4.8 s of
# 38). With these, 0.8 s. Test processes only; the app's own processes keep the defaults.
GC_THRESHOLDS = (10_000, 10, 10)


def pytest_configure(config):
    gc.set_threshold(*GC_THRESHOLDS)
    config.addinivalue_line(
        "markers",
        "both_engines: the test's behaviour depends on storage; it runs on SQLite and PostgreSQL",
    )
    one = config.getoption("one_engine")
    if one is None:
        one = "postgresql" if CI or postgres_reachable() else "sqlite"
    config.one_engine = one


def pytest_sessionstart(session):
    session.config.started_at = time.monotonic()


def pytest_sessionfinish(session, exitstatus):
    """A whole run that passed notes its time for `make bench`'s table (bench/report.py, issue
    16's fifth target): the controller only, not xdist's workers; not a run of some tests."""
    config = session.config
    if hasattr(config, "workerinput") or exitstatus != 0:
        return
    narrowed = ("keyword", "markexpr", "lf", "collectonly", "deselect", "maxfail")
    if config.args != config.getini("testpaths") or any(
        getattr(config.option, name, None) for name in narrowed
    ):
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "suite.json").write_text(json.dumps({
        "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - config.started_at, 1),
        "tests": session.testscollected,
        "processes": getattr(config.option, "numprocesses", None),
    }))  # fmt: skip


def pytest_report_header(config):
    if config.getoption("all_engines"):
        return "engines: every database test on sqlite and postgresql (--all-engines)"
    return f"engines: both_engines tests on sqlite and postgresql, others on {config.one_engine}"


def engines_for(metafunc) -> tuple[str, ...]:
    """The engines of one test function: see the rule in this module's docstring."""
    if (
        metafunc.config.getoption("all_engines")
        or metafunc.definition.get_closest_marker("both_engines")
        or BOTH_ENGINES_FIXTURES & set(metafunc.fixturenames)
    ):
        return ENGINES
    return (metafunc.config.one_engine,)


# The longest files first (their time in a whole run on this 2-core machine, seconds): xdist
# hands out files in collection order, and one of these handed out last kept a process busy
# while the others had finished (longest-processing-time-first scheduling).
LONGEST_FIRST = [
    "browser/test_accessibility_walk.py",  # 125
    "core/test_crash_safety.py",  # 34, and the rest of SERVED_TOGETHER: 100
    "browser/test_journeys.py",  # 55
    "browser/test_checkin_screen.py",  # 44
    "api/test_schemathesis.py",  # 36
    "test_demo.py",  # 27
    "test_permission_matrix.py",  # 27
    "registrations/test_concurrency.py",  # 24
    "core/test_concurrent_writes.py",  # 24
    "privacy/test_demo_erasure.py",  # 22
    "test_migrations.py",  # 21
    "browser/test_programmes.py",  # 18
    "test_demo_valid.py",  # 18
]


# The files whose tests are served by gunicorn (`served`) run in one process, one after the
# other: gunicorn then starts once per engine in a run, not once per engine in each process
# that met one of these files (six starts of 3 core-seconds each, with their migrations).
SERVED_TOGETHER = [
    "core/test_crash_safety.py",
    "registrations/test_concurrency.py",
    "core/test_concurrent_writes.py",
    "admission/test_concurrency.py",
    "checkin/test_concurrency.py",
    "programmes/test_concurrency.py",
]


def pytest_collection_modifyitems(config, items):
    tests = Path(__file__).parent
    rank = {tests / name: n for n, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path, len(rank)))  # stable: files stay whole
    together = {tests / name for name in SERVED_TOGETHER}
    strays = {str(i.path.relative_to(tests)) for i in items
              if "served" in getattr(i, "fixturenames", ()) and i.path not in together}  # fmt: skip
    if strays:
        raise pytest.UsageError(f"add {sorted(strays)} to SERVED_TOGETHER (tests/conftest.py)")


class ServedTogether(LoadFileScheduling):
    """xdist's `--dist loadfile` (a file's tests in one process), with SERVED_TOGETHER as
    one file, and the next file handed to a process only as it starts its last test."""

    def _split_scope(self, nodeid: str) -> str:
        file = super()._split_scope(nodeid)
        return "served" if file.removeprefix("tests/") in SERVED_TOGETHER else file

    def _reschedule(self, node) -> None:
        # xdist hands out the next file while two tests are still to run: behind the walk's
        # last two roles (90 s), a file waited while the other processes ran out of work.
        if self.workqueue and self._pending_of(self.assigned_work[node]) > 1:
            return
        super()._reschedule(node)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadfile":
        return ServedTogether(config, log)
    return None


def pytest_generate_tests(metafunc):
    # Browser tests have a database of their own, on SQLite (tests/browser/conftest.py).
    browser = BROWSER_TESTS in metafunc.definition.path.parents
    if "database_url" in metafunc.fixturenames and not browser:
        metafunc.parametrize("database_url", engines_for(metafunc), indirect=True, scope="session")


@pytest.fixture(scope="session")
def migrated_databases(tmp_path_factory):
    """engine -> the URL of a database migrated to head, made on first use and kept for the
    whole run: the tests of one engine and those of the other may alternate, which must not
    rebuild a database each time."""
    urls: dict[str, str] = {}

    with contextlib.ExitStack() as stack:

        def get(engine: str) -> str:
            if engine not in urls:
                if engine == "sqlite":
                    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
                else:
                    url = stack.enter_context(postgres_schema())
                migrate_to_head(make_app(url))
                urls[engine] = url
            return urls[engine]

        yield get


@pytest.fixture(scope="session")
def database_url(request, migrated_databases):
    """The migrated database of this test's engine (parametrized by pytest_generate_tests)."""
    return migrated_databases(request.param)


def clear_tables() -> None:
    db.session.remove()
    statements = [f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("; ".join(statements))  # one round trip instead of ~45
        else:
            for statement in statements:
                conn.exec_driver_sql(statement)


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


@pytest.fixture(scope="session")
def gunicorn_servers(tmp_path_factory):
    """engine -> (URL of its database, port, an app on it): gunicorn serving the app as
    deployed on a migrated database of its own, started on first use and kept for the whole
    run of the process (starting one costs seconds: 16–21 on a busy machine), shared by every
    module that uses `served`. Both engines' servers stay up: pytest alternates engines
    module by module."""
    servers: dict[str, tuple[str, int, object]] = {}

    with contextlib.ExitStack() as stack:

        def get(engine: str):
            if engine not in servers:
                tmp_path = tmp_path_factory.mktemp(f"served-{engine}")
                if engine == "sqlite":
                    url = f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
                else:
                    url = stack.enter_context(postgres_schema())
                app = make_app(url)
                migrate_to_head(app)
                env = {
                    **os.environ,
                    "FLASK_SQLALCHEMY_DATABASE_URI": url,
                    "FLASK_SECRET_KEY": "concurrency-test",
                    "FLASK_RATELIMIT_ENABLED": "false",
                    "FLASK_ATTENDANCE_OPENS_HOURS": "null",  # scans dated at events to come
                }
                # The app as deployed (wsgi:app): 4 worker processes of 4 threads each.
                port = stack.enter_context(serving.gunicorn(
                    "wsgi:app", env, tmp_path / "gunicorn.log", workers=4, threads=4, preload=True
                ))  # fmt: skip
                servers[engine] = url, port, app
            return servers[engine]

        yield get


@pytest.fixture(scope="module", params=ENGINES)
def served(request, gunicorn_servers):
    """The concurrency tests' server (sign-up, check-in, …: `gunicorn_servers`), with an app
    context on its database. Each module starts from empty tables; its tests share them, each
    with events and addresses of its own. Yields the port."""
    _, port, app = gunicorn_servers(request.param)
    with app.app_context():
        clear_tables()
        yield port
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on 127.0.0.1 (tests/smtp_server.py) that the app sends its mail to."""
    from boostcamp.core.extensions import mail
    from tests.smtp_server import SMTPServer

    server = SMTPServer().start()
    app.config.update(
        MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_SUPPRESS_SEND=False,
        MAIL_TIMEOUT_SECONDS=5,
    )  # fmt: skip
    mail.init_app(app)  # Flask-Mail reads its settings once, at init_app
    yield server
    server.stop()
