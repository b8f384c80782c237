"""agenda session titles per language (reserved for the agenda work)

A session's title in its event's language stays in event_session.title; its titles in the
other languages go to event_session.translations ({"nl": {"title": …}, "en": {…}}), as the
event's own texts do (0020).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 12:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('event_session', schema=None) as batch_op:
        batch_op.drop_column('translations')
