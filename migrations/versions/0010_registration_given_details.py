"""registration: the details given by whoever registered someone they did not know

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registration') as batch_op:
        batch_op.add_column(sa.Column('given_first_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('given_last_name', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('given_phone', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('registration') as batch_op:
        batch_op.drop_column('given_phone')
        batch_op.drop_column('given_last_name')
        batch_op.drop_column('given_first_name')
