"""The app factory, its configuration and the database settings every deployment relies on."""

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from boostcamp import create_app
from boostcamp.core.db import UTCDateTime
from boostcamp.core.extensions import db
from boostcamp.core.settings import _instance_secret


def test_secret_key_is_generated_once_and_reused(tmp_path):
    path = tmp_path / "secret_key"
    first = _instance_secret(path)
    assert len(first) >= 64
    assert _instance_secret(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_environment_variables_prefixed_flask_override_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("FLASK_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("FLASK_MAIL_PORT", "2525")
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/x.sqlite3"
    assert app.config["MAIL_PORT"] == 2525
    assert app.config["SECRET_KEY"] == "from-the-environment"


def test_default_database_is_sqlite_in_instance_folder(monkeypatch):
    monkeypatch.delenv("FLASK_SQLALCHEMY_DATABASE_URI", raising=False)
    app = create_app({"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/instance/boostcamp.sqlite3")


def test_sqlite_has_foreign_keys_and_wal(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.db"})
    with app.app_context():
        assert db.session.scalar(sa.text("PRAGMA foreign_keys")) == 1
        assert db.session.scalar(sa.text("PRAGMA journal_mode")) == "wal"
        db.engine.dispose()


@pytest.mark.both_engines  # instants kept by the database
def test_instants_come_back_aware_in_utc(app):
    from tests.factories import make_event

    brussels_summer = datetime.fromisoformat("2027-06-01T09:30:00+02:00")
    event = make_event(starts_at=brussels_summer)
    db.session.expire_all()
    loaded = db.session.get(type(event), event.id)
    assert loaded.starts_at == brussels_summer
    assert loaded.starts_at.tzinfo is not None
    assert loaded.starts_at.utcoffset().total_seconds() == 0


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2027, 1, 1), sa.create_engine("sqlite://").dialect)
    aware = datetime(2027, 1, 1, tzinfo=timezone.utc)
    assert UTCDateTime().process_bind_param(aware, sa.create_engine("sqlite://").dialect).tzinfo is None
