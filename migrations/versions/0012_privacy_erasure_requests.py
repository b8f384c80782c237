"""privacy: erasure requests, reminder opt-out, anonymised people

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-03 16:35:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0012'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person') as batch_op:
        batch_op.add_column(
            sa.Column('reminders_opt_out_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'erasure_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    with op.batch_alter_table('erasure_request') as batch_op:
        batch_op.create_index('ix_erasure_request_person_id', ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('erasure_request') as batch_op:
        batch_op.drop_index('ix_erasure_request_person_id')
    op.drop_table('erasure_request')
    with op.batch_alter_table('person') as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('reminders_opt_out_at')
