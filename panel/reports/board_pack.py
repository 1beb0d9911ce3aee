"""The board pack: the community-voice report as a funder's board reads it, an Excel
workbook with one sheet per section of the report page, human headers and numbers
rounded as the page shows them. The machine-readable report (JSON, ``report.csv``,
``report.xlsx``, :mod:`panel.reports.report`) stays as it is, for analysts and the
command line.

Built from the page's own sections (:func:`panel.reports.presenters.report_page`), so the
pack says what the page says, to the same reader: the panel's page hides a small group's
figures (DESIGN.md §4), and so does the panel's pack. Scores are stored rounded to one
decimal (as :func:`voice_text.score` shows them) with the format ``0.0``; money is
whole pounds, ``£#,##0``; agreement coefficients two decimals. Every text cell is
escaped against spreadsheet formulas (:mod:`panel.spreadsheets`)."""
from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from panel.moderation.models import OUTCOME_SHORT
from panel.reports import voice_text as words
from panel.reports.presenters import ReportPage
from panel.spreadsheets import escaped

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SCORE = "0.0"
COEFFICIENT = "0.00"
MONEY = '"£"#,##0'
TEXT = "@"
WIDEST = 60  # characters; longer text wraps
NARROWEST = 10  # characters; a header wraps at its words
SHEETS = ("Summary", "Ranking", "Without each group", "Meeting", "Groups agreement")


@dataclass(frozen=True)
class Column:
    header: str
    format: str | None = None  # an Excel number format for the column's numbers


def board_pack(page: ReportPage) -> bytes:
    """The board pack of one report page, as the bytes of an .xlsx file."""
    from openpyxl import Workbook  # imported when a pack is made, not at every start-up

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in zip(SHEETS, (_summary(page), _ranking(page), _without(page),
                                              _meeting(page), _agreement(page))):
        _write(book.create_sheet(name), columns, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Numbers and words ------------------------------------------------------------------------------

def score(value: float | None) -> float | None:
    """A 0–100 score rounded as the page shows it (one decimal)."""
    return None if value is None else round(value, 1)


def yes_no(value: bool | None) -> str:
    return "" if value is None else "Yes" if value else "No"


def places(change: int | None) -> str:
    """A change of rank in words: ``3`` (a larger rank number) is "3 places lower"."""
    if change is None:
        return "No rank"
    if change == 0:
        return "Same place"
    unit = "place" if abs(change) == 1 else "places"
    return f"{abs(change):,} {unit} {'lower' if change > 0 else 'higher'}"


def _rank_change(before: int | None, after: int | None) -> int | None:
    return None if before is None or after is None else after - before


# Sheets --------------------------------------------------------------------------------------------

def _summary(page: ReportPage) -> tuple[list[Column], list[list]]:
    report, headline = page.report, page.headline
    summary = report["round"]
    rows: list[list] = [
        ["Round", summary["title"]],
        ["Budget", headline.budget],
        ["Applications", headline.applications],
        ["Applications ranked", headline.scored],
        ["Funded by the scores", headline.funded],
        ["Asked for by those funded by the scores", headline.funded_asked],
        ["Funded after the panel's decisions", headline.final],
        ["Asked for by those funded after the decisions", headline.final_asked],
        ["Funding rule", str(words.FUNDING_RULES.get(summary["funding_rule"],
                                                     summary["funding_rule"]))],
        ["Weighting", str(words.WEIGHTINGS.get(summary["weighting"], summary["weighting"]))],
        ["Funding", headline.sentence],
        *(["Community voice", sentence] for sentence in page.voice_sentences),
        *(["Agreement", a.sentence] for a in page.agreement),
        ["Moderation", page.movement.sentence],
        *(["Criteria", gap.sentence] for gap in page.gaps),
        ["Meeting", page.meeting.sentence],
        ["Decisions", page.meeting.overrides_sentence],
        *(["Warning", warning] for warning in report["warnings"]),
    ]
    if page.not_shown is not None:
        rows += [["Small groups", f"{page.not_shown.sentence} This is {page.not_shown.why}"]]
        if page.not_shown.left_out:
            rows += [["Small groups", page.not_shown.left_out]]
    if report.get("anchor"):
        rows += [["Decision trail", _anchor(report["anchor"])]]
    money = {"Budget", "Asked for by those funded by the scores",
             "Asked for by those funded after the decisions"}
    return [Column("Item"), Column("Figure")], [
        [label, _Formatted(value, MONEY) if label in money else value] for label, value in rows]


def _anchor(anchor: dict[str, Any]) -> str:
    """The audit chain's head when the round was decided (DESIGN.md §7)."""
    return (f"Event {anchor['event_id']}, hash {anchor['event_hash']}, recorded "
            f"{words.utc_time(anchor['recorded_at'])}")


def _ranking(page: ReportPage) -> tuple[list[Column], list[list]]:
    report = page.report
    groups = report["round"]["groups"]
    panel = "min_group_size" in report["round"]
    columns = [Column("Rank"), Column("Reference"), Column("Title"), Column("Score", SCORE),
               Column("Funded by the scores"), Column("Decision"),
               Column("Funded after the panel's decisions"), Column("Reason for the decision"),
               Column("Requested", MONEY),
               *(Column(f"Score from {g['label']}", SCORE) for g in groups)]
    if panel:
        columns.append(Column("Note"))
    rows = []
    for a in report["applications"]:
        row = [a["rank"], a["reference"], a["title"], score(a["score"]), yes_no(a["funded"]),
               OUTCOME_SHORT.get(a["decision"], ""), yes_no(a["final_funded"]),
               a["rationale"] or "", a["requested_amount"],
               *(score(a["group_scores"][g["key"]]) for g in groups)]
        if panel:
            row.append(_not_shown_note(report, a))
        rows.append(row)
    return columns, rows


def _not_shown_note(report: dict[str, Any], application: dict[str, Any]) -> str:
    hidden = application.get("not_shown") or {}
    if not hidden:
        return ""
    labels = {g["key"]: g["label"] for g in report["round"]["groups"]}
    return words.not_shown_note([(labels.get(g, g), n) for g, n in hidden.items()],
                                report["round"]["min_group_size"])


def _without(page: ReportPage) -> tuple[list[Column], list[list]]:
    report = page.report
    voices = page.voices
    columns = [Column("Rank"), Column("Reference"), Column("Title")]
    for voice in voices:
        columns += [Column(f"Rank without {voice.label}"),
                    Column(f"Place without {voice.label}"),
                    Column(f"Funded without {voice.label}"),
                    Column(f"What the {voice.label} group's scores did")]
    rows = []
    for a in report["applications"]:
        row = [a["rank"], a["reference"], a["title"]]
        for voice in voices:
            without = a["without"][voice.key]
            row += [without["rank"], places(a["rank_shift"][voice.key]),
                    yes_no(without["funded"]), _effect(a["funded"], without["funded"])]
        rows.append(row)
    return columns, rows


def _effect(funded: bool, funded_without: bool) -> str:
    if funded and not funded_without:
        return "Funded because of their scores"
    if funded_without and not funded:
        return "Displaced by their scores"
    return ""


def _meeting(page: ReportPage) -> tuple[list[Column], list[list]]:
    columns = [Column("Reference"), Column("Title"), Column("First score", SCORE),
               Column("First rank"), Column("Score after the meeting", SCORE),
               Column("Rank after the meeting"), Column("Change in the meeting"),
               Column("Funded by the first scores"), Column("Funded by the scores"),
               Column("Decision"), Column("Overrides the scores"),
               Column("Funded after the panel's decisions"), Column("Reason for the decision")]
    rows = []
    for a in page.report["applications"]:
        first = a["initial"]
        rows.append([a["reference"], a["title"], score(first["score"]), first["rank"],
                     score(a["score"]), a["rank"],
                     places(_rank_change(first["rank"], a["rank"])), yes_no(first["funded"]),
                     yes_no(a["funded"]), OUTCOME_SHORT.get(a["decision"], ""),
                     yes_no(a["final_funded"] != a["funded"]), yes_no(a["final_funded"]),
                     a["rationale"] or ""])
    return columns, rows


def _agreement(page: ReportPage) -> tuple[list[Column], list[list]]:
    columns = [Column("Groups"), Column("Agreement"), Column("Spearman's rho", COEFFICIENT),
               Column("Kendall's tau", COEFFICIENT), Column("In words")]
    rows = [[f"{a.label_g} and {a.label_h}", a.words or str(words.NO_AGREEMENT_FIGURE),
             _two(a.spearman), _two(a.kendall), a.sentence] for a in page.agreement]
    if page.not_shown is not None and page.not_shown.left_out:
        rows.append(["Note", page.not_shown.left_out, None, None, ""])
    return columns, rows


def _two(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# Writing a sheet ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Formatted:
    """One cell's value with its own number format (the summary's money rows)."""

    value: Any
    format: str


def _write(sheet: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence]) -> None:
    """Bold header row, frozen; each column's number format and a width to fit its
    values (and its header's longest word: headers wrap), long text wrapped."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append([escaped(c.header) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    widths = [max(len(word) for word in c.header.split()) for c in columns]
    for values in rows:
        sheet.append([_plain(v) for v in values])
        for n, (column, value, cell) in enumerate(zip(columns, values, sheet[sheet.max_row])):
            number_format = value.format if isinstance(value, _Formatted) else column.format
            if number_format and isinstance(cell.value, (int, float)):
                cell.number_format = number_format
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[n] = max(widths[n], len(_shown(cell.value, number_format)))
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = min(max(width, NARROWEST),
                                                                  WIDEST) + 2


def _plain(value: Any) -> Any:
    value = value.value if isinstance(value, _Formatted) else value
    return escaped(value)


def _shown(value: Any, number_format: str | None) -> str:
    """Roughly what Excel shows in the cell, to size its column."""
    if value is None:
        return ""
    if number_format == MONEY and isinstance(value, (int, float)):
        return f"£{value:,.0f}"
    return str(value)
