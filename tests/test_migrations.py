"""The migrations build the schema the models describe, and take it down again."""

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from boostcamp.core.db import render_migration_item
from boostcamp.core.extensions import db
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


def test_0020_folds_the_events_texts_for_the_search(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        flask_migrate.upgrade(revision="0012")
        with db.engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO event (slug, title, kind, status, summary, city, venue, starts_at,"
                " ends_at, timezone, language, sequence, created_at, updated_at) VALUES ('e',"
                " 'Atelier à Liège', 'workshop', 'published', 'Écrire son PLAN', 'Liège', NULL,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'Europe/Brussels', 'fr', 0,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ))  # fmt: skip
        flask_migrate.upgrade(revision="0020")
        with db.engine.connect() as conn:
            row = conn.execute(sa.text("SELECT search_text, translations FROM event")).one()
        assert tuple(row) == ("atelier a liege ecrire son plan liege", None)
        flask_migrate.downgrade(revision="0012")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("event")}
        assert not {"search_text", "translations"} & columns
        db.engine.dispose()


def test_0023_keeps_the_proposer_on_the_event_and_says_each_actor(empty_database):
    app = make_app(empty_database)
    with app.app_context():
        flask_migrate.upgrade(revision="0022")
        now = "2011-05-09 09:00:00"
        sql = [
            "INSERT INTO organisation (id, slug, name, kind, created_at, updated_at) VALUES "
            "(1, 'mic', 'MIC', 'centre', :now, :now), (2, 'a', 'A', 'platform', :now, :now), "
            "(3, 'b', 'B', 'platform', :now, :now)",
            'INSERT INTO "user" (id, email, name, password_hash, active, role, created_at, '
            "updated_at) VALUES (1, 's@x.be', 'S', '-', true, 'staff', :now, :now), "
            "(2, 'p@x.be', 'P', '-', true, NULL, :now, :now)",
            # The partner's member belongs to both platforms; event 2 is co-organised by B.
            "INSERT INTO membership (id, user_id, organisation_id, role) VALUES "
            "(1, 2, 2, 'manager'), (2, 2, 3, 'manager')",
            "INSERT INTO api_token (id, organisation_id, name, token_hash, hint, created_at) "
            "VALUES (1, 3, 'T', 'h1', 'x', :now), (2, 1, 'C', 'h2', 'y', :now)",
            *(f"INSERT INTO event (id, slug, title, kind, status, city, starts_at, ends_at, "
              f"timezone, language, created_at, updated_at) VALUES ({n}, 'e{n}', 'E', "
              f"'boostcamp', 'draft', 'Mons', :now, :now, 'Europe/Brussels', 'fr', :now, :now)"
              for n in range(1, 6)),
            "INSERT INTO event_organiser (event_id, organisation_id, role) VALUES "
            "(2, 1, 'host'), (2, 3, 'co_organiser')",
            # 1 by staff, 2 by the member, 3 by B's token, 4 by the centre's token, 5 unknown.
            "INSERT INTO audit_entry (at, user_id, api_token_id, event_id, action, changes) "
            "VALUES (:now, 1, NULL, 1, 'created', '{}'), (:now, 2, NULL, 2, 'created', '{}'), "
            "(:now, NULL, 1, 3, 'created', '{}'), (:now, NULL, 2, 4, 'created', '{}'), "
            "(:now, NULL, NULL, 5, 'created', '{}'), (:now, 2, NULL, 1, 'updated', '{}')",
            "INSERT INTO person (id, email, first_name, last_name, language, created_at, "
            "updated_at) VALUES (1, 'q@x.be', 'A', 'B', 'fr', :now, :now)",
            "INSERT INTO registration (id, event_id, person_id, status, ticket_code, profile, "
            "consent_at, consent_followup, source, created_at, updated_at) VALUES "
            "(1, 2, 1, 'confirmed', 'T1', 'other', :now, false, 'form', :now, :now)",
        ]  # fmt: skip
        with db.engine.begin() as conn:
            for statement in sql:
                conn.execute(sa.text(statement), {"now": now})
        flask_migrate.upgrade(revision="0023")
        with db.engine.connect() as conn:
            proposers = conn.execute(sa.text(
                "SELECT id, proposed_by_organisation_id FROM event ORDER BY id")).all()
            actors = conn.execute(sa.text(
                "SELECT event_id, actor_kind, actor_name FROM audit_entry ORDER BY id")).all()
        assert [tuple(r) for r in proposers] == [(1, None), (2, 3), (3, 3), (4, None), (5, None)]
        assert [tuple(r) for r in actors] == [
            (1, "user", None), (2, "user", None), (3, "api_token", None),
            (4, "api_token", None), (5, "system", "unrecorded"), (1, "user", None)]  # fmt: skip

        flask_migrate.downgrade(revision="0022")
        with db.engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("event")}
            kept = conn.execute(sa.text("SELECT count(*) FROM registration")).scalar()
            audit_columns = {c["name"] for c in sa.inspect(conn).get_columns("audit_entry")}
        assert "proposed_by_organisation_id" not in columns and "actor_kind" not in audit_columns
        assert kept == 1  # going down copies the event table on SQLite: nobody is deleted
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            again = conn.execute(sa.text(
                "SELECT proposed_by_organisation_id FROM event ORDER BY id")).scalars().all()
        assert again == [None, 3, 3, None, None]
        db.engine.dispose()
