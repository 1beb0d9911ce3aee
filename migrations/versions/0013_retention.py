"""Retention per round: when a round was first published, how many months after that its
panel's personal data is kept, and when it was erased (panel/accounts/retention.py)

Revision ID: 0013_retention
Revises: 0012_jobs_and_outbox
Create Date: 2026-12-05 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_retention'
down_revision = '0012_jobs_and_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch.add_column(sa.Column('retention_months', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('retention_applied_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.drop_column('retention_applied_at')
        batch.drop_column('retention_months')
        batch.drop_column('published_at')
