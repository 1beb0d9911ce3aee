"""Registers every domain's ``flask`` command group, and the ``fairpanel`` command."""
from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def init_app(app: Flask) -> None:
    from panel.accounts.cli import group as accounts
    from panel.accounts.cli import people
    from panel.auditor.cli import group as audit
    from panel.bundle import cli as bundle_commands  # noqa: F401  (they join ``flask round``)
    from panel.demo.cli import group as demo
    from panel.jobs.cli import worker
    from panel.moderation import lottery_cli  # noqa: F401  (joins ``flask round``)
    from panel.reports import cli as report_commands  # noqa: F401
    from panel.rounds.cli import group as round_

    for group in (accounts, people, audit, demo, round_, worker):
        app.cli.add_command(group)


def main() -> None:
    """``fairpanel``: Flask's command line bound to the app factory, so every ``flask``
    command (``db upgrade``, ``demo seed``, ``run``…) works from any folder without
    FLASK_APP. The console script pyproject.toml installs."""
    from flask_babel import lazy_gettext as _l

    from panel import create_app

    FlaskGroup(name="fairpanel", create_app=create_app,
               help=_l("FairPanel's commands (the same as `flask` in the checkout)."))()
