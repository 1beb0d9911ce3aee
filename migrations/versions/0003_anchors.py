"""Audit anchors: the chain's head when a round was decided

Revision ID: 0003_anchors
Revises: 0002_meeting
Create Date: 2026-11-22 02:21:06.458371

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0003_anchors'
down_revision = '0002_meeting'
branch_labels = None
depends_on = None

# An anchor is printed on a published report: like the events, it never changes.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_anchors_no_update BEFORE UPDATE ON audit_anchors
       BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_anchors_no_delete BEFORE DELETE ON audit_anchors
       BEGIN SELECT RAISE(ABORT, 'audit anchors are append-only: DELETE refused'); END""",
]
POSTGRESQL_TRIGGERS = [
    """CREATE TRIGGER audit_anchors_no_update_delete BEFORE UPDATE OR DELETE ON audit_anchors
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
    """CREATE TRIGGER audit_anchors_no_truncate BEFORE TRUNCATE ON audit_anchors
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
]


def upgrade():
    op.create_table('audit_anchors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('event_hash', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_audit_anchors_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_anchors')),
    sa.UniqueConstraint('round_id', name=op.f('uq_audit_anchors_round_id'))
    )
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_anchors_no_truncate ON audit_anchors")
        op.execute("DROP TRIGGER audit_anchors_no_update_delete ON audit_anchors")
    op.drop_table('audit_anchors')
