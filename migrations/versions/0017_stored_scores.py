"""Each submitted sheet's score S stored beside it (DESIGN.md §3), so that no page sums
criterion scores again; filled in for every sheet already submitted

Revision ID: 0017_stored_scores
Revises: 0013_retention
Create Date: 2026-12-05 18:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_stored_scores'
down_revision = '0015_audit_chains'
branch_labels = None
depends_on = None


# S = 100 × Σ w_c (s_c − min) / ((max − min) × Σ w_c) over the criteria the sheet scored,
# in the order of operations of panel/scoring/rules.py (sheet_score); none when it scored
# nothing. Drafts get theirs when submitted.
BACKFILL = """
UPDATE score_sheets SET score = (
    SELECT 100 * SUM(criteria.weight * (criterion_scores.value - rounds.scale_min))
           / (MAX(rounds.scale_max - rounds.scale_min) * SUM(criteria.weight))
    FROM criterion_scores
    JOIN criteria ON criteria.id = criterion_scores.criterion_id
    JOIN rounds ON rounds.id = criteria.round_id
    WHERE criterion_scores.sheet_id = score_sheets.id
      AND criterion_scores.value IS NOT NULL
)
WHERE status = 'submitted'
"""


def upgrade():
    with op.batch_alter_table('score_sheets') as batch:
        batch.add_column(sa.Column('score', sa.Double(), nullable=True))
    op.execute(BACKFILL)


def downgrade():
    with op.batch_alter_table('score_sheets') as batch:
        batch.drop_column('score')
