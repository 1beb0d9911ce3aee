"""Paying panellists for their time (issue 20, docs/payments.md): each group's pay, each
member's choice and approval, and the time measured per sheet and for the meeting; and
what panellists are told about a round (its funder, whom to ask, how long it takes)

Revision ID: 0020_payments
Revises: 0019_lottery
Create Date: 2026-12-06 01:52:14.825045

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_payments'
down_revision = '0019_lottery'
branch_labels = None
depends_on = None


def upgrade():
    # What panellists are told about the round (the invitation when scoring opens, the
    # round's page): its funder, whom to ask for help, about how long an application takes.
    with op.batch_alter_table('rounds') as batch:
        batch.add_column(sa.Column('funder', sa.String(length=200), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('help_contact', sa.String(length=300), nullable=False,
                                   server_default=''))
        batch.add_column(sa.Column('minutes_per_application', sa.Integer(), nullable=True))
    op.create_table('pay_rates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('hourly_pence', sa.Integer(), nullable=True),
    sa.Column('per_application_pence', sa.Integer(), nullable=True),
    sa.Column('meeting_fee_pence', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('hourly_pence IS NULL OR hourly_pence > 0', name=op.f('ck_pay_rates_hourly_positive')),
    sa.CheckConstraint('hourly_pence IS NULL OR per_application_pence IS NULL', name=op.f('ck_pay_rates_hourly_or_per_application')),
    sa.CheckConstraint('meeting_fee_pence IS NULL OR meeting_fee_pence > 0', name=op.f('ck_pay_rates_meeting_fee_positive')),
    sa.CheckConstraint('per_application_pence IS NULL OR per_application_pence > 0', name=op.f('ck_pay_rates_per_application_positive')),
    sa.ForeignKeyConstraint(['group_id'], ['round_groups.id'], name=op.f('fk_pay_rates_group_id_round_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_pay_rates_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pay_rates')),
    sa.UniqueConstraint('group_id', name=op.f('uq_pay_rates_group_id'))
    )
    op.create_table('member_pay',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('declined', sa.Boolean(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_pence', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_member_pay_approved_by_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_member_pay_member_id_panel_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_member_pay_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_pay')),
    sa.UniqueConstraint('member_id', name=op.f('uq_member_pay_member_id'))
    )
    op.create_table('time_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('measured_seconds', sa.Integer(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('claimed_minutes', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("(kind = 'meeting') = (application_id IS NULL)", name=op.f('ck_time_records_application_for_sheets')),
    sa.CheckConstraint("kind IN ('sheet', 'meeting')", name=op.f('ck_time_records_kind_known')),
    sa.CheckConstraint('claimed_minutes IS NULL OR claimed_minutes >= 0', name=op.f('ck_time_records_claimed_not_negative')),
    sa.CheckConstraint('measured_seconds >= 0', name=op.f('ck_time_records_measured_not_negative')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_time_records_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['panel_members.id'], name=op.f('fk_time_records_member_id_panel_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_time_records_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_records')),
    sa.UniqueConstraint('member_id', 'application_id', name=op.f('uq_time_records_member_id_application_id'))
    )
    with op.batch_alter_table('time_records', schema=None) as batch_op:
        batch_op.create_index('uq_time_records_meeting', ['member_id'], unique=True, sqlite_where=sa.text("kind = 'meeting'"), postgresql_where=sa.text("kind = 'meeting'"))



def downgrade():
    with op.batch_alter_table('time_records', schema=None) as batch_op:
        batch_op.drop_index('uq_time_records_meeting', sqlite_where=sa.text("kind = 'meeting'"), postgresql_where=sa.text("kind = 'meeting'"))

    op.drop_table('time_records')
    op.drop_table('member_pay')
    op.drop_table('pay_rates')
    with op.batch_alter_table('rounds') as batch:
        batch.drop_column('minutes_per_application')
        batch.drop_column('help_contact')
        batch.drop_column('funder')
