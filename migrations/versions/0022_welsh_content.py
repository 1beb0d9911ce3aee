"""Welsh round content (issue 21): an application's Welsh title and lay summary, a
criterion's Welsh name, guidance and level words, and the round's Welsh scale words;
all optional, shown to panellists reading in Welsh where present

Revision ID: 0022_welsh_content
Revises: 0021_language
Create Date: 2026-12-06 05:10:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0022_welsh_content'
down_revision = '0021_language'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('applications') as batch:
        batch.add_column(sa.Column('title_cy', sa.String(length=300), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('lay_summary_cy', sa.Text(), nullable=False,
                                   server_default=''))
    with op.batch_alter_table('criteria') as batch:
        batch.add_column(sa.Column('name_cy', sa.String(length=200), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('guidance_cy', sa.Text(), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('descriptors_cy', sa.JSON(), nullable=True))
    with op.batch_alter_table('rounds') as batch:
        batch.add_column(sa.Column('scale_descriptors_cy', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.drop_column('scale_descriptors_cy')
    with op.batch_alter_table('criteria') as batch:
        batch.drop_column('descriptors_cy')
        batch.drop_column('guidance_cy')
        batch.drop_column('name_cy')
    with op.batch_alter_table('applications') as batch:
        batch.drop_column('lay_summary_cy')
        batch.drop_column('title_cy')
