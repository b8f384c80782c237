"""agenda session titles per language (reserved for the agenda work)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 12:50:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
