"""The decision trail's format 2: personal values sealed out of the hash (DESIGN.md §7)

- audit_events.format: 1 for every event written before (hashed exactly as it was), 2
  from now on: the hashed part names people by their id only, and "v": 2 is hashed with it;
- audit_personal: each personal value of a format-2 event (an e-mail, a name, free text
  that may name someone) with its salt; the event hashes only
  SHA-256(salt + value). No trigger guards it: erasing a person deletes their rows, and
  the chain still verifies (docs/trail.md).

The column is added in place, not through a batch copy of audit_events: a copy would
lose the append-only triggers (and on PostgreSQL, adding a column with a constant
default rewrites no row, so no UPDATE trigger fires).

Revision ID: 0010_sealed_personal_values
Revises: 0009_parked_uploads
Create Date: 2026-12-05 11:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_sealed_personal_values'
down_revision = '0009_parked_uploads'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('audit_events', sa.Column('format', sa.Integer(), nullable=False,
                                            server_default='1'))
    op.create_table('audit_personal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['audit_events.id'], ondelete='CASCADE',
                            name=op.f('fk_audit_personal_event_id_audit_events')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_personal')),
    sa.UniqueConstraint('event_id', 'path', name=op.f('uq_audit_personal_event_id_path'))
    )


def downgrade():
    op.drop_table('audit_personal')
    # SQLite (3.35 and later) drops a column in place too, keeping the triggers. Format-2
    # events no longer verify once their marker is gone: downgrade only a copy.
    op.drop_column('audit_events', 'format')
