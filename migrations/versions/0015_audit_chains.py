"""The decision trail's format 4: one chain per round, one for the site (docs/trail.md)

audit_events.chain: the round's id (0 for events of no round); audit_events.seq: the
position in that chain, from 1 with no gaps, unique per chain. Writers then lock only the
chain they append to (PostgreSQL: pg_advisory_xact_lock(namespace, chain)) instead of
one lock for every write in the site, and the id no longer has to be the previous id + 1:
PostgreSQL gives it from a sequence (gaps allowed), SQLite from the rowid.

Events written before keep NULL in both: they stay the one legacy chain, in id order,
verified exactly as before.

Added in place, like 0010 and 0011: a batch copy would lose the append-only triggers.

Revision ID: 0015_audit_chains
Revises: 0013_retention
Create Date: 2026-12-05 18:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_audit_chains'
down_revision = '0014_job_progress'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('audit_events', sa.Column('chain', sa.Integer(), nullable=True))
    op.add_column('audit_events', sa.Column('seq', sa.Integer(), nullable=True))
    op.create_index('ix_audit_events_chain_seq', 'audit_events', ['chain', 'seq'],
                    unique=True)
    if op.get_bind().dialect.name == 'postgresql':
        # SQLite's INTEGER PRIMARY KEY already numbers new rows itself.
        op.execute("CREATE SEQUENCE audit_events_id_seq OWNED BY audit_events.id")
        op.execute("SELECT setval('audit_events_id_seq', "
                   "COALESCE((SELECT max(id) FROM audit_events), 0) + 1, false)")
        op.execute("ALTER TABLE audit_events ALTER COLUMN id "
                   "SET DEFAULT nextval('audit_events_id_seq')")


def downgrade():
    # Format-4 events no longer verify once their chain is gone: downgrade only a copy.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TABLE audit_events ALTER COLUMN id DROP DEFAULT")
        op.execute("DROP SEQUENCE audit_events_id_seq")
    op.drop_index('ix_audit_events_chain_seq', table_name='audit_events')
    op.drop_column('audit_events', 'seq')
    op.drop_column('audit_events', 'chain')
