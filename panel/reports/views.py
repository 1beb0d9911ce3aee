"""The community-voice report of a round (issue 7, DESIGN.md §3):

/rounds/<slug>/report                the report page: charts, sentences and tables
/rounds/<slug>/report.csv            the CSV `flask round report --format csv` writes
/rounds/<slug>/report.xlsx           the workbook `flask round report --format xlsx` writes
/rounds/<slug>/report/summary        the public summary: printable, no personal data
/rounds/<slug>/report/summary.csv    the summary's funded list

Every figure comes from the one report dict of :func:`panel.reports.report.round_report`:
officers and auditors read every figure; the panel (chair and panellists) reads the
panel's report, which keeps back a small group's figures (DESIGN.md §4); the public
summary and its CSV are made to be published, so they are always the panel's.
:mod:`panel.reports.presenters` chooses, orders and words them for each page. Officers
and auditors read the report in any phase, the round's chair from moderation on, its
panellists once it is published; anyone else gets 404, as if there were no such round
(:func:`panel.policy.can_read_report`)."""
from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user

from panel import access, policy
from panel.audit.services import record
from panel.moderation.models import OUTCOME_SHORT
from panel.reports import voice_text as words
from panel.reports.presenters import funded_csv, report_page, summary_page
from panel.reports.report import build_report, report_csv, report_xlsx, round_report
from panel.rounds.models import Round
from panel.scoring.figures import REPORT, Figures, for_panel, round_figures
from panel.transactions import change

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Routes --------------------------------------------------------------------------------------

def reads_every_figure(user) -> bool:
    """Officers and auditors read the report in full; panel members the panel's report
    (DESIGN.md §4: small groups), as the ``flask round report`` command line is full."""
    return policy.can_manage_rounds(user) or policy.can_audit(user)


def _report_for_reader(round_: Round) -> dict:
    return round_report(round_, panel=not reads_every_figure(current_user))


def _figures_for_reader(round_: Round) -> Figures:
    """The figures :func:`round_report` is made from, as this reader may see them: the
    page needs their criterion values too (how far apart groups scored each criterion)."""
    found = round_figures(round_, REPORT)
    if not reads_every_figure(current_user):
        found = for_panel(found, round_.min_group_size)
    return found


@access.report_reader
def report(round_: Round):
    figures = _figures_for_reader(round_)
    found = build_report(round_, figures)
    page = report_page(round_, found, figures.criterion_values)
    return render_template("reports/report.html", round=round_, page=page,
                           anchor=found["anchor"], fmt=words, outcome_labels=OUTCOME_SHORT,
                           is_officer=policy.can_manage_rounds(current_user))


@access.report_reader
def report_as_csv(round_: Round):
    body = report_csv(_report_for_reader(round_)).encode("utf-8")
    return _download(round_, "csv", body, "text/csv; charset=utf-8", "report.csv")


@access.report_reader
def report_as_xlsx(round_: Round):
    return _download(round_, "xlsx", report_xlsx(_report_for_reader(round_)), XLSX, "report.xlsx")


@access.report_reader
def summary(round_: Round):
    found = round_report(round_, panel=True)
    return render_template("reports/summary.html", round=round_, page=summary_page(round_, found),
                           anchor=found["anchor"], fmt=words)


@access.report_reader
def summary_as_csv(round_: Round):
    body = funded_csv(round_report(round_, panel=True)).encode("utf-8")
    return _download(round_, "summary.csv", body,
                     "text/csv; charset=utf-8", "funded.csv")


def _download(round_: Round, format_: str, body: bytes, mimetype: str, name: str) -> Response:
    with change():  # exports are on the decision trail (DESIGN.md §7)
        record("report.exported", actor=current_user, target=round_, before=None,
               after={"format": format_})
    return Response(body, content_type=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{round_.slug}-{name}"'})
