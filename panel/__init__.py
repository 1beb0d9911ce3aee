"""FairPanel: participatory funding panels (see README.md and DESIGN.md)."""
from __future__ import annotations

import os

from flask import Flask

from panel import paths


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app: ``config_name`` picks a class from :mod:`config` (default from
    ``FAIRPANEL_CONFIG``, else development); ``overrides`` replace single settings."""
    settings = paths.settings()  # root config.py in the checkout, panel.settings installed
    from panel import logs

    logs.to_stdout()  # before anything logs, or Flask would add its own stderr handler
    app = Flask(
        __name__,
        instance_path=str(paths.instance_dir()),
        template_folder=str(paths.TEMPLATES),
        static_folder=str(paths.STATIC),
    )
    name = config_name or os.environ.get("FAIRPANEL_CONFIG", "development")
    app.config.from_object(settings.CONFIGS[name])
    app.config.update(overrides)
    problems = settings.startup_problems(app.config)
    if problems:
        raise RuntimeError("FairPanel will not start until this is fixed:\n- "
                           + "\n- ".join(problems))
    os.makedirs(app.instance_path, exist_ok=True)

    _init_extensions(app)
    _init_jobs(app)
    _register_blueprints(app)

    from panel import cli, i18n, static_files, web

    i18n.init_app(app)
    web.init_app(app)
    static_files.init_app(app)
    logs.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from panel import models  # noqa: F401  (every table registered before migrations run)
    from panel.accounts import auth
    from panel.extensions import cache, csrf, db, limiter, login_manager, mail, migrate

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # One writer at a time: a writer waits up to this long for another (a command
        # importing a bundle, say) to commit, rather than the sqlite3 driver's 5 s
        # (panel/audit/services.py takes the write lock before it reads a chain's head).
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = {"timeout": app.config.get("SQLITE_BUSY_TIMEOUT", 30),
                        **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(paths.MIGRATIONS), render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    auth.init_login_manager(login_manager)


def _init_jobs(app: Flask) -> None:
    from panel import mail  # noqa: F401  (declare every job kind before the queue is made)
    from panel.accounts import services  # noqa: F401
    from panel.bundle import jobs  # noqa: F401
    from panel.jobs import queue
    from panel.reports import exports, rank_model_jobs  # noqa: F401
    from panel.scoring import grey_zone, rank_intervals

    queue.init_app(app)
    # The draw near the funding line takes its grey zone from the kept rank model.
    grey_zone.use_source(app, rank_model_jobs.grey_zone_now)
    # The interval plots (ranking page, chair's draw, report) read the kept result too.
    rank_intervals.use_source(app, rank_model_jobs.kept_and_on)


def _register_blueprints(app: Flask) -> None:
    from panel.accounts import blueprint as accounts
    from panel.admin import blueprint as admin
    from panel.auditor import blueprint as auditor
    from panel.bundle import blueprint as bundle
    from panel.conflicts import blueprint as conflicts
    from panel.home import blueprint as home
    from panel.jobs import blueprint as jobs
    from panel.moderation import blueprint as moderation
    from panel.payments import blueprint as payments
    from panel.reports import blueprint as reports
    from panel.rounds import blueprint as rounds
    from panel.scoring import blueprint as scoring

    for blueprint in (home.bp, accounts.bp, admin.bp, rounds.rounds_bp, bundle.round_bundle_bp,
                      rounds.round_setup_bp, bundle.round_import_bp, rounds.round_progress_bp,
                      scoring.bp, reports.ranking_bp, conflicts.profile_bp,
                      conflicts.conflict_review_bp, auditor.bp, moderation.bp, reports.voice_bp,
                      jobs.bp, payments.bp):
        app.register_blueprint(blueprint)
