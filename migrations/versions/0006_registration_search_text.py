"""registration search text (check-in's search as you type)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 12:33:47.389244

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def fold(text):
    # As boostcamp.core.text.fold, copied: a migration never imports the application.
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def upgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_text', sa.String(length=700), nullable=True))

    # The registrations already there (the app fills it from now on).
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT registration.id, person.last_name, person.first_name, person.email, "
        "registration.organisation_name, registration.ticket_code "
        "FROM registration JOIN person ON person.id = registration.person_id"
    )).all()
    update = sa.text("UPDATE registration SET search_text = :text WHERE id = :id")
    values = [{"id": row[0], "text": fold(" ".join(p for p in row[1:] if p))} for row in rows]
    for start in range(0, len(values), 1000):
        connection.execute(update, values[start:start + 1000])


def downgrade():
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_column('search_text')
