"""impact_version: the impact dashboard's version, bumped in the same transaction as every write
to what it counts (its kept figures are then counted again)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 12:50:00

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    version = op.create_table(
        'impact_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_impact_version')),
    )
    # As boostcamp.outcomes.impact.version.SLOTS: rows a commit picks one of, at random.
    op.bulk_insert(version, [{'id': i, 'token': uuid.uuid4().hex, 'version': 0}
                             for i in range(1, 9)])


def downgrade():
    op.drop_table('impact_version')
