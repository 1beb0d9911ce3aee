"""The decision trail's format 3: each event's content behind a salted digest (docs/trail.md)

audit_events.salt: a random 16-byte salt (hex) for every event written from now on
(format 3). The chain then hashes a small envelope, {"id", "round_id", "public", "v": 3,
"digest"}, where digest = SHA-256(salt + canonical JSON of the event): a published
verification kit can show the events of the round it is about in full and the others as
their envelope only, and the chain still checks from end to end.

audit_events.public: whether the event is one of those behind a round's published
result (its rubric, phases, decisions), fixed when it is written and hashed in the
envelope, so a public kit cannot leave one of them sealed unnoticed.

Events written before keep neither and hash exactly as they did.

Added in place, like 0010: a batch copy would lose the append-only triggers.

Revision ID: 0011_salted_events
Revises: 0010_sealed_personal_values
Create Date: 2026-12-05 15:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_salted_events'
down_revision = '0010_sealed_personal_values'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('audit_events', sa.Column('salt', sa.String(length=32), nullable=True))
    op.add_column('audit_events', sa.Column('public', sa.Boolean(), nullable=True))


def downgrade():
    # Format-3 events no longer verify once their salt is gone: downgrade only a copy.
    op.drop_column('audit_events', 'public')
    op.drop_column('audit_events', 'salt')
