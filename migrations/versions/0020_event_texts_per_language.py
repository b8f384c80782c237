"""event: title, summary and description in other languages; a folded search text

The main language's texts stay in title, summary and description; the others go to
event.translations ({"nl": {"title": …}, "en": {…}}). event.search_text holds every title
and summary, the city and venue, lower case without accents: the catalogue's search reads it.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 06:40:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def fold(text):
    # As boostcamp.core.text.fold, copied: a migration never imports the application.
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))

    # The events already there have no translations yet (the app fills it from now on).
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, title, summary, city, venue FROM event")
    ).all()
    update = sa.text("UPDATE event SET search_text = :text WHERE id = :id")
    values = [{"id": row[0], "text": fold(" ".join(p for p in row[1:] if p))} for row in rows]
    for start in range(0, len(values), 1000):
        connection.execute(update, values[start:start + 1000])


def downgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('search_text')
        batch_op.drop_column('translations')
