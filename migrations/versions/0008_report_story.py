"""The community-voice story: deciding over budget, and what the public may read

- rounds.over_budget_reason / over_budget_acknowledged_at: the round was decided with its
  funded set over the budget, acknowledged with this reason (DESIGN.md §3; shown in the
  report and the public summary);
- rounds.public_columns: application columns the funder publishes (for example the
  funded organisations' names), shown in the public summary once the round is published.

Revision ID: 0008_report_story
Revises: 0007_deadline_in_time_zone
Create Date: 2026-12-05 07:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_report_story'
down_revision = '0007_deadline_in_time_zone'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('over_budget_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('over_budget_acknowledged_at', sa.DateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('public_columns', sa.JSON(), nullable=False,
                                      server_default='[]'))


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('public_columns')
        batch_op.drop_column('over_budget_acknowledged_at')
        batch_op.drop_column('over_budget_reason')
