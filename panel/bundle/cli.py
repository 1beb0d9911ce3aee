"""``flask round import`` and ``flask round export``: round bundles from the command line
(DESIGN.md §8)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from panel.rounds.cli import group, round_or_fail
from panel.transactions import change

if TYPE_CHECKING:
    from panel.bundle import BundleError


@group.command("import", help=_l(
    "Create a draft round from the bundle at PATH (a folder or a .zip), in one transaction. "
    "Prints the new round's slug last."))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--invite", is_flag=True, help=_l(
    "E-mail an invitation to everyone on the panel who has no account yet."))
def import_command(path: Path, invite: bool) -> None:
    # The bundle's code (pandas, the checks, the matching) only when the command runs: each
    # flask command's start-up imports this module (issue 17).
    from panel.bundle import BundleError, import_bundle, round_counts

    with change(BundleError) as done:
        round_ = import_bundle(None, path, invite=invite, system="flask round import")
    if done.refused:
        _fail(done.error, ngettext(
            "Nothing was imported. Fix this problem and run the import again.",
            "Nothing was imported. Fix these %(num)d problems and run the import again.",
            len(done.error.problems)))
    counts = round_counts(round_)
    # Five counts in one sentence: each with its own plural, the sentence whole around them.
    click.echo(_(
        "Imported %(title)s as a draft round: %(applications)s, %(panellists)s, "
        "%(conflicts)s, %(sheets)s, %(decisions)s.",
        title=repr(round_.title),
        applications=ngettext("%(num)d application", "%(num)d applications",
                              counts["applications"]),
        panellists=ngettext("%(num)d panel member", "%(num)d panel members",
                            counts["panellists"]),
        conflicts=ngettext("%(num)d conflict", "%(num)d conflicts", counts["conflicts"]),
        sheets=ngettext("%(num)d score sheet", "%(num)d score sheets", counts["sheets"]),
        decisions=ngettext("%(num)d decision", "%(num)d decisions", counts["decisions"])))
    click.echo(round_.slug)


@group.command("export", help=_l(
    "Write the round SLUG as a bundle to PATH: a new folder, or a .zip file."))
@click.argument("slug")
@click.argument("path", type=click.Path(path_type=Path))
def export_command(slug: str, path: Path) -> None:
    from panel.bundle import BundleError, export_bundle

    round_ = round_or_fail(slug)
    with change(BundleError) as done:
        written = export_bundle(round_, path, system="flask round export")
    if done.refused:
        _fail(done.error, _("Nothing was exported."))
    for file in written:
        click.echo(str(file))


def _fail(error: BundleError, advice: str) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(advice, err=True)
    sys.exit(1)
