"""``flask round import`` and ``flask round export``: round bundles from the command line
(DESIGN.md §8)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from panel.bundle import BundleError, export_bundle, import_bundle, round_counts
from panel.rounds.cli import group, round_or_fail
from panel.transactions import change


@group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--invite", is_flag=True,
              help="E-mail an invitation to everyone on the panel who has no account yet.")
def import_command(path: Path, invite: bool) -> None:
    """Create a draft round from the bundle at PATH (a folder or a .zip), in one
    transaction. Prints the new round's slug last."""
    with change(BundleError) as done:
        round_ = import_bundle(None, path, invite=invite, system="flask round import")
    if done.refused:
        _fail(done.error, f"Nothing was imported. Fix {_these(done.error)} and run the "
                          "import again.")
    counts = round_counts(round_)
    click.echo(f"Imported {round_.title!r} as a draft round: "
               f"{_plural(counts['applications'], 'application')}, "
               f"{_plural(counts['panellists'], 'panel member')}, "
               f"{_plural(counts['conflicts'], 'conflict')}, "
               f"{_plural(counts['sheets'], 'score sheet')}, "
               f"{_plural(counts['decisions'], 'decision')}.")
    click.echo(round_.slug)


@group.command("export")
@click.argument("slug")
@click.argument("path", type=click.Path(path_type=Path))
def export_command(slug: str, path: Path) -> None:
    """Write the round SLUG as a bundle to PATH: a new folder, or a .zip file."""
    round_ = round_or_fail(slug)
    with change(BundleError) as done:
        written = export_bundle(round_, path, system="flask round export")
    if done.refused:
        _fail(done.error, "Nothing was exported.")
    for file in written:
        click.echo(str(file))


def _fail(error: BundleError, advice: str) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(advice, err=True)
    sys.exit(1)


def _these(error: BundleError) -> str:
    return "this problem" if len(error.problems) == 1 else f"these {len(error.problems)} problems"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
