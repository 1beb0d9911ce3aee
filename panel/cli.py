"""Registers every domain's ``flask`` command group."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from panel.accounts.cli import group as accounts
    from panel.auditor.cli import group as audit
    from panel.bundle import cli as bundle_commands  # noqa: F401  (they join ``flask round``)
    from panel.demo.cli import group as demo
    from panel.reports import cli as report_commands  # noqa: F401
    from panel.rounds.cli import group as round_

    for group in (accounts, audit, demo, round_):
        app.cli.add_command(group)
