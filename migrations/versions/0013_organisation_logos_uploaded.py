"""organisation: logos uploaded and kept in the database (table logo) instead of an address

The demo's site paths (/static/img/logos/NAME.svg) become the PNGs shipped in
boostcamp/demo/logos/; any other address (outside the app, never shown under the CSP) is
dropped: staff upload the file instead.

Revision ID: 0013
Revises: 0018
Create Date: 2026-12-03 16:25:00

"""
import hashlib
import io
import re
from datetime import datetime, timezone
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0018'
branch_labels = None
depends_on = None

DEMO_LOGOS = Path(__file__).resolve().parents[2] / 'boostcamp' / 'demo' / 'logos'
SITE_PATH = re.compile(r'^/static/img/logos/([a-z0-9-]+)\.(?:svg|png)$')


def upgrade():
    op.create_table('logo',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=50), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_logo'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo_sha256', sa.String(length=64), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_organisation_logo_sha256_logo'), 'logo',
                                    ['logo_sha256'], ['sha256'])

    conn = op.get_bind()
    logo = sa.table('logo', sa.column('sha256'), sa.column('media_type'), sa.column('data'),
                    sa.column('width'), sa.column('height'), sa.column('created_at'))
    org = sa.table('organisation', sa.column('id'), sa.column('logo_url'),
                   sa.column('logo_sha256'))
    seen = set()
    for org_id, url in conn.execute(sa.select(org.c.id, org.c.logo_url)).all():
        match = SITE_PATH.match(url or '')
        path = DEMO_LOGOS / f'{match.group(1)}.png' if match else None
        if path is None or not path.exists():
            continue
        from PIL import Image

        data = path.read_bytes()
        sha256 = hashlib.sha256(data).hexdigest()
        if sha256 not in seen:
            width, height = Image.open(io.BytesIO(data)).size
            conn.execute(logo.insert().values(
                sha256=sha256, media_type='image/png', data=data, width=width, height=height,
                created_at=datetime.now(timezone.utc)))
            seen.add(sha256)
        conn.execute(org.update().where(org.c.id == org_id).values(logo_sha256=sha256))

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('logo_url')


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('logo_url', sa.String(length=300), nullable=True))
    # The app's own address of each logo, which the old version showed as a site path.
    op.execute("UPDATE organisation SET logo_url = '/logos/' || logo_sha256 || '.png' "
               "WHERE logo_sha256 IS NOT NULL")
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_organisation_logo_sha256_logo'),
                                 type_='foreignkey')
        batch_op.drop_column('logo_sha256')
    op.drop_table('logo')
