"""The meeting in a real room: small groups, comments for the chair, the round's time zone

- rounds.min_group_size: a group's label or score is shown to panellists and the public
  only when at least this many of its members have a counting sheet on the item
  (DESIGN.md §4, default 2);
- rounds.time_zone: the round's time zone (IANA name), in which the scoring deadline ends
  (DESIGN.md §8, default Europe/London);
- score_sheets.comment_for_chair: the panellist asked that the comment be read by the
  chair only, never put on the shared screen;
- shared_comments: the comments the chair chose to put on the shared screen, one row per
  member and application (the member's current sheet's comment is the one shown).

Revision ID: 0006_meeting_room
Revises: 0005_sealed_totp
Create Date: 2026-12-04 19:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_meeting_room'
down_revision = '0005_sealed_totp'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_group_size', sa.Integer(), nullable=False,
                                      server_default='2'))
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False,
                                      server_default='Europe/London'))
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_for_chair', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table('shared_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_shared_comments_application_id_applications')),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_shared_comments_member_id_panel_members')),
    sa.ForeignKeyConstraint(['shared_by_id'], ['users.id'], name=op.f('fk_shared_comments_shared_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shared_comments')),
    sa.UniqueConstraint('application_id', 'member_id', name='uq_shared_comments_application_member')
    )


def downgrade():
    op.drop_table('shared_comments')
    with op.batch_alter_table('score_sheets', schema=None) as batch_op:
        batch_op.drop_column('comment_for_chair')
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
        batch_op.drop_column('min_group_size')
