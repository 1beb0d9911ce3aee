"""Welsh and English (issue 21, panel/i18n.py): the language each person reads FairPanel
and their e-mails in, once they have chosen one

Revision ID: 0021_language
Revises: 0020_payments
Create Date: 2026-12-06 05:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_language'
down_revision = '0020_payments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.drop_column('language')
