"""The funding rule ``lottery`` and the draw near the funding line (DESIGN.md §3a,
panel/moderation/lottery.py): the rule allowed on rounds, and one row per round's draw

Revision ID: 0019_lottery
Revises: 0014_job_progress
Create Date: 2026-12-05 19:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_lottery'
down_revision = '0018_rank_model'
branch_labels = None
depends_on = None

RULE = 'funding_rule_known'


def upgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.drop_constraint(op.f(f'ck_rounds_{RULE}'), type_='check')
        batch.create_check_constraint(RULE, "funding_rule IN ('strict', 'fill', 'lottery')")
    op.create_table(
        'lotteries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('secret', sa.String(length=64), nullable=False),
        sa.Column('commitment', sa.String(length=64), nullable=False),
        sa.Column('grey_zone', sa.JSON(), nullable=False),
        sa.Column('budget_left', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('committed_event_id', sa.Integer(), nullable=False),
        sa.Column('committed_by_id', sa.Integer(), nullable=True),
        sa.Column('committed_at', sa.DateTime(), nullable=False),
        sa.Column('public_input', sa.Text(), nullable=True),
        sa.Column('order', sa.JSON(), nullable=True),
        sa.Column('drawn_event_id', sa.Integer(), nullable=True),
        sa.Column('drawn_by_id', sa.Integer(), nullable=True),
        sa.Column('drawn_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'],
                                name=op.f('fk_lotteries_round_id_rounds')),
        sa.ForeignKeyConstraint(['committed_by_id'], ['users.id'],
                                name=op.f('fk_lotteries_committed_by_id_users')),
        sa.ForeignKeyConstraint(['drawn_by_id'], ['users.id'],
                                name=op.f('fk_lotteries_drawn_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lotteries')),
        sa.UniqueConstraint('round_id', name=op.f('uq_lotteries_round_id')),
    )


def downgrade():
    op.drop_table('lotteries')
    op.execute("UPDATE rounds SET funding_rule = 'fill' WHERE funding_rule = 'lottery'")
    with op.batch_alter_table('rounds') as batch:
        batch.drop_constraint(op.f(f'ck_rounds_{RULE}'), type_='check')
        batch.create_check_constraint(RULE, "funding_rule IN ('strict', 'fill')")
