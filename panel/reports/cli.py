"""``flask round report``: the report of a round from the command line (DESIGN.md §8)."""
from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from panel.audit.services import record
from panel.reports import kept
from panel.rounds.cli import group, round_or_fail
from panel.rounds.models import RANK_MODEL_CHOICES
from panel.transactions import change


@group.command("report", help=_l(
    "The report of the round SLUG: scores, ranks, funding line, what each group changed, "
    "and the panel's decisions."))
@click.argument("slug")
@click.option("--format", "format_", type=click.Choice(["json", "csv", "xlsx"]), default="json",
              show_default=True, help=_l("JSON (DESIGN.md §8), CSV (one row per application) "
                                         "or an Excel workbook."))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("Write to this file instead of the screen (needed for xlsx)."))
def report_command(slug: str, format_: str, output: Path | None) -> None:
    round_ = round_or_fail(slug)
    if format_ == "xlsx" and output is None:
        raise click.UsageError(_("An Excel report needs a file: add -o FILE.xlsx."))
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


@group.command("rank-model", help=_l(
    "Work out how sure the ranking of the round SLUG is (DESIGN.md §3a): expected ranks "
    "with their 50 % and 90 % intervals, kept for the report and the ranking page."))
@click.argument("slug")
@click.option("--set", "choice", type=click.Choice(RANK_MODEL_CHOICES),
              help=_l("Change whether the round works out how sure its ranking is: auto (from "
                      "10 applications), on or off."))
@click.option("--in-background", is_flag=True,
              help=_l("Queue the work as a job instead of doing it now."))
def rank_model_command(slug: str, choice: str | None, in_background: bool) -> None:
    # The model's code (NumPy, the round's figures) and the round's settings only when
    # this command runs: the report's start-up imports this module (issue 17).
    from panel.reports import rank_model_jobs
    from panel.rounds.setup import SetupError, set_rank_model

    round_ = round_or_fail(slug)
    if choice is not None:
        with change():
            try:
                set_rank_model(None, round_, choice, system="flask round rank-model")
            except SetupError as error:
                raise click.UsageError(str(error)) from error
        click.echo(_("Rank model for %(round)s: %(choice)s.", round=slug, choice=choice))
    if not rank_model_jobs.is_on(round_):
        click.echo(_("The rank model is off for %(round)s (auto runs it from 10 applications; "
                     "turn it on with --set on).", round=slug))
        return
    if in_background:
        with change():
            queued = rank_model_jobs.request(round_)
        click.echo(_("Queued as job %(job)s.", job=queued.id))
        return
    with change():
        kept = rank_model_jobs.compute(round_)
    count = len(kept.result["applications"]["reference"])
    grey = sum(1 for g in kept.result["applications"]["grey_zone"] if g)
    # Two counts in one sentence: each with its own plural, the sentence whole around them.
    click.echo(_("Expected ranks worked out for %(applications)s in %(seconds)s s (round "
                 "version %(version)s); %(grey)s around the funding line (after %(line)s).",
                 applications=ngettext("%(count)s applications", "%(count)s applications",
                                       count, count=f"{count:,}"),
                 seconds=f"{kept.seconds:.1f}", version=kept.version,
                 grey=ngettext("%(num)d in the grey zone", "%(num)d in the grey zone", grey),
                 line=kept.result["line"]))
