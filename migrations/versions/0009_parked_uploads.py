"""Uploads parked in the database between preview and confirmation

An uploaded applications, panellists or bundle file waits here for the officer to
confirm it, instead of in one machine's instance folder, so the preview and the
confirmation may be served by different machines (issue 16). Rows are swept after a day.

Revision ID: 0009_parked_uploads
Revises: 0008_report_story
Create Date: 2026-12-05 12:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_parked_uploads'
down_revision = '0008_report_story'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'parked_uploads',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('round_slug', sa.String(length=80), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('parked_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE',
                                name=op.f('fk_parked_uploads_user_id_users')),
        sa.PrimaryKeyConstraint('token', name=op.f('pk_parked_uploads')),
    )
    op.create_index(op.f('ix_parked_uploads_parked_at'), 'parked_uploads', ['parked_at'])


def downgrade():
    op.drop_index(op.f('ix_parked_uploads_parked_at'), table_name='parked_uploads')
    op.drop_table('parked_uploads')
