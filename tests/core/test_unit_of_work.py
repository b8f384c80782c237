"""One commit per request, in one place (core/unit_of_work.py): a view that answers below 400
has its writes committed without committing itself; an error answer or an exception keeps
nothing; a page that only reads sends no COMMIT."""

import pytest
import sqlalchemy as sa
from flask import redirect

from boostcamp.core.forms import FlaskForm, apply_errors
from boostcamp.core.models import Setting
from boostcamp.core.errors import ValidationFailed
from boostcamp.core.extensions import db
from tests.conftest import make_app

pytestmark = pytest.mark.both_engines  # commits and rollbacks are the engines' business


@pytest.fixture
def uow_app(app, database_url):
    other = make_app(database_url)

    def write(key):
        db.session.add(Setting(key=key, value=1))
        db.session.flush()

    def done():
        write("done")
        return redirect("/")

    def refused():
        write("refused")
        return "errors on the form", 422

    def broken():
        write("broken")
        raise RuntimeError("a bug after the write")

    def refused_politely():
        from boostcamp.core.errors import Conflict

        write("half-done")
        try:
            raise Conflict("a service said no after writing")
        except Conflict:
            return redirect("/")  # a message, and back: nothing of it is kept

    def pending():
        db.session.add(Setting(key="pending", value=1))  # not flushed: no query after it
        return redirect("/")

    def savepoint():
        with db.session.begin_nested():  # as an insert that may collide does (checkin)
            db.session.add(Setting(key="savepoint", value=1))
        return "ok"

    def service_refused_after_writing():
        # A service writes part of its work, then refuses; the page shows the form again.
        form = FlaskForm(meta={"csrf": False})
        try:
            write("partial")
            raise ValidationFailed({"key": "refused after a partial write"})
        except ValidationFailed as e:
            apply_errors(form, e)
        return " ".join(form.form_errors)  # a 200: the form with its error

    def bulk():
        db.session.execute(sa.insert(Setting).values(key="bulk", value=1))
        return "ok"

    def busy():
        write("busy")
        # What SQLite raises when its single writer waited busy_timeout in vain.
        raise sa.exc.OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))

    def database_down():
        write("down")
        # Not a busy lock (the server gone, a disk full): an error, not "try again".
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    def busy_at_commit():
        write("busy at commit")
        # The lock refused only as the transaction commits (a write added at commit time).
        sa.event.listen(db.session(), "before_commit", _locked_once, once=True)
        return redirect("/")

    def read():
        return str(db.session.scalar(sa.select(sa.func.count()).select_from(Setting)))

    for name, view, method in (("done", done, "POST"), ("refused", refused, "POST"),
                               ("broken", broken, "POST"), ("bulk", bulk, "POST"),
                               ("pending", pending, "POST"), ("savepoint", savepoint, "POST"),
                               ("service", service_refused_after_writing, "POST"),
                               ("refused_politely", refused_politely, "POST"),
                               ("busy", busy, "POST"), ("api_busy", busy, "POST"),
                               ("down", database_down, "POST"),
                               ("api_down", database_down, "POST"),
                               ("busy_at_commit", busy_at_commit, "POST"),
                               ("api_busy_at_commit", busy_at_commit, "POST"),
                               ("read", read, "GET")):  # fmt: skip
        prefix = "/api/v1/uow" if name.startswith("api_") else "/uow"
        other.add_url_rule(f"{prefix}/{name}", name, view, methods=[method])
    return other


def _locked_once(session):
    raise sa.exc.OperationalError("COMMIT", {}, Exception("database is locked"))


def kept() -> set[str]:
    db.session.rollback()
    return set(db.session.scalars(sa.select(Setting.key)))


def test_a_done_answer_commits_what_the_view_wrote(uow_app):
    assert uow_app.test_client().post("/uow/done").status_code == 302
    assert kept() == {"done"}


def test_bulk_statements_count_as_writes(uow_app):
    assert uow_app.test_client().post("/uow/bulk").status_code == 200
    assert kept() == {"bulk"}


def test_a_write_not_yet_flushed_is_committed_too(uow_app):
    assert uow_app.test_client().post("/uow/pending").status_code == 302
    assert kept() == {"pending"}


def test_a_write_in_a_released_savepoint_is_committed(uow_app):
    assert uow_app.test_client().post("/uow/savepoint").status_code == 200
    assert kept() == {"savepoint"}


def test_a_service_refusing_after_a_partial_write_leaves_the_database_unchanged(uow_app):
    response = uow_app.test_client().post("/uow/service")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "refused after a partial write"
    assert kept() == set()


def test_an_error_answer_or_an_exception_keeps_nothing(uow_app):
    client = uow_app.test_client()
    assert client.post("/uow/refused").status_code == 422
    assert client.post("/uow/broken").status_code == 500
    assert client.post("/uow/refused_politely").status_code == 302
    assert kept() == set()


def test_a_page_that_only_reads_sends_no_commit(uow_app):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    def commits(conn):
        statements.append("COMMIT")

    with uow_app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    sa.event.listen(engine, "commit", commits)
    try:
        assert uow_app.test_client().get("/uow/read").get_data(as_text=True) == "0"
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
        sa.event.remove(engine, "commit", commits)
    assert "COMMIT" not in statements


def test_a_database_too_busy_to_write_answers_try_again_and_keeps_nothing(uow_app):
    """A burst on the embedded database: 503 with Retry-After and a message that says
    nothing was saved, as a page and as the API's JSON — not "something went wrong"."""
    client = uow_app.test_client()
    page = client.post("/uow/busy", headers={"Accept-Language": "en"})
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Nothing you entered was saved" in page.get_data(as_text=True)
    api = client.post("/api/v1/uow/api_busy")
    assert api.status_code == 503 and api.headers["Retry-After"] == "5"
    assert api.get_json()["error"] == "busy"
    assert kept() == set()


def test_a_database_fault_that_is_no_busy_lock_is_an_error_not_try_again(uow_app):
    """Only SQLite's busy lock means "nothing was saved, try again": any other operational
    error is the unexpected-error page (500, logged), and nothing is kept either."""
    client = uow_app.test_client()
    page = client.post("/uow/down", headers={"Accept-Language": "en"})
    assert page.status_code == 500 and "Retry-After" not in page.headers
    api = client.post("/api/v1/uow/api_down")
    assert api.status_code == 500 and api.get_json()["error"] != "busy"
    assert kept() == set()


def test_a_lock_refused_as_the_request_commits_answers_try_again_too(uow_app):
    """The commit itself meets the busy database (it runs after the view, in after_request):
    the same 503 and message, not a bare 500, and nothing kept."""
    client = uow_app.test_client()
    page = client.post("/uow/busy_at_commit", headers={"Accept-Language": "en"})
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Nothing you entered was saved" in page.get_data(as_text=True)
    api = client.post("/api/v1/uow/api_busy_at_commit")
    assert api.status_code == 503 and api.get_json()["error"] == "busy"
    assert kept() == set()
