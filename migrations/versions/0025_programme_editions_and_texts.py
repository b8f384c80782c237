"""programme: texts per language and search text, the exam rule; an event a programme may
keep for itself (no sign-up alone); the exam's result per programme registration and what was given on
its form (answers to the events' questions)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 09:45:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def fold(text):
    # As boostcamp.core.text.fold, copied: a migration never imports the application.
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def upgrade():
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=5), server_default='fr', nullable=False))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('requires_exam', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('programme_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alone_allowed', sa.Boolean(), server_default=sa.true(), nullable=False))
    with op.batch_alter_table('programme_registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_passed', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('exam_recorded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))

    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, title, summary FROM programme")).all()
    update = sa.text("UPDATE programme SET search_text = :text WHERE id = :id")
    for row in rows:
        connection.execute(update, {"id": row[0], "text": fold(" ".join(p for p in row[1:] if p))})


def downgrade():
    with op.batch_alter_table('programme_registration', schema=None) as batch_op:
        batch_op.drop_column('details')
        batch_op.drop_column('exam_recorded_at')
        batch_op.drop_column('exam_passed')
    with op.batch_alter_table('programme_event', schema=None) as batch_op:
        batch_op.drop_column('alone_allowed')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_column('requires_exam')
        batch_op.drop_column('search_text')
        batch_op.drop_column('language')
        batch_op.drop_column('translations')
