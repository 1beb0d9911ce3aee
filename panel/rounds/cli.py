"""``flask round``: round bundles and reports from the command line (DESIGN.md §8)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from panel.audit.services import record
from panel.extensions import db
from panel.rounds.bundle import BundleError, export_bundle, import_bundle, round_counts
from panel.rounds.queries import round_by_slug

group = AppGroup("round", help="Round bundles and reports.")


@group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--invite", is_flag=True,
              help="E-mail an invitation to everyone on the panel who has no account yet.")
def import_command(path: Path, invite: bool) -> None:
    """Create a draft round from the bundle at PATH (a folder or a .zip), in one
    transaction. Prints the new round's slug last."""
    try:
        round_ = import_bundle(None, path, invite=invite, system="flask round import")
        db.session.commit()
    except BundleError as error:
        db.session.rollback()
        _fail(error, f"Nothing was imported. Fix {_these(error)} and run the import again.")
    except Exception:
        db.session.rollback()
        raise
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
    round_ = round_by_slug(slug)
    if round_ is None:
        raise click.ClickException(f"There is no round with the slug {slug!r}. "
                                   "The rounds are listed on the Rounds page.")
    try:
        written = export_bundle(round_, path, system="flask round export")
        db.session.commit()
    except BundleError as error:
        db.session.rollback()
        _fail(error, "Nothing was exported.")
    for file in written:
        click.echo(str(file))


@group.command("report")
@click.argument("slug")
@click.option("--format", "format_", type=click.Choice(["json", "csv", "xlsx"]), default="json",
              show_default=True, help="JSON (DESIGN.md §8), CSV (one row per application) "
                                      "or an Excel workbook.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of the screen (needed for xlsx).")
def report_command(slug: str, format_: str, output: Path | None) -> None:
    """The report of the round SLUG: scores, ranks, funding line, what each group
    changed, and the panel's decisions."""
    from panel.scoring.report import report_csv, round_report, write_xlsx

    round_ = round_by_slug(slug)
    if round_ is None:
        raise click.ClickException(f"There is no round with the slug {slug!r}. "
                                   "The rounds are listed on the Rounds page.")
    if format_ == "xlsx" and output is None:
        raise click.UsageError("An Excel report needs a file: add -o FILE.xlsx.")
    report = round_report(round_)
    # Exports are on the decision trail (DESIGN.md §7), reports included.
    record("round.reported", target=round_, system="flask round report",
           after={"format": format_, "file": str(output) if output else None})
    db.session.commit()
    if format_ == "xlsx":
        write_xlsx(report, str(output))
        click.echo(str(output))
        return
    text = (json.dumps(report, indent=2, ensure_ascii=False) + "\n" if format_ == "json"
            else report_csv(report))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(str(output))


def _fail(error: BundleError, advice: str) -> None:
    for problem in error.problems:
        click.echo(str(problem), err=True)
    click.echo(advice, err=True)
    sys.exit(1)


def _these(error: BundleError) -> str:
    return "this problem" if len(error.problems) == 1 else f"these {len(error.problems)} problems"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
