"""audit_actor_and_proposer (placeholder: filled by the branch that owns it, so the chain stays linear)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 09:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
