"""user: a session token, so that signing out ends every session of the account

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 16:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('session_token')
