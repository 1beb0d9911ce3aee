"""Migration 0007: a deadline stored the old way (23:59:59 UTC of the chosen day) becomes
the end of that day in the round's time zone, and back on downgrade."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from panel import create_app
from panel.extensions import db

ROUND = ("INSERT INTO rounds (id, slug, title, description, phase, scale_min, scale_max, "
         "scale_descriptors, budget, funding_rule, weighting, identifying_columns, "
         "show_group_labels, lived_experience_first, created_at, scoring_deadline, time_zone) "
         "VALUES (:id, :slug, 'T', '', 'draft', 1, 5, '{}', 0, 'strict', 'equal_groups', "
         "'[]', :yes, :yes, :now, :deadline, :zone)")


def _deadlines() -> dict[str, datetime]:
    rows = db.session.execute(sa.text("SELECT slug, scoring_deadline FROM rounds")).all()
    return {slug: deadline if isinstance(deadline, datetime) else datetime.fromisoformat(deadline)
            for slug, deadline in rows}


def test_old_deadlines_move_to_midnight_in_the_rounds_time_zone(databases):
    url = databases.create(migrated=False)
    try:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0006_meeting_room")
            for id_, slug, deadline, zone in (
                    (1, "summer", datetime(2026, 6, 30, 23, 59, 59), "Europe/London"),
                    (2, "winter", datetime(2026, 1, 15, 23, 59, 59), "Europe/London"),
                    (3, "new-york", datetime(2026, 6, 30, 23, 59, 59), "America/New_York"),
                    (4, "odd-time", datetime(2026, 6, 30, 17, 0), "Europe/London")):
                db.session.execute(sa.text(ROUND), {"id": id_, "slug": slug, "yes": True,
                                                    "now": datetime(2026, 1, 1),
                                                    "deadline": deadline, "zone": zone})
            db.session.commit()
            upgrade()
            assert _deadlines() == {"summer": datetime(2026, 6, 30, 22, 59, 59),
                                    "winter": datetime(2026, 1, 15, 23, 59, 59),
                                    "new-york": datetime(2026, 7, 1, 3, 59, 59),
                                    "odd-time": datetime(2026, 6, 30, 17, 0)}
            db.session.commit()
            downgrade(revision="0006_meeting_room")
            assert _deadlines()["summer"] == datetime(2026, 6, 30, 23, 59, 59)
            assert _deadlines()["new-york"] == datetime(2026, 6, 30, 23, 59, 59)
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.drop(url)
