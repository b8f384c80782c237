"""the impact dashboard's version, bumped on every write it counts (reserved for the dashboard work)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 12:50:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
