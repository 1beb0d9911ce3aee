"""The moderation meeting: current item and agenda

Revision ID: 0002_meeting
Revises: 0001_initial
Create Date: 2026-11-22 01:59:40.824184

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002_meeting'
down_revision = '0001_initial'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('current_application_id', sa.Integer(), nullable=True),
    sa.Column('item_opened_at', sa.DateTime(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['current_application_id'], ['applications.id'], name=op.f('fk_meetings_current_application_id_applications')),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_meetings_round_id_rounds')),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_meetings_started_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('round_id', name=op.f('uq_meetings_round_id'))
    )
    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('skipped_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_agenda_items_application_id_applications')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items')),
    sa.UniqueConstraint('application_id', name=op.f('uq_agenda_items_application_id'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_items_meeting_position', ['meeting_id', 'position'], unique=False)



def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_items_meeting_position')

    op.drop_table('agenda_items')
    op.drop_table('meetings')
