"""audit actor and proposer: who acted (user, API token, named job or visitor) on each
audit row, and the partner platform that proposed an event, kept on the event

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 09:45:00

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

# Rows written before this step said their actor by user_id or api_token_id only; a row
# with neither was a job or a script, and which one was not kept.
ACTOR_KIND = """
UPDATE audit_entry SET
  actor_kind = CASE WHEN api_token_id IS NOT NULL THEN 'api_token'
                    WHEN user_id IS NOT NULL THEN 'user'
                    ELSE 'system' END,
  actor_name = CASE WHEN api_token_id IS NULL AND user_id IS NULL THEN 'unrecorded' END
"""

# The staff's review list matched the "created" audit row against partners' members
# (accounts without a staff role) and partners' tokens: the same match, once, kept on the
# event. A member of several platforms: the one that co-organises the event, else the first.
BY_TOKEN = """
UPDATE event SET proposed_by_organisation_id = (
  SELECT MIN(t.organisation_id) FROM audit_entry a
  JOIN api_token t ON t.id = a.api_token_id
  JOIN organisation o ON o.id = t.organisation_id
  WHERE a.event_id = event.id AND a.action = 'created' AND o.kind <> 'centre')
WHERE proposed_by_organisation_id IS NULL
"""
BY_MEMBER = """
UPDATE event SET proposed_by_organisation_id = COALESCE(
  (SELECT MIN(m.organisation_id) FROM audit_entry a
   JOIN "user" u ON u.id = a.user_id
   JOIN membership m ON m.user_id = u.id
   JOIN event_organiser eo ON eo.event_id = event.id AND eo.organisation_id = m.organisation_id
   JOIN organisation o ON o.id = m.organisation_id
   WHERE a.event_id = event.id AND a.action = 'created' AND u.role IS NULL
     AND o.kind <> 'centre'),
  (SELECT MIN(m.organisation_id) FROM audit_entry a
   JOIN "user" u ON u.id = a.user_id
   JOIN membership m ON m.user_id = u.id
   JOIN organisation o ON o.id = m.organisation_id
   WHERE a.event_id = event.id AND a.action = 'created' AND u.role IS NULL
     AND o.kind <> 'centre'))
WHERE proposed_by_organisation_id IS NULL
"""


@contextmanager
def _references_off():
    """SQLite changes a reference only by copying the table and dropping the old one; with
    references checked, dropping `event` would delete every registration (ON DELETE
    CASCADE). The check can only be switched off between transactions: so it is, while the
    table is copied (every row comes along), and back on after."""
    op.execute("COMMIT")
    op.execute("PRAGMA foreign_keys=OFF")
    op.execute("BEGIN")
    yield
    op.execute("COMMIT")
    op.execute("PRAGMA foreign_keys=ON")
    op.execute("BEGIN")


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('actor_kind', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('actor_name', sa.String(length=60), nullable=True))
    op.execute(ACTOR_KIND)
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('actor_kind', existing_type=sa.String(length=16), nullable=False)

    if op.get_bind().dialect.name == "sqlite":
        with _references_off():
            with op.batch_alter_table('event', schema=None, recreate='always') as batch_op:
                batch_op.add_column(sa.Column('proposed_by_organisation_id', sa.Integer(), nullable=True))
                batch_op.create_foreign_key(batch_op.f('fk_event_proposed_by_organisation_id_organisation'), 'organisation', ['proposed_by_organisation_id'], ['id'], ondelete='SET NULL')
    else:
        op.add_column('event', sa.Column('proposed_by_organisation_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_event_proposed_by_organisation_id_organisation'), 'event', 'organisation', ['proposed_by_organisation_id'], ['id'], ondelete='SET NULL')
    op.create_index(op.f('ix_event_proposed_by_organisation_id'), 'event', ['proposed_by_organisation_id'], unique=False)
    op.execute(BY_TOKEN)
    op.execute(BY_MEMBER)


def downgrade():
    # The audit rows still say who proposed each event: nothing is lost going down.
    op.drop_index(op.f('ix_event_proposed_by_organisation_id'), table_name='event')
    if op.get_bind().dialect.name == "sqlite":
        with _references_off():
            with op.batch_alter_table('event', schema=None, recreate='always') as batch_op:
                batch_op.drop_column('proposed_by_organisation_id')
    else:
        op.drop_constraint(op.f('fk_event_proposed_by_organisation_id_organisation'), 'event', type_='foreignkey')
        op.drop_column('event', 'proposed_by_organisation_id')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('actor_name')
        batch_op.drop_column('actor_kind')
