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
