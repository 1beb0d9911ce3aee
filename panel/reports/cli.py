"""``flask round report``: the report of a round from the command line (DESIGN.md §8)."""
from __future__ import annotations

from pathlib import Path

import click

from panel.audit.services import record
from panel.reports import kept, rank_model_jobs
from panel.rounds.cli import group, round_or_fail
from panel.rounds.models import RANK_MODEL_CHOICES
from panel.rounds.setup import SetupError, set_rank_model
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
    # The JSON is kept once per version of the round (panel.reports.kept): a round that
    # has not changed since is read, not made again (seconds at 20,000 applications).
    # orjson writes the same JSON as json.dumps(indent=2, ensure_ascii=False) some 20×
    # faster.
    if format_ == "json":
        data = kept.report_json(round_)
    else:
        from panel.reports.report import round_report  # pandas: only when made here

        report = round_report(round_)
    with change():  # exports are on the decision trail (DESIGN.md §7), reports included
        record("report.exported", target=round_, system="flask round report",
               after={"format": format_, "via": "cli",
                      "file": str(output) if output else None})
    if format_ == "xlsx":
        from panel.reports.report import write_xlsx

        write_xlsx(report, str(output))
        click.echo(str(output))
        return
    if format_ == "csv":
        from panel.reports.report import report_csv

        data = report_csv(report).encode("utf-8")
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        output.write_bytes(data)
        click.echo(str(output))


@group.command("rank-model")
@click.argument("slug")
@click.option("--set", "choice", type=click.Choice(RANK_MODEL_CHOICES),
              help="Change whether the round works out how sure its ranking is: auto (from "
                   "10 applications), on or off.")
@click.option("--in-background", is_flag=True,
              help="Queue the work as a job instead of doing it now.")
def rank_model_command(slug: str, choice: str | None, in_background: bool) -> None:
    """Work out how sure the ranking of the round SLUG is (DESIGN.md §3a): expected
    ranks with their 50 % and 90 % intervals, kept for the report and the ranking page."""
    round_ = round_or_fail(slug)
    if choice is not None:
        with change():
            try:
                set_rank_model(None, round_, choice, system="flask round rank-model")
            except SetupError as error:
                raise click.UsageError(str(error)) from error
        click.echo(f"Rank model for {slug}: {choice}.")
    if not rank_model_jobs.is_on(round_):
        click.echo(f"The rank model is off for {slug} (auto runs it from 10 applications; "
                   f"turn it on with --set on).")
        return
    if in_background:
        with change():
            queued = rank_model_jobs.request(round_)
        click.echo(f"Queued as job {queued.id}.")
        return
    with change():
        kept = rank_model_jobs.compute(round_)
    count = len(kept.result["applications"]["reference"])
    grey = sum(1 for g in kept.result["applications"]["grey_zone"] if g)
    click.echo(f"Expected ranks worked out for {count:,} applications in "
               f"{kept.seconds:.1f} s (round version {kept.version}); "
               f"{grey} in the grey zone around the funding line "
               f"(after {kept.result['line']}).")
