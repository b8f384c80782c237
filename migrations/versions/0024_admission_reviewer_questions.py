"""admission: questions for reviewers only, the applicant's city

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 09:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('for_reviewers', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('city', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('city')

    with op.batch_alter_table('event_question', schema=None) as batch_op:
        batch_op.drop_column('for_reviewers')
