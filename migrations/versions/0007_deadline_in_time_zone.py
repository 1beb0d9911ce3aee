"""Scoring deadlines end at midnight in the round's time zone

Until now the set-up page stored a scoring deadline as 23:59:59 UTC of the chosen day.
A deadline is now the last second of that day in the round's time zone (DESIGN.md §8),
still stored in UTC: a deadline at 23:59:59 is moved to the end of the same day in the
round's time_zone (22:59:59 for a summer day in London). Others are left as they are.
No schema change.

Revision ID: 0007_deadline_in_time_zone
Revises: 0006_meeting_room
Create Date: 2026-12-05 10:00:00

"""
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_deadline_in_time_zone'
down_revision = '0006_meeting_room'
branch_labels = None
depends_on = None

END_OF_DAY = time(23, 59, 59)

rounds = sa.table('rounds', sa.column('id', sa.Integer()),
                  sa.column('scoring_deadline', sa.DateTime()),
                  sa.column('time_zone', sa.String()))


def _moved(to_local: bool):
    connection = op.get_bind()
    found = connection.execute(sa.select(rounds.c.id, rounds.c.scoring_deadline,
                                         rounds.c.time_zone)
                               .where(rounds.c.scoring_deadline.is_not(None))).all()
    for id_, deadline, zone in found:
        if to_local and deadline.time() == END_OF_DAY:
            local = datetime.combine(deadline.date(), END_OF_DAY, tzinfo=ZoneInfo(zone))
            new = local.astimezone(UTC).replace(tzinfo=None)
        elif not to_local and (local := deadline.replace(tzinfo=UTC).astimezone(
                ZoneInfo(zone))).time() == END_OF_DAY:
            new = datetime.combine(local.date(), END_OF_DAY)
        else:
            continue
        connection.execute(sa.update(rounds).where(rounds.c.id == id_)
                           .values(scoring_deadline=new))


def upgrade():
    _moved(to_local=True)


def downgrade():
    _moved(to_local=False)
