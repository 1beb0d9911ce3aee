"""/rounds/<slug>/report/board-pack.xlsx: the board pack (:mod:`panel.reports.board_pack`),
to the same readers as ``report.xlsx`` and with the same figures: in full for officers and
auditors, the panel's report for the chair and panellists (DESIGN.md §4, small groups)."""
from __future__ import annotations

from panel import access
from panel.reports.board_pack import board_pack as build_board_pack
from panel.reports.presenters import report_page
from panel.reports.views import XLSX, _download, made_for_reader
from panel.rounds.models import Round


@access.report_reader
def board_pack(round_: Round):
    # The report view's own reader rule and download (audited) — one place decides
    # who reads which figures, and every export is on the decision trail.
    body = made_for_reader(round_, "board-pack",
                           lambda found: build_board_pack(report_page(round_, found)))
    return _download(round_, "board-pack.xlsx", body, XLSX, "board-pack.xlsx")
