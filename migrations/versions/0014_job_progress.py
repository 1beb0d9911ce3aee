"""Long work as jobs a person can follow: who started a job, the stage it is at, and the
file an export job leaves for them to download (panel/jobs/progress.py); a job's
arguments, so that one whose message never reached the queue can be sent again

Revision ID: 0014_job_progress
Revises: 0013_retention
Create Date: 2026-12-05 18:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_job_progress'
down_revision = '0013_retention'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('jobs') as batch:
        batch.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('stage', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('arguments', sa.JSON(), nullable=True))
        batch.create_foreign_key('fk_jobs_user_id_users', 'users', ['user_id'], ['id'],
                                 ondelete='SET NULL')
        batch.create_index('ix_jobs_user_id', ['user_id'])
    op.create_table(
        'job_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('mimetype', sa.String(length=100), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], ondelete='CASCADE',
                                name=op.f('fk_job_files_job_id_jobs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_job_files')),
        sa.UniqueConstraint('job_id', name=op.f('uq_job_files_job_id')),
    )
    op.create_index(op.f('ix_job_files_created_at'), 'job_files', ['created_at'])


def downgrade():
    op.drop_index(op.f('ix_job_files_created_at'), table_name='job_files')
    op.drop_table('job_files')
    with op.batch_alter_table('jobs') as batch:
        batch.drop_index('ix_jobs_user_id')
        batch.drop_constraint('fk_jobs_user_id_users', type_='foreignkey')
        batch.drop_column('arguments')
        batch.drop_column('stage')
        batch.drop_column('user_id')
