"""FairPanel: participatory funding panels (see README.md and DESIGN.md)."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app: ``config_name`` picks a class from :mod:`config` (default from
    ``FAIRPANEL_CONFIG``, else development); ``overrides`` replace single settings."""
    from config import CONFIGS

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    name = config_name or os.environ.get("FAIRPANEL_CONFIG", "development")
    app.config.from_object(CONFIGS[name])
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("Set SECRET_KEY in the environment (a long random string).")
    os.makedirs(app.instance_path, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)

    from panel import cli, web

    web.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from panel import models  # noqa: F401  (every table registered before migrations run)
    from panel.accounts import auth
    from panel.extensions import csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    auth.init_login_manager(login_manager)


def _register_blueprints(app: Flask) -> None:
    from panel.accounts.views import bp as accounts_bp
    from panel.admin.views import bp as admin_bp
    from panel.audit.views import bp as audit_bp
    from panel.conflicts.profile_views import bp as profile_bp
    from panel.conflicts.review_views import bp as conflict_review_bp
    from panel.home.views import bp as home_bp
    from panel.moderation.views import bp as meeting_bp
    from panel.rounds.bundle_views import bp as round_bundle_bp
    from panel.rounds.import_views import bp as round_import_bp
    from panel.rounds.progress_views import bp as round_progress_bp
    from panel.rounds.setup_views import bp as round_setup_bp
    from panel.rounds.views import bp as rounds_bp
    from panel.scoring.ranking_views import bp as ranking_bp
    from panel.scoring.views import bp as scoring_bp
    from panel.scoring.voice_views import bp as voice_bp

    for blueprint in (home_bp, accounts_bp, admin_bp, rounds_bp, round_bundle_bp,
                      round_setup_bp, round_import_bp, round_progress_bp, scoring_bp,
                      ranking_bp, profile_bp, conflict_review_bp, audit_bp, meeting_bp,
                      voice_bp):
        app.register_blueprint(blueprint)
