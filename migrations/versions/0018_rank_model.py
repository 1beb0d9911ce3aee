"""How sure the ranking is (DESIGN.md §3a): whether a round runs the rank model, and the
model's result kept per round version (panel/scoring/rank_model.py)

Revision ID: 0018_rank_model
Revises: 0014_job_progress
Create Date: 2026-12-05 19:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_rank_model'
down_revision = '0017_stored_scores'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.add_column(sa.Column('rank_model', sa.String(length=4), nullable=False,
                                   server_default='auto'))
        batch.create_check_constraint(op.f('ck_rounds_rank_model_known'),
                                      "rank_model IN ('auto', 'on', 'off')")
    op.create_table(
        'rank_model_results',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('inputs', sa.String(length=64), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.Column('seconds', sa.Double(), nullable=False),
        sa.Column('result', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ondelete='CASCADE',
                                name=op.f('fk_rank_model_results_round_id_rounds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_rank_model_results')),
        sa.UniqueConstraint('round_id', 'version',
                            name=op.f('uq_rank_model_results_round_id_version')),
    )
    op.create_index(op.f('ix_rank_model_results_round_id'), 'rank_model_results', ['round_id'])
    op.create_index(op.f('ix_rank_model_results_inputs'), 'rank_model_results', ['inputs'])


def downgrade():
    op.drop_index(op.f('ix_rank_model_results_inputs'), table_name='rank_model_results')
    op.drop_index(op.f('ix_rank_model_results_round_id'), table_name='rank_model_results')
    op.drop_table('rank_model_results')
    with op.batch_alter_table('rounds') as batch:
        batch.drop_constraint(op.f('ck_rounds_rank_model_known'), type_='check')
        batch.drop_column('rank_model')
