"""``flask round verify-draw SLUG``: re-run a round's draw near the funding line from
the decision trail alone (DESIGN.md §3a; panel/moderation/lottery.py)."""
from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from panel.rounds.cli import group, round_or_fail


@group.command("verify-draw", help=_l(
    "Re-run the draw of the round SLUG from its trail: check that sha256 of the published "
    "secret is the commitment made before the draw, and that the secret, the public input "
    "and the commitment's hash give the recorded order. Exits 1 if not."))
@click.argument("slug")
def verify_draw_command(slug: str) -> None:
    # The draw's code (the round's figures, pandas) only when this command runs: every
    # flask command's start-up imports this module (issue 17).
    from panel.moderation.lottery import verify

    found = verify(round_or_fail(slug))
    for line in found.lines:
        click.echo(line)
    for number, (reference, key) in enumerate(found.order, start=1):
        click.echo(f"{number:>3}. {reference}  {key}")
    if not found.ok:
        raise click.ClickException(_("The draw does not match its trail."))
    click.echo(_("The draw matches its trail."))
