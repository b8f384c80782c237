"""programme_editions_and_texts (placeholder: filled by the branch that owns it, so the chain stays linear)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 09:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
