"""Background jobs and the mail outbox (issue 16)

jobs: one row per background job (Dramatiq runs them; the row is what officers and
admins see: state, attempts, last error, progress). outbox: every e-mail, written in the
transaction of the change it reports and sent afterwards by a job, with its delivery or
its failure recorded.

Revision ID: 0012_jobs_and_outbox
Revises: 0011_salted_events
Create Date: 2026-12-05 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_jobs_and_outbox'
down_revision = '0011_salted_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=60), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('progress_done', sa.Integer(), nullable=False),
        sa.Column('progress_total', sa.Integer(), nullable=True),
        sa.Column('result', sa.Text(), nullable=True),
        sa.Column('message_id', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')",
                           name=op.f('ck_jobs_state_known')),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_jobs_attempts_not_negative')),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ondelete='SET NULL',
                                name=op.f('fk_jobs_round_id_rounds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
        sa.UniqueConstraint('message_id', name=op.f('uq_jobs_message_id')),
    )
    op.create_index(op.f('ix_jobs_round_id'), 'jobs', ['round_id'])
    op.create_index(op.f('ix_jobs_created_at'), 'jobs', ['created_at'])
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recipient', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('job_id', sa.Integer(), nullable=True),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint("state IN ('pending', 'sent', 'failed')",
                           name=op.f('ck_outbox_state_known')),
        sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], ondelete='SET NULL',
                                name=op.f('fk_outbox_round_id_rounds')),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ondelete='SET NULL',
                                name=op.f('fk_outbox_job_id_jobs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    )
    op.create_index(op.f('ix_outbox_round_id'), 'outbox', ['round_id'])
    op.create_index(op.f('ix_outbox_job_id'), 'outbox', ['job_id'])
    op.create_index(op.f('ix_outbox_state'), 'outbox', ['state'])


def downgrade():
    op.drop_index(op.f('ix_outbox_state'), table_name='outbox')
    op.drop_index(op.f('ix_outbox_job_id'), table_name='outbox')
    op.drop_index(op.f('ix_outbox_round_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index(op.f('ix_jobs_created_at'), table_name='jobs')
    op.drop_index(op.f('ix_jobs_round_id'), table_name='jobs')
    op.drop_table('jobs')
