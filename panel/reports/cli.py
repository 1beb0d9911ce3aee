"""``flask round report``: the report of a round from the command line (DESIGN.md §8)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from panel.audit.services import record
from panel.reports.report import report_csv, round_report, write_xlsx
from panel.rounds.cli import group, round_or_fail
from panel.transactions import change


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
    round_ = round_or_fail(slug)
    if format_ == "xlsx" and output is None:
        raise click.UsageError("An Excel report needs a file: add -o FILE.xlsx.")
    report = round_report(round_)
    with change():  # exports are on the decision trail (DESIGN.md §7), reports included
        record("report.exported", target=round_, system="flask round report",
               after={"format": format_, "via": "cli",
                      "file": str(output) if output else None})
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
