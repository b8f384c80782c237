"""The migrations build the schema the models describe, and take it down again."""

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from boostcamp.db import render_migration_item
from boostcamp.extensions import db
from tests.conftest import make_app, postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
    else:
        with postgres_schema() as url:
            yield url


def table_names() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


# Slow by design: every migration up and down on an empty database of each engine.
def test_upgrade_matches_models_and_downgrade_removes_everything(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        flask_migrate.upgrade()
        assert table_names() == set(db.metadata.tables)

        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_item": render_migration_item}
            )
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"

        flask_migrate.downgrade(revision="base")
        assert table_names() == set()

        flask_migrate.upgrade()  # and back up again, as a deployment rolling forward would
        assert table_names() == set(db.metadata.tables)
        db.engine.dispose()


# Slow by design: every migration up and down on an empty database of each engine.
def test_0013_turns_the_demo_logo_paths_into_stored_logos(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        flask_migrate.upgrade(revision="0011")
        with db.engine.begin() as conn:
            for n, url in enumerate(["/static/img/logos/mic-mons.svg",
                                     "https://cdn.example/logo.png", None]):  # fmt: skip
                conn.execute(sa.text(
                    "INSERT INTO organisation (slug, name, kind, logo_url, created_at, updated_at)"
                    " VALUES (:slug, 'X', 'platform', :url, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ), {"slug": f"o{n}", "url": url})  # fmt: skip
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT o.slug, l.width, l.media_type FROM organisation o "
                "LEFT JOIN logo l ON l.sha256 = o.logo_sha256 ORDER BY o.slug")).all()
        # The demo's site path becomes its PNG; an outside address is dropped.
        assert [tuple(r) for r in rows] == [
            ("o0", 512, "image/png"), ("o1", None, None), ("o2", None, None)]
        flask_migrate.downgrade(revision="0011")
        with db.engine.connect() as conn:
            urls = conn.execute(sa.text("SELECT logo_url FROM organisation ORDER BY slug")).all()
        assert urls[0][0].startswith("/logos/") and urls[1][0] is None
        db.engine.dispose()


def test_0019_backfills_the_consents_of_existing_registrations(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        flask_migrate.upgrade(revision="0012")
        now = "2011-05-09 09:00:00"
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO event (id, slug, title, kind, status, city, starts_at, ends_at, "
                "timezone, language, created_at, updated_at) VALUES (1, 'e', 'E', 'boostcamp', "
                "'published', 'Mons', :now, :now, 'Europe/Brussels', 'fr', :now, :now)"),
                {"now": now})  # fmt: skip
            for n, (source, followup, opted_out) in enumerate([
                ("form", True, None), ("api", False, None), ("staff", True, now),
                ("walk_in", False, None),
            ], start=1):  # fmt: skip
                conn.execute(sa.text(
                    "INSERT INTO person (id, email, first_name, last_name, language, "
                    "followup_opt_out_at, created_at, updated_at) VALUES (:n, :email, 'A', 'B', "
                    "'fr', :out, :now, :now)"), {"n": n, "email": f"p{n}@x.be", "out": opted_out,
                                                  "now": now})  # fmt: skip
                conn.execute(sa.text(
                    "INSERT INTO registration (id, event_id, person_id, status, ticket_code, "
                    "profile, consent_at, consent_followup, source, created_at, updated_at) "
                    "VALUES (:n, 1, :n, 'confirmed', :code, 'other', :now, :followup, :source, "
                    ":now, :now)"), {"n": n, "code": f"T{n}", "now": now, "followup": followup,
                                     "source": source})  # fmt: skip
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT registration_id, kind, channel, notice_version, asserted_by, "
                "withdrawn_at IS NOT NULL FROM consent ORDER BY registration_id, kind DESC"
            )).all()  # fmt: skip
        assert [tuple(r) for r in rows] == [
            (1, "registration", "form", None, None, False),
            (1, "follow_up", "form", None, None, False),
            (2, "registration", "api", None, None, False),
            (3, "registration", "staff", None, None, False),
            (3, "follow_up", "staff", None, None, True),  # withdrawn when they opted out
            (4, "registration", "door", None, None, False),
        ]
        flask_migrate.downgrade(revision="0012")
        assert "consent" not in table_names()
        db.engine.dispose()
