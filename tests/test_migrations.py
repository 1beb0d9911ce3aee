"""The schema comes only from migrations, and the migrations match the models."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from panel import create_app
from panel.extensions import db


def _app(url):
    return create_app("test", SQLALCHEMY_DATABASE_URI=url)


def test_upgrade_from_empty_creates_every_table(databases):
    url = databases.create(migrated=False)
    try:
        app = _app(url)
        with app.app_context():
            upgrade()
            tables = set(sa.inspect(db.engine).get_table_names())
            db.engine.dispose()
        assert tables == set(db.metadata.tables) | {"alembic_version"}
    finally:
        databases.drop(url)


def test_models_and_migrations_do_not_drift(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations differ; run flask db migrate: {differences}"


def test_downgrade_to_empty_and_back(databases):
    url = databases.create(migrated=False)
    try:
        app = _app(url)
        with app.app_context():
            upgrade()
            downgrade(revision="base")
            assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert "audit_events" in sa.inspect(db.engine).get_table_names()
            db.engine.dispose()
    finally:
        databases.drop(url)


def test_the_stored_scores_migration_fills_in_every_submitted_sheets_s(databases, tmp_path):
    """Scores S of the worked example (DESIGN.md §3), dropped by going back below
    0017_stored_scores and filled in again by its backfill, as for a database that had
    sheets before the column existed."""
    from panel.bundle import import_bundle
    from panel.scoring.models import ScoreSheet
    from tests.builders.worked import worked_bundle

    url = databases.create(migrated=False)
    try:
        app = _app(url)
        with app.app_context():
            upgrade()
            import_bundle(None, worked_bundle(tmp_path / "bundle"), system="tests")
            db.session.commit()
            db.session.remove()
            downgrade(revision="0017_stored_scores-1")
            assert "score" not in {c["name"] for c in sa.inspect(db.engine).get_columns(
                "score_sheets")}
            upgrade()
            scores = sorted(db.session.scalars(sa.select(ScoreSheet.score)).all())
            db.session.remove()
            db.engine.dispose()
        # academic 1: 100, 50, 75; academic 2: 75; lived experience 1: 0, 100, 75, then 100
        assert scores == [0.0, 50.0, 75.0, 75.0, 75.0, 100.0, 100.0, 100.0]
    finally:
        databases.drop(url)
