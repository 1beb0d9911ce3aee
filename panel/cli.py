"""Registers every domain's ``flask`` command group."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from panel.accounts.cli import group as accounts
    from panel.audit.cli import group as audit
    from panel.demo.cli import group as demo
    from panel.rounds.cli import group as round_

    for group in (accounts, audit, demo, round_):
        app.cli.add_command(group)
