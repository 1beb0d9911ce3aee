"""The community-voice report of a round (issue 7, DESIGN.md §3):

/rounds/<slug>/report                the report page: charts, sentences and tables
/rounds/<slug>/report.csv            the CSV `flask round report --format csv` writes
/rounds/<slug>/report.xlsx           the workbook `flask round report --format xlsx` writes
/rounds/<slug>/report/summary        the public summary: printable, no personal data;
                                     anyone's once the round is published
/rounds/<slug>/report/summary.csv    the summary's funded list
/rounds/<slug>/report/verification-kit.zip   the trail and a standalone checker (auditors)
/rounds/<slug>/report/summary/checking-kit.zip   the public kit: the published result's
                                     records in full, the rest sealed; anyone's once published

Every figure comes from the one report dict of :func:`panel.reports.report.round_report`,
made once per version of the round and kept (:mod:`panel.reports.kept`):
officers and auditors read every figure; the panel (chair and panellists) reads the
panel's report, which keeps back a small group's figures (DESIGN.md §4); the public
summary and its CSV are made to be published, so they are always the panel's.
:mod:`panel.reports.presenters` chooses, orders and words them for each page. Officers
and auditors read the report in any phase, the round's chair from moderation on, its
panellists once it is published; anyone else gets 404, as if there were no such round
(:func:`panel.policy.can_read_report`)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Response, abort, make_response, render_template
from flask_login import current_user

from panel import access, policy
from panel.accounts.models import Role
from panel.audit.kit import build_kit, build_public_kit, kit_name, public_kit_problem
from panel.audit.services import record
from panel.forms import ButtonForm
from panel.i18n import current_language
from panel.moderation.models import outcome_label
from panel.reports import budget, kept
from panel.reports import voice_text as words
from panel.reports.exports import EXPORTS, in_background
from panel.reports.presenters import (
    funded_csv,
    published_values,
    report_page,
    summary_page,
)
from panel.reports.report import report_csv, report_xlsx
from panel.rounds.models import Round
from panel.rounds.queries import round_by_slug
from panel.scoring.figures import Figures
from panel.scoring.queries import member_of
from panel.scoring.rank_intervals import rank_intervals
from panel.transactions import change

T = TypeVar("T")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Routes --------------------------------------------------------------------------------------

def reads_every_figure(user) -> bool:
    """Officers and auditors read the report in full; panel members the panel's report
    (DESIGN.md §4: small groups), as the ``flask round report`` command line is full."""
    return policy.can_manage_rounds(user) or policy.can_audit(user)


def made_for_reader(round_: Round, name: str, make: Callable[[dict], T]) -> T:
    """``make(report)`` from the report as this reader may read it (a download), made once
    per version of the round and language (:func:`panel.reports.kept.made_of`)."""
    return kept.made_of(round_, not reads_every_figure(current_user),
                        f"{name}:{current_language()}", make)


@access.report_reader
def report(round_: Round):
    # The figures as this reader may see them, beside the report (the page needs their
    # criterion values too: how far apart groups scored each criterion), and the page's
    # sections, made once per version of the round and language.
    found, _figures, (page, intervals) = kept.report_page(
        round_, not reads_every_figure(current_user), f"report-page:{current_language()}",
        lambda found, figures: _report_page(round_, found, figures))
    return render_template("reports/report.html", round=round_, page=page, intervals=intervals,
                           anchor=found["anchor"], fmt=words, outcome_label=outcome_label,
                           is_officer=policy.can_manage_rounds(current_user),
                           over_budget=budget.notice(round_),
                           prepared=EXPORTS if in_background(round_) else None,
                           prepare_form=ButtonForm())


def _report_page(round_: Round, found: dict, figures: Figures):
    titles = figures.applications.set_index("reference")["title"].to_dict()
    return (report_page(round_, found, figures.criterion_values),
            rank_intervals(round_, titles, figures))


@access.report_reader
def report_as_csv(round_: Round):
    body = made_for_reader(round_, "csv", lambda found: report_csv(found).encode("utf-8"))
    return _download(round_, "csv", body, "text/csv; charset=utf-8", "report.csv")


@access.report_reader
def report_as_xlsx(round_: Round):
    body = made_for_reader(round_, "xlsx", report_xlsx)
    return _download(round_, "xlsx", body, XLSX, "report.xlsx")


@access.summary_reader
def summary(round_: Round):
    found = kept.report(round_, panel=True)
    response = make_response(render_template(
        "reports/summary.html", round=round_, page=summary_page(round_, found),
        anchor=found["anchor"], fmt=words,
        reads_report=policy.can_read_report(current_user, round_, _member(round_)),
        offers_kit=found["anchor"] is not None and policy.can_audit(current_user),
        public_kit=_public_kit_state(round_, found["anchor"]),
        over_budget=budget.notice(round_)))
    return _public(round_, response)


def _public_kit_state(round_: Round, anchor) -> dict | None:
    """Whether the summary offers the public kit: None before publication (there is
    nothing public to check), else {"problem": why not, or None}."""
    if anchor is None or round_.phase not in policy.PUBLISHED:
        return None
    return {"problem": public_kit_problem(round_)}


@access.summary_reader
def summary_as_csv(round_: Round):
    body = funded_csv(kept.report(round_, panel=True), published_values(round_))
    if not current_user.is_authenticated:
        # A published document: anonymous downloads are not one person's export, and
        # recording each would let anyone grow the trail at will.
        return _public(round_, _attachment(round_, body.encode("utf-8"),
                                           "text/csv; charset=utf-8", "funded.csv"))
    return _download(round_, "summary.csv", body.encode("utf-8"),
                     "text/csv; charset=utf-8", "funded.csv")


@access.summary_reader
def public_kit(round_: Round):
    """The published round's public kit (:func:`panel.audit.kit.build_public_kit`): the
    records behind the published result in full, every other record sealed. Anyone may
    download it once the round is published, like the summary."""
    if round_.phase not in policy.PUBLISHED:
        abort(404)
    body = build_public_kit(round_) or abort(404)
    name = "checking-kit.zip"
    if not current_user.is_authenticated:  # a published document (see summary_as_csv)
        return _public(round_, _attachment(round_, body, "application/zip", name))
    return _download(round_, "checking kit", body, "application/zip", name)


@access.staff(Role.AUDITOR)
def verification_kit(slug: str):
    """The decided round's verification kit (:mod:`panel.audit.kit`). For auditors only
    while a kit may reach back to events of format 1, whose hashed fields hold e-mail
    addresses (see the module and docs/trail.md)."""
    round_ = round_by_slug(slug) or abort(404)
    body = build_kit(round_) or abort(404)
    with change():
        record("report.exported", actor=current_user, target=round_, before=None,
               after={"format": "verification kit", "via": "web"})
    return Response(body, content_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{kit_name(round_)}"'})


def _member(round_: Round):
    return member_of(current_user, round_) if current_user.is_authenticated else None


def _public(round_: Round, response: Response) -> Response:
    """A published round's summary may be cached by anyone for five minutes when read
    anonymously; signed-in readers keep the site's ``no-store``. It is written in the
    reader's language (their choice in the session cookie, else Accept-Language): a cache
    keeps one copy per language."""
    if round_.phase in policy.PUBLISHED and not current_user.is_authenticated:
        response.headers["Cache-Control"] = "public, max-age=300"
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    return response


def _download(round_: Round, format_: str, body: bytes, mimetype: str, name: str) -> Response:
    with change():  # exports are on the decision trail (DESIGN.md §7)
        record("report.exported", actor=current_user, target=round_, before=None,
               after={"format": format_, "via": "web"})
    return _attachment(round_, body, mimetype, name)


def _attachment(round_: Round, body: bytes, mimetype: str, name: str) -> Response:
    return Response(body, content_type=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{round_.slug}-{name}"'})
