"""An index on panel_members.user_id: every signed-in request loads the person's
memberships, which scanned the whole table (issue 17)

Revision ID: 0023_members_by_user
Revises: 0022_welsh_content
Create Date: 2026-12-07 06:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_members_by_user'
down_revision = '0022_welsh_content'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_panel_members_user', 'panel_members', ['user_id'])


def downgrade():
    op.drop_index('ix_panel_members_user', table_name='panel_members')
