"""FairPanel: participatory funding panels (see README.md and DESIGN.md)."""
from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable
from functools import partial

import click
from flask import Flask, current_app

from panel import paths


class FairPanel(Flask):
    """Flask, with the pages (every blueprint's views, forms and what they import) added
    when something first needs them, if :func:`create_app` was asked to wait: a ``flask``
    command that serves no page and builds no link never imports them (issue 17: the
    command line's start-up). Anything that routes or builds a URL goes through
    :attr:`url_map`, and every page rendered through :meth:`update_template_context`:
    both add the pages first, so nothing behaves differently, it only happens later."""

    _pages_pending: Callable[[Flask], None] | None = None
    _adding_pages = False

    @property
    def url_map(self):
        if self._pages_pending is not None:
            self._add_pages()
        return self._url_map

    @url_map.setter
    def url_map(self, value) -> None:
        self._url_map = value

    def update_template_context(self, context: dict) -> None:
        if self._pages_pending is not None:
            self._add_pages()
        super().update_template_context(context)

    def _add_pages(self) -> None:
        with _ADDING:  # one thread adds them; any other waits here until all are there
            if self._pages_pending is None or self._adding_pages:  # added, or adding now
                return
            self._adding_pages = True
            try:
                self._pages_pending(self)
            finally:
                self._pages_pending, self._adding_pages = None, False


_ADDING = threading.RLock()


def create_app(config_name: str | None = None, *, on_first_use: bool | None = None,
               **overrides) -> Flask:
    """Build the app: ``config_name`` picks a class from :mod:`config` (default from
    ``FAIRPANEL_CONFIG``, else development); ``overrides`` replace single settings.

    ``on_first_use``: add the pages, the job queue and ``flask db``'s Alembic when first
    needed rather than now. By default only for a ``flask`` (or ``fairpanel``) command,
    which Flask's command line marks with ``FLASK_RUN_FROM_CLI``; a web process (gunicorn,
    the tests) has them all made here, before its first request."""
    # Python's cyclic garbage collector would run some two hundred times while SQLAlchemy,
    # the extensions and the tables are imported and declared, each pass walking the
    # objects made so far, and find next to nothing to free (issue 17: a tenth of a
    # command's start-up). It is off while the app is made and back on, as it was, before
    # the app is handed over. The process of a ``flask`` command also sets what start-up
    # made aside (gc.freeze): modules, classes and the app live as long as the process,
    # and the collector's first pass would otherwise walk them all (about 50 ms when a
    # command first touches the tables). A web process is left to collect as before.
    collecting = gc.isenabled()
    gc.disable()
    try:
        app = _create_app(config_name, on_first_use, overrides)
        if os.environ.get("FLASK_RUN_FROM_CLI") == "true":
            gc.freeze()
        return app
    finally:
        if collecting:
            gc.enable()


def _create_app(config_name: str | None, on_first_use: bool | None, overrides: dict) -> Flask:
    settings = paths.settings()  # root config.py in the checkout, panel.settings installed
    from panel import logs

    logs.to_stdout()  # before anything logs, or Flask would add its own stderr handler
    app = FairPanel(
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
    if on_first_use is None:
        on_first_use = os.environ.get("FLASK_RUN_FROM_CLI") == "true"

    _init_extensions(app)
    _init_jobs(app)
    _init_sources(app)
    if not on_first_use:
        _register_blueprints(app)
    # Where the blueprints' after-request functions go, if they are registered later.
    before_pages = {key: list(funcs) for key, funcs in app.after_request_funcs.items()}

    from panel import cli, i18n, static_files, web

    i18n.init_app(app)
    web.init_app(app)
    static_files.init_app(app)
    logs.init_app(app)
    cli.init_app(app)
    if on_first_use:
        app._pages_pending = partial(_add_pages_later, before_pages=before_pages)
        app.cli.add_command(_OnFirstUse("db", _MIGRATIONS_HELP, _init_migrations))
    else:
        logs.find_secret_paths(app)
        _init_migrations(app)
        _job_queue(app)
    return app


def _add_pages_later(app: Flask, before_pages: dict[str | None, list]) -> None:
    """The blueprints, registered after the rest of create_app, with the request hooks in
    the order they have when registered in their place (every request runs the same
    way; a test compares them): their before-request functions after those the app puts
    in front (the request log's, the read-only pages'), as then; their after-request
    functions after the ones registered before the blueprints (``before_pages``) and
    before those registered since."""
    from panel import logs

    since = {key: [f for f in funcs if f not in before_pages.get(key, ())]
             for key, funcs in app.after_request_funcs.items()}
    for key in since:
        app.after_request_funcs[key] = list(before_pages.get(key, ()))
    _register_blueprints(app)
    for key, funcs in since.items():
        app.after_request_funcs[key].extend(funcs)
    logs.find_secret_paths(app)  # from the blueprints' URL rules


# flask_migrate.cli's own words for its group, shown by `flask --help` without importing it
_MIGRATIONS_HELP = "Perform database migrations."


def _init_migrations(app: Flask) -> click.Group:
    """``flask db`` (Flask-Migrate, and with it Alembic): the real command group."""
    from flask_migrate import Migrate

    from panel.extensions import db

    Migrate(app, db, directory=str(paths.MIGRATIONS), render_as_batch=True)
    return app.cli.commands["db"]


class _OnFirstUse(click.Group):
    """A command group that stands in for ``load(app)``'s until it is used: then the real
    one is made and parses the command line itself (its --help, its commands)."""

    def __init__(self, name: str, help: str, load: Callable[[Flask], click.Group]) -> None:
        super().__init__(name, help=help)
        self._load = load

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        real = self._load(current_app._get_current_object())
        return real.make_context(info_name, args, parent=parent, **extra)


def _init_extensions(app: Flask) -> None:
    from panel import models  # noqa: F401  (every table registered before migrations run)
    from panel.accounts import auth
    from panel.extensions import cache, csrf, db, limiter, login_manager, mail

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # One writer at a time: a writer waits up to this long for another (a command
        # importing a bundle, say) to commit, rather than the sqlite3 driver's 5 s
        # (panel/audit/services.py takes the write lock before it reads a chain's head).
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        connect_args = {"timeout": app.config.get("SQLITE_BUSY_TIMEOUT", 30),
                        **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, "connect_args": connect_args}
    db.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    login_manager.init_app(app)
    auth.init_login_manager(login_manager)


# The modules that declare job kinds: imported before the job queue is made.
_JOB_MODULES = ("panel.mail", "panel.accounts.services", "panel.bundle.jobs",
                "panel.reports.exports", "panel.reports.rank_model_jobs")


def _init_jobs(app: Flask) -> None:
    from panel.jobs import queue

    queue.init_app(app, declared_in=_JOB_MODULES)


def _init_sources(app: Flask) -> None:
    """What lower layers ask of higher ones, through ``app.extensions``; each source
    imports its module (the round's figures: pandas) when first called. The keys are
    those of panel.scoring.grey_zone and rank_intervals (a test checks they agree)."""
    from panel.rounds.phases import OVER_BUDGET

    # The draw near the funding line takes its grey zone from the kept rank model, and the
    # interval plots (ranking page, chair's draw, report) read the kept result too.
    app.extensions["fairpanel.grey_zone"] = _grey_zone_now
    app.extensions["fairpanel.rank_model_kept"] = _kept_and_on
    # The move to decided (panel.rounds, below the figures) asks whether the funded set is
    # over the budget: it is measured by the reports, from the round's figures.
    app.extensions[OVER_BUDGET] = _round_over_budget


def _grey_zone_now(round_):
    from panel.reports.rank_model_jobs import grey_zone_now

    return grey_zone_now(round_)


def _kept_and_on(round_, found=None):
    from panel.reports.rank_model_jobs import kept_and_on

    return kept_and_on(round_, found)


def _round_over_budget(round_):
    from panel.reports.budget import round_over_budget

    return round_over_budget(round_)


def _job_queue(app: Flask) -> None:
    from panel.jobs.queue import job_queue

    job_queue(app)


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
