"""consent: one row per consent given (kind, notice version, channel, who asserted it)

Revision ID: 0019
Revises: 0012
Create Date: 2026-12-07 06:40:00

Existing registrations get their consents back-filled: the registration consent at the
registration's consent time by its channel (its source: form, api, staff, walk_in → door;
'form' when unknown), follow-up consent where it is still ticked (withdrawn when the person
stopped follow-up). No notice version and nobody named: neither was recorded then.
"""
from alembic import op
import sqlalchemy as sa


revision = '0019'
down_revision = '0012'
branch_labels = None
depends_on = None

CHANNEL = (
    "CASE r.source WHEN 'api' THEN 'api' WHEN 'staff' THEN 'staff' "
    "WHEN 'walk_in' THEN 'door' ELSE 'form' END"
)


def upgrade():
    op.create_table(
        'consent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('registration_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('notice_version', sa.String(length=40), nullable=True),
        sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('asserted_by', sa.String(length=300), nullable=True),
        sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['registration_id'], ['registration.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('consent') as batch_op:
        batch_op.create_index('ix_consent_person_id', ['person_id'], unique=False)
        batch_op.create_index('ix_consent_registration_id', ['registration_id'], unique=False)
    op.execute(
        "INSERT INTO consent (person_id, registration_id, kind, given_at, channel) "
        f"SELECT r.person_id, r.id, 'registration', COALESCE(r.consent_at, r.created_at), "
        f"{CHANNEL} FROM registration r"
    )
    op.execute(
        "INSERT INTO consent (person_id, registration_id, kind, given_at, channel, withdrawn_at) "
        f"SELECT r.person_id, r.id, 'follow_up', COALESCE(r.consent_at, r.created_at), "
        f"{CHANNEL}, p.followup_opt_out_at FROM registration r "
        "JOIN person p ON p.id = r.person_id WHERE r.consent_followup"
    )


def downgrade():
    with op.batch_alter_table('consent') as batch_op:
        batch_op.drop_index('ix_consent_registration_id')
        batch_op.drop_index('ix_consent_person_id')
    op.drop_table('consent')
