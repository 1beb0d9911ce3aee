"""The community-voice report (issue 7): the page, its downloads and the public summary
show the figures of the one report dict (DESIGN.md §3), to the people allowed to see them.

(a) DESIGN's worked example, hand-worked in §3 and tests/reports/test_report.py: final A3 87.5,
A2 75, A1 43.75 (ranks 1, 2, 3; A3 and A2 funded, £90 of £100); initial A2 and A3 tie on
75 (A2 first); without lived experience A1 87.5, A3 75, A2 50 (A1 and A3 funded), so
lived experience brought A2 in and moved A1 out; without academics A2 100, A3 100, A1 0
(the same two funded). A3 is not funded by the chair's decision. Group scores: academic
87.5, 50, 75 against lived experience 0, 100, 100 on A1, A2, A3: Spearman −√3/2 = −0.87,
Kendall −2/√6 = −0.82 ("disagreed strongly"). Criterion means: academic quality
(5+5+3+4)/4 = 4.25, need (5+1+3)/3 = 3; lived experience quality (1+5+5)/3 = 3.67, need
(1+5)/2 = 3: gaps +0.58 and 0.00.

(b) The issue's done-when: the demo round scored by its eight panellists through the
real services, a scripted meeting (revisions with reasons, a fund, a do-not-fund and a
no-consensus outcome), decided; then every cell of every table on the report page is
compared with the report dict, formatted as the page states: scores and movement to one
decimal, agreement and criterion gaps to two, money in whole pounds, minus signs as −.
"""
from __future__ import annotations

import io
import json
import math
import re
from html import unescape
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from panel.accounts.services import find_user
from panel.audit.anchors import round_anchor
from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.bundle import import_bundle
from panel.extensions import db
from panel.reports import voice_text as words
from panel.reports.report import report_csv, report_xlsx, round_report
from panel.reports.voice_charts import (
    FONT,
    SlopeRow,
    bars_from_zero,
    diverging_bars,
    shown_rows,
    slope_chart,
)
from panel.rounds import services as round_services
from panel.rounds.queries import round_by_slug
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.demo import (
    CHAIR,
    DEMO_SLUG,
    DO_NOT_FUND_RATIONALE,
    FUND_RATIONALE,
    LIVED,
    NO_CONSENSUS_RATIONALE,
    OFFICER,
    personal_details,
)
from tests.builders.worked import APPLICATIONS, ROUND, SCORES, worked_bundle
from tests.builders.worked import SLUG as WORKED_SLUG

# Reading the page -------------------------------------------------------------------------------

class PageTables(HTMLParser):
    """Every table of a page by id: its rows (the header row first), each a list of
    the cells' words."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = self._row = self._cell = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = self.tables.setdefault(dict(attrs).get("id"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
            self._table.append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr":
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def words_of(html: str) -> str:
    """The page's text, for its sentences: inline tags vanish, block tags become spaces."""
    html = re.sub(r"</?(strong|span|a|em|code)\b[^>]*>", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def list_items(html: str, id_: str) -> list[str]:
    found = re.search(rf'<([uo]l)[^>]*id="{id_}"[^>]*>(.*?)</\1>', html, re.DOTALL)
    if found is None:
        return []
    return [" ".join(unescape(item).split())
            for item in re.findall(r"<li[^>]*>(.*?)</li>", found.group(2), re.DOTALL)]


def chart_of(html: str, about_id: str) -> str:
    """The SVG of the chart labelled by ``about_id``."""
    start = html.rindex("<svg", 0, html.index(f'aria-labelledby="{about_id}'))
    return html[start:html.index("</svg>", start)]


# The page's rounding, stated once here, independently of panel/scoring/voice_text.py.
MINUS = "\u2212"
DASH = "–"


def one(value):
    return DASH if value is None else f"{value:.1f}".replace("-", MINUS)


def signed(value, places):
    if value is None:
        return DASH
    text = f"{value:+.{places}f}"
    return text[1:] if float(text) == 0 else text.replace("-", MINUS)


def two(value):
    return "not enough applications to say" if value is None else f"{value:.2f}".replace("-", MINUS)


def pounds(value):
    return f"£{value:,.0f}"


def whole(value):
    return DASH if value is None else str(value)


def shift(value):
    """Words, never signs: rank without the group minus rank with it."""
    if value is None:
        return DASH
    if value == 0:
        return "no change"
    places = "place" if abs(value) == 1 else "places"
    return f"{abs(value)} {places} {'lower' if value > 0 else 'higher'} without them"


def moved(value):
    if value is None:
        return "no figure"
    size = f"{abs(value):.1f}"
    if float(size) == 0:
        return "did not move"
    found = f"{size} {'point' if size == '1.0' else 'points'} {'toward' if value > 0 else 'away'}"
    return found + (", too small to matter" if abs(value) < 5 else "")


def higher(label_g, label_h, gap, places, too_small):
    if gap is None:
        return "no figure"
    size = f"{abs(gap):.{places}f}"
    if float(size) == 0:
        return "the same"
    found = f"{label_g if gap > 0 else label_h} {size} higher"
    return found + (", too small to matter" if abs(gap) < too_small else "")


def funding(funded):
    return "Funded" if funded else "Not funded"


def interval(spearman, n):
    """95 % by Fisher's z: atanh ρ ± 1.96 × 1.06 / √(n − 3)."""
    z, half = math.atanh(spearman), 1.96 * 1.06 / math.sqrt(n - 3)
    return math.tanh(z - half), math.tanh(z + half)


def band(spearman, n=None):
    if n is not None:
        low, high = interval(spearman, n)
        if n < 10 or (low <= -0.10 and high >= 0.10):
            return "too few applications to tell"
    rho = round(spearman, 2)
    if abs(rho) < 0.10:
        return "showed no relationship"
    size = "strongly" if abs(rho) >= 0.70 else "moderately" if abs(rho) >= 0.40 else "weakly"
    return f"{'agreed' if rho > 0 else 'disagreed'} {size}"


DECISIONS = {"keep": "Keep", "fund": "Fund", "do_not_fund": "Do not fund",
             "no_consensus": "No consensus", None: DASH}


def expected_tables(report: dict, panellists: dict[str, int]) -> dict[str, list[list[str]]]:
    """Every table body of the report page, made from the report dict."""
    apps, groups = report["applications"], report["groups"]
    funded = [a for a in apps if a["funded"]]
    final = [a for a in apps if a["final_funded"]]
    tables = {
        "round-figures": [
            ["Budget", pounds(report["round"]["budget"])],
            ["Applications", str(len(apps))],
            ["Applications with a score", str(sum(a["score"] is not None for a in apps))],
            ["Funded by the scores", str(len(funded))],
            ["Asked for by those funded by the scores",
             pounds(sum(a["requested_amount"] for a in funded))],
            ["Funded after the panel's decisions", str(len(final))],
            ["Asked for by those funded after the decisions",
             pounds(sum(a["requested_amount"] for a in final))]],
        "panel-table": [[v["label"], str(panellists[g]), str(sum(a["sheets"][g] > 0 for a in apps)),
                         str(sum(a["sheets"][g] for a in apps))] for g, v in groups.items()],
        "movement-table": [[groups[g]["label"], groups[h]["label"], moved(value)]
                           for g in groups for h, value in groups[g]["moved_toward"].items()],
        "initial-final": [
            [a["reference"], a["title"], one(a["initial"]["score"]), whole(a["initial"]["rank"]),
             funding(a["initial"]["funded"]), one(a["score"]), whole(a["rank"]),
             funding(a["funded"]), DECISIONS[a["decision"]], funding(a["final_funded"])]
            for a in apps],
        "override-list": [
            [o["reference"], next(a["title"] for a in apps if a["reference"] == o["reference"]),
             DECISIONS[o["decision"]], funding(o["funded"]), funding(o["final_funded"]),
             o["rationale"]] for o in report["overrides"]],
    }
    for g in groups:
        tables[f"without-{g}"] = [
            [whole(a["rank"]), a["reference"], a["title"], whole(a["without"][g]["rank"]),
             shift(a["rank_shift"][g]), funding(a["funded"]), funding(a["without"][g]["funded"])]
            for a in apps]
    keys = list(groups)
    pairs = [(g, h) for n, g in enumerate(keys) for h in keys[n + 1:]]
    tables["agreement-table"] = []
    for g, h in pairs:
        rho = groups[g]["agreement"][h]["spearman"]
        n = sum(a["group_scores"][g] is not None and a["group_scores"][h] is not None
                for a in apps)
        low, high = interval(rho, n)
        tables["agreement-table"].append(
            [f"{groups[g]['label']} and {groups[h]['label']}", two(rho),
             two(groups[g]["agreement"][h]["kendall"]), band(rho, n), str(n),
             f"{two(low)} to {two(high)}"])
    span = report["round"]["scale"]["max"] - report["round"]["scale"]["min"]
    for n, (g, h) in enumerate(pairs, start=1):
        label_g, label_h = groups[g]["label"], groups[h]["label"]
        tables[f"gaps-{n}-averages"] = [
            higher(label_g, label_h, gap, 2, 0.05 * span)
            for gap in groups[g]["criterion_gap"][h].values()]
        tables[f"gaps-{n}-applications"] = [
            [a["reference"], a["title"], one(a["group_scores"][g]), one(a["group_scores"][h]),
             higher(label_g, label_h, a["group_scores"][g] - a["group_scores"][h], 1, 5)]
            for a in apps if a["group_scores"][g] is not None
            and a["group_scores"][h] is not None]
    return tables


def summary_agreement(report: dict) -> list[list[str]]:
    """The public summary's agreement table: the figures and their band, no interval."""
    groups = report["groups"]
    keys = list(groups)
    return [[f"{groups[g]['label']} and {groups[h]['label']}",
             two(groups[g]["agreement"][h]["spearman"]), two(groups[g]["agreement"][h]["kendall"]),
             band(groups[g]["agreement"][h]["spearman"])]
            for n, g in enumerate(keys) for h in keys[n + 1:]]


def named(label: str, brought: list[str], moved_out: list[str]) -> str:
    """The headline's sentence for one group, worked out here on its own."""
    def listed(titles):
        quoted = [f"“{t}”" for t in titles]
        if len(quoted) > 3:
            quoted = quoted[:2] + [f"{len(titles) - 2} others"]
        return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    start = f"Without the {label} group's scores, "
    if brought and moved_out:
        return start + f"{listed(brought)} would not have been funded; {listed(moved_out)} " \
                       f"would have been instead."
    if brought:
        return start + f"{listed(brought)} would not have been funded"
    if moved_out:
        return start + f"{listed(moved_out)} would have been funded as well"
    return start + "the same projects would have been funded."


def report_page(client, slug: str) -> str:
    response = client.get(f"/rounds/{slug}/report")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# (a) DESIGN's worked example --------------------------------------------------------------------

def test_the_worked_example_reads_as_design_works_it_out(worked_round, officer):
    html = report_page(officer, WORKED_SLUG)
    text, tables = words_of(html), PageTables(html).tables
    assert ("By the scores, 2 applications are funded, asking for £90 of the £100 budget. "
            "After the panel's decisions, 1 is funded, asking for £50.") in text
    # The headline names the projects (DESIGN's worked example: A2 in, A1 out).
    assert ("The result By the scores, 2 applications are funded, asking for £90 of the £100 "
            "budget. After the panel's decisions, 1 is funded, asking for £50. Without the "
            "Academic group's scores, the same projects would have been funded. Without the "
            "Lived experience group's scores, “=HYPERLINK(\"http://evil\")” would not have "
            "been funded; “Project one” would have been instead.") in text
    # Rank shifts in words, never signs.
    assert tables["without-lived_experience"][1:] == [
        ["1", "A3", "Project three", "2", "1 place lower without them", "Funded", "Funded"],
        ["2", "A2", '=HYPERLINK("http://evil")', "3", "1 place lower without them", "Funded",
         "Not funded"],
        ["3", "A1", "Project one", "1", "2 places higher without them", "Not funded", "Funded"]]
    assert tables["without-academic"][1:] == [
        ["1", "A3", "Project three", "2", "1 place lower without them", "Funded", "Funded"],
        ["2", "A2", '=HYPERLINK("http://evil")', "1", "1 place higher without them", "Funded",
         "Funded"],
        ["3", "A1", "Project one", "3", "no change", "Not funded", "Not funded"]]
    assert not re.search(r"[+−-]\d", " ".join(" ".join(row) for row in
                                              tables["without-academic"]))
    assert list_items(html, "because-lived_experience") == [
        'A2: =HYPERLINK("http://evil")']
    assert list_items(html, "displaced-lived_experience") == ["A1: Project one"]
    # Three applications: −0.87, but too few to tell (fewer than 10; no interval for n − 3 = 0).
    assert tables["agreement-table"][1:] == [
        ["Academic and Lived experience", "−0.87", "−0.82", "too few applications to tell",
         "3", DASH]]
    assert ("The Academic and Lived experience groups' scores disagreed strongly (Spearman "
            "−0.87): what one group scored high, the other tended to score low. With only 3 "
            "applications scored by both groups, there are too few applications to tell how "
            "far they agree: at least 10 are needed.") in text
    # Typical gaps, hand-worked (tests/reports/test_voice_words.py): Quality 4, −2, −1 →
    # 2.33; Need 2, −2 → 2.00, where the difference between the averages is 0.
    assert tables["gaps-1"][1:] == [
        ["Quality", "2.33 points", "Lived experience on 2 of 3; Academic on 1",
         "Academic 0.58 higher"],
        ["Need", "2.00 points", "Academic on 1 of 2; Lived experience on 1", "the same"]]
    assert ("The groups were furthest apart on “Quality”: on a typical application their "
            "scores for it were 2.33 points apart, on the 1 to 5 scale. Scored higher by: "
            "Lived experience on 2 of 3; Academic on 1.") in text
    # Per application, on 0–100: 87.5, −50, −25 → typical 54.2.
    assert ("On a typical application, the Academic and Lived experience groups' scores were "
            "54.2 points apart out of 100; the Lived experience group scored higher on 2 of "
            "3.") in text
    assert tables["gaps-1-applications"][1:] == [
        ["A3", "Project three", "75.0", "100.0", "Lived experience 25.0 higher"],
        ["A2", '=HYPERLINK("http://evil")', "50.0", "100.0", "Lived experience 50.0 higher"],
        ["A1", "Project one", "87.5", "0.0", "Academic 87.5 higher"]]
    # Only lived experience revised (A3, where both groups started at 75: d = 0).
    assert tables["movement-table"][1:] == [["Academic", "Lived experience", "did not move"],
                                            ["Lived experience", "Academic", "did not move"]]
    assert tables["initial-final"][1:] == [
        ["A3", "Project three", "75.0", "2", "Funded", "87.5", "1", "Funded", "Do not fund",
         "Not funded"],
        ["A2", '=HYPERLINK("http://evil")', "75.0", "1", "Funded", "75.0", "2", "Funded", DASH,
         "Funded"],
        ["A1", "Project one", "43.8", "3", "Not funded", "43.8", "3", "Not funded", DASH,
         "Not funded"]]
    assert "Between the first scores and the end of the meeting, 2 applications changed rank." \
        in text
    assert tables["override-list"][1:] == [
        ["A3", "Project three", "Do not fund", "Funded", "Not funded", "-Funded elsewhere already"]]
    assert ("The panel's decisions changed 1 result of the scores: 1 project not funded that "
            "the scores funded.") in text
    assert "The decision trail anchor is recorded when the round is decided." in text
    # The story of the meeting comes right after the result, before the charts.
    assert text.index("What happened in the meeting In the meeting,") < text.index(
        "The panel's decisions changed 1 result") < text.index("-Funded elsewhere already") \
        < text.index("Rank with and without each group To see")
    # The title that would be a spreadsheet formula is plain, escaped text on the page.
    assert '=HYPERLINK(&#34;http://evil&#34;)' in html or "=HYPERLINK(&quot;" in html


def test_the_worked_example_chart_marks_what_lived_experience_changed(worked_round,
                                                                      officer):
    html = report_page(officer, WORKED_SLUG)
    chart = chart_of(html, "without-lived_experience-sentence")
    assert chart.count("fp-chart__slope--left_only") == 1  # A2: funded only with them
    assert chart.count("fp-chart__slope--right_only") == 1  # A1: funded only without them
    assert chart.count("fp-chart__slope--same") == 1
    assert chart.count("Funding line") == 2
    tag = chart[:chart.index(">")]
    assert 'role="img"' in tag and re.search(r'viewBox="0 0 [\d.]+ [\d.]+"', tag)
    # The sentence the chart is labelled by is on the page.
    assert 'id="without-lived_experience-sentence">Without the Lived experience group' in html
    # Projects by title on the chart, and as a list for phones: words, not signs.
    assert ">Project one 3</text>" in chart and ">1 Project one</text>" in chart
    assert list_items(html, "without-lived_experience-moves") == [
        ("<strong>Project three</strong> Rank 1 → 2 without Lived experience (1 place lower "
        "without them)"),
        ('<strong>=HYPERLINK("http://evil")</strong> Rank 2 → 3 without Lived experience '
         "(1 place lower without them): funded only with the Lived experience group's scores"),
        ("<strong>Project one</strong> Rank 3 → 1 without Lived experience (2 places higher "
         "without them): funded only without them")]


# (b) The demo round, scored and moderated: the done-when ------------------------------

def test_every_figure_on_the_report_page_equals_the_json_report(demo_decided, client):
    people.sign_in_staff(client, OFFICER)
    html = report_page(client, DEMO_SLUG)
    report = round_report(demo_decided)
    tables = PageTables(html).tables
    expected = expected_tables(report, {"academic": 4, "lived_experience": 4})
    assert {id_.removesuffix("-averages") for id_ in expected} <= set(tables)
    for id_, rows in expected.items():
        if id_.endswith("-averages"):
            assert [row[3] for row in tables[id_.removesuffix("-averages")][1:]] == rows, id_
            continue
        assert (tables[id_][1:] if id_ != "round-figures" else tables[id_]) == rows, id_
    # The scripted meeting did what it says, so the page has something to show.
    assert [o["decision"] for o in report["overrides"]] == ["fund", "do_not_fund"]
    assert any(a["decision"] == "no_consensus" for a in report["applications"])
    assert report["warnings"] and report["groups"]["lived_experience"]["funded_because"]
    revised = db.session.scalars(sa.select(ScoreSheet).where(ScoreSheet.revision > 0)).all()
    assert len(revised) >= 6 and all(sheet.reason for sheet in revised)
    text = words_of(html)
    for warning in report["warnings"]:  # money on the page in whole pounds, never pence
        assert words.in_whole_pounds(warning) in text
        assert not re.search(r"£[\d,]+\.\d", text)
    for g, voice in report["groups"].items():
        brought, out = len(voice["funded_because"]), len(voice["displaced_by"])
        titles = {a["reference"]: a["title"] for a in report["applications"]}
        assert named(voice["label"], [titles[r] for r in voice["funded_because"]],
                     [titles[r] for r in voice["displaced_by"]]) in text
        assert list_items(html, f"because-{g}") == [f"{r}: {titles[r]}"
                                                   for r in voice["funded_because"]]
        assert list_items(html, f"displaced-{g}") == [f"{r}: {titles[r]}"
                                                     for r in voice["displaced_by"]]
        chart = chart_of(html, f"without-{g}-sentence")
        assert chart.count("fp-chart__slope--left_only") == brought
        assert chart.count("fp-chart__slope--right_only") == out
    agreement = report["groups"]["academic"]["agreement"]["lived_experience"]["spearman"]
    assert (f"The Academic and Lived experience groups' scores {band(agreement)} (Spearman "
            f"{two(agreement)})") in text
    moves = report["groups"]
    assert (f"In the meeting, the Academic group moved "
            f"{signed(moves['academic']['moved_toward']['lived_experience'], 1)[1:]} points "
            f"toward the Lived experience group's view; the Lived experience group moved "
            f"{signed(moves['lived_experience']['moved_toward']['academic'], 1)[1:]} points "
            f"toward the Academic group's view.") in text
    anchor = round_anchor(demo_decided)
    assert (report["anchor"]["event_id"], report["anchor"]["event_hash"]) == (
        anchor.event_id, anchor.event_hash)
    assert (f"Decision trail anchor: event {anchor.event_id}, SHA-256 {anchor.event_hash}, "
            f"recorded {anchor.recorded_at.day} {anchor.recorded_at:%B %Y at %H:%M} UTC.") in text
    assert "flask audit verify" in text


def test_the_report_shows_no_names_and_no_identifying_fields(demo_decided, client):
    people.sign_in_staff(client, OFFICER)
    html = report_page(client, DEMO_SLUG)
    for secret in personal_details():
        assert secret not in html, secret
    assert FUND_RATIONALE in html  # the report (not the summary) gives the panel's reasons


def test_downloads_are_the_reports_own_csv_and_workbook_and_are_recorded(demo_decided, client):
    people.sign_in_staff(client, OFFICER)
    report = round_report(demo_decided)
    csv_response = client.get(f"/rounds/{DEMO_SLUG}/report.csv")
    assert csv_response.status_code == 200
    assert csv_response.data == report_csv(report).encode("utf-8")
    assert csv_response.mimetype == "text/csv"
    assert f'filename="{DEMO_SLUG}-report.csv"' in csv_response.headers["Content-Disposition"]
    xlsx_response = client.get(f"/rounds/{DEMO_SLUG}/report.xlsx")
    assert xlsx_response.status_code == 200
    # The workbook's own timestamps differ from one writing to the next; every cell agrees.
    assert _cells(xlsx_response.data) == _cells(report_xlsx(report))
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "report.exported").order_by(AuditEvent.id)).all()
    assert [(opened(e).who, e.after, e.round_id) for e in events] == [
        (OFFICER, {"format": "csv", "via": "web"}, demo_decided.id),
        (OFFICER, {"format": "xlsx", "via": "web"}, demo_decided.id)]


def _cells(workbook: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}


def test_the_public_summary_has_the_funded_list_and_no_personal_data(demo_decided, client,
                                                                     mailbox):
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    report = round_report(demo_decided)
    # Read by a panellist, whose own name must not be on it either.
    people.sign_in_by_link(client, mailbox, LIVED[0])
    response = client.get(f"/rounds/{DEMO_SLUG}/report/summary")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for secret in personal_details() + [FUND_RATIONALE, DO_NOT_FUND_RATIONALE,
                                         NO_CONSENSUS_RATIONALE, "CANARY"]:
        assert secret not in html, secret
    tables = PageTables(html).tables
    funded = [a for a in report["applications"] if a["final_funded"]]
    assert tables["funded-list"][1:] == [
        [a["reference"], a["title"], pounds(a["requested_amount"]),
         "The scores" if a["funded"] else "The panel's decision"] for a in funded]
    assert tables["agreement-table"][1:] == summary_agreement(report)
    assert tables["panel-table"][1:] == expected_tables(
        report, {"academic": 4, "lived_experience": 4})["panel-table"]
    text = words_of(html)
    assert ("The panel's decisions changed 2 results of the scores: 1 project funded that the "
            "scores did not fund and 1 project not funded that the scores funded.") in text
    anchor = round_anchor(demo_decided)
    assert f"event {anchor.event_id}, SHA-256 {anchor.event_hash}" in text
    csv_response = client.get(f"/rounds/{DEMO_SLUG}/report/summary.csv")
    table = pd.read_csv(io.BytesIO(csv_response.data), dtype=str)
    assert list(table["reference"]) == [a["reference"] for a in funded]
    # Whole pounds, as on the page (the machine-readable report keeps pence).
    assert list(table["requested_amount"]) == [str(round(a["requested_amount"]))
                                               for a in funded]


# Who may read the report ------------------------------------------------------------------------

FULL_REPORT_PAGES = ("", ".csv", ".xlsx")
SUMMARY_PAGES = ("/summary", "/summary.csv")  # anyone's once published (test_public_summary)
REPORT_PAGES = FULL_REPORT_PAGES + SUMMARY_PAGES


def _set_phase(round_, phase: str) -> None:
    round_.phase = phase
    db.session.commit()


@pytest.mark.parametrize("phase", ["draft", "scoring", "moderation", "decided", "published"])
@pytest.mark.parametrize("role", ["officer", "auditor"])
def test_officers_and_auditors_read_the_report_in_any_phase(
        worked_round, client, phase, role):
    people.staff(f"{role}@example.org", role)
    people.sign_in_staff(client, f"{role}@example.org")
    _set_phase(worked_round, phase)
    for suffix in REPORT_PAGES:
        assert client.get(f"/rounds/{WORKED_SLUG}/report{suffix}").status_code == 200, suffix


@pytest.mark.parametrize("phase,chair_sees,panellist_sees", [
    ("draft", False, False), ("scoring", False, False), ("moderation", True, False),
    ("decided", True, False), ("published", True, True)])
def test_the_chair_reads_it_from_moderation_and_the_panel_once_published(
        worked_round, app, mailbox, phase, chair_sees, panellist_sees):
    round_builders.member(worked_round, CHAIR, None, role="chair")
    _set_phase(worked_round, phase)
    for email, sees in ((CHAIR, chair_sees), ("lived1@panel.example", panellist_sees)):
        client = app.test_client()
        people.sign_in_by_link(client, mailbox, email)
        for suffix in REPORT_PAGES:
            status = client.get(f"/rounds/{WORKED_SLUG}/report{suffix}").status_code
            assert status == (200 if sees else 404), (email, suffix)


def test_a_member_of_another_round_and_other_staff_get_404(
        worked_round, app, mailbox):
    other = round_builders.draft_round(slug="other-round", title="Other round")
    round_builders.member(other, "stranger@panel.example", "academic")
    _set_phase(other, "published")
    _set_phase(worked_round, "published")
    stranger = app.test_client()
    people.sign_in_by_link(stranger, mailbox, "stranger@panel.example")
    admin = app.test_client()
    people.staff("admin@example.org", "admin")
    people.sign_in_staff(admin, "admin@example.org")
    for client in (stranger, admin):
        for suffix in FULL_REPORT_PAGES:
            assert client.get(f"/rounds/{WORKED_SLUG}/report{suffix}").status_code == 404
        for suffix in SUMMARY_PAGES:  # published: the summary is anyone's
            assert client.get(f"/rounds/{WORKED_SLUG}/report{suffix}").status_code == 200
    assert stranger.get("/rounds/no-such-round/report").status_code == 404


def test_signing_in_comes_first(worked_round, client):
    for suffix in FULL_REPORT_PAGES:
        response = client.get(f"/rounds/{WORKED_SLUG}/report{suffix}")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for suffix in SUMMARY_PAGES:  # not published: the public learns nothing
        assert client.get(f"/rounds/{WORKED_SLUG}/report{suffix}").status_code == 404


def test_a_panellist_finds_the_report_from_their_rounds_once_published(
        worked_round, client, mailbox):
    people.sign_in_by_link(client, mailbox, "lived1@panel.example")
    _set_phase(worked_round, "decided")
    assert "Read the report" not in client.get("/my-rounds").get_data(as_text=True)
    _set_phase(worked_round, "published")
    html = client.get("/my-rounds").get_data(as_text=True)
    assert f'href="/rounds/{WORKED_SLUG}/report">Read the report' in html


def test_the_officer_finds_it_in_the_round_navigation(worked_round, officer):
    html = report_page(officer, WORKED_SLUG)
    assert re.search(rf'href="/rounds/{WORKED_SLUG}/report" aria-current="page">Report<', html)
    assert f'href="/rounds/{WORKED_SLUG}/report"' in officer.get(
        f"/rounds/{WORKED_SLUG}/ranking").get_data(as_text=True)


# Larger and emptier rounds ------------------------------------------------------------------------

def test_a_large_round_shows_the_applications_near_the_funding_line(officer, tmp_path):
    """60 applications of £10 against £100: ten funded. The tables and charts keep those
    funded with or without a group, and those within 10 places of either funding line."""
    applications = APPLICATIONS + "".join(
        f"B{n:02},Project B{n:02},What it does,10,X,Org,x{n}@b.example\n" for n in range(1, 58))
    scores = SCORES + "".join(
        f"{who}@panel.example,B{n:02},initial,{1 + (n * k) % 5},{1 + (n * 3 + k) % 5},\n"
        for n in range(1, 58) for who, k in (("aca1", 2), ("lived1", 3)))
    import_bundle(None, worked_bundle(
        tmp_path / "large", **{"round.json": json.dumps({**ROUND, "slug": "large"}),
                               "applications.csv": applications, "scores.csv": scores}),
        system="tests")
    db.session.commit()
    html = report_page(officer, "large")
    report = round_report(round_by_slug("large"))
    tables = PageTables(html).tables
    for g in report["groups"]:
        line = max(a["rank"] for a in report["applications"] if a["funded"])
        line_without = max(a["without"][g]["rank"] for a in report["applications"]
                           if a["without"][g]["funded"])
        expected = [a["reference"] for a in report["applications"] if a["rank"] and (
            a["funded"] or a["without"][g]["funded"] or line - 10 < a["rank"] <= line + 10
            or (a["without"][g]["rank"] or 0) and line_without - 10 < a["without"][g]["rank"]
            <= line_without + 10)]
        assert 20 <= len(expected) < 60
        assert [row[1] for row in tables[f"without-{g}"][1:]] == expected
        assert f"It shows {len(expected)} of 60 applications" in words_of(html)
        assert chart_of(html, f"without-{g}-sentence").count("fp-chart__slope--") == len(expected)


def test_a_round_with_no_scores_yet_says_so(officer):
    round_ = round_builders.draft_round(slug="empty")
    round_builders.applications(round_, 40, 50)
    text = words_of(report_page(officer, "empty"))
    assert "By the scores, 0 applications are funded, asking for £0 of the £100 budget." in text
    assert "There are not enough applications scored by both the Academic and the Lived " \
           "experience groups to say how far they agree." in text
    assert "The meeting has not taken place yet, so no scores have moved." in text
    assert "No criterion was scored by both the Academic and the Lived experience groups." in text
    assert "The decision trail anchor is recorded when the round is decided." in text


# The words, on their own --------------------------------------------------------------------------

def test_movement_reads_in_points_toward_or_away():
    sentence = words.movement_sentence(True, [("Academic", "Lived experience", 6.2),
                                              ("Lived experience", "Academic", 1.04),
                                              ("Community", "Academic", -0.5)])
    assert sentence == (
        "In the meeting, the Academic group moved 6.2 points toward the Lived experience "
        "group's view; the Lived experience group moved 1.0 point toward the Academic group's "
        "view; the Community group moved 0.5 points away from the Academic group's view.")


def test_the_public_story_names_funded_projects_only():
    story = words.public_funding_story
    assert story("Lived experience", ["Warm rooms", "A shed"], 0, 1) == (
        "Without the Lived experience group's scores, “Warm rooms” and “A shed” would not "
        "have been funded; 1 other project would have been instead.")
    assert story("Lived experience", ["Warm rooms"], 0, 0) == (
        "Without the Lived experience group's scores, “Warm rooms” would not have been "
        "funded, and no other project would have been funded in its place.")
    # One the scores brought in that the panel's decisions then did not fund: counted.
    assert story("Academic", ["Repair café"], 1, 2) == (
        "Without the Academic group's scores, “Repair café” and 1 project the panel did not "
        "fund in the end would not have been funded; 2 other projects would have been "
        "instead.")
    assert story("Academic", [], 0, 2) == (
        "Without the Academic group's scores, 2 other projects would have been funded as "
        "well; every project funded now would still have been funded.")
    assert story("Academic", [], 0, 0) == (
        "Without the Academic group's scores, the same projects would have been funded.")


def test_chart_words_stay_14px_where_the_chart_is_shown():
    """A bar chart in 290 px of column on a 320 px phone, a slope chart (a list under 600
    px) in the 570 px column of a 600 px screen: FONT units draw at 14 px or more."""
    rows = [SlopeRow(f"CA-{n:03}", n, 23 - n, n <= 11, n >= 12,
                     "A very long project title that goes on and on") for n in range(1, 23)]
    chart = slope_chart(rows, ("Rank with", "every group"), ("Rank without", "Lived experience"))
    assert FONT * 570 / chart.width >= 14
    assert any(t.text == "A very long project… 1" and t.full.startswith("A very long")
               for t in chart.texts)
    bars = diverging_bars([("Benefit to people's health and lives", -1.47, "−1.47")],
                          "← Lived experience higher", "Academic higher →")
    assert FONT * 290 / bars.width >= 14
    assert all(t.x >= 0 and t.x <= bars.width for t in bars.texts)


def test_bars_are_drawn_on_a_fixed_axis_in_proportion_to_their_values():
    """1 point looks like 1 point: on the 0 to 100 axis, a bar of 70 is 70 times a bar of
    1 (drawn to a tenth of a unit), and the axis's ends are labelled 0 and 100."""
    chart = bars_from_zero([("Small", 1, "1.0 point"), ("Large", 70, "70.0 points")], 100)
    small, large = chart.bars
    assert large.width / small.width == pytest.approx(70, rel=0.02)
    assert large.width == pytest.approx(0.7 * (chart.width - 2 * 6), abs=0.1)
    assert {"0", "100"} <= {t.text for t in chart.texts}
    one_side = diverging_bars([("Away", -2.5, "2.5 points away")], "away", "toward", 100)
    assert one_side.bars[0].width == pytest.approx(2.5 / 100 * (one_side.width / 2 - 6), abs=0.1)
    assert [t.text for t in one_side.texts].count("100") == 2


def test_a_large_round_keeps_only_rows_near_a_funding_line():
    # 100 applications, the top 10 funded; 50 would be 5th (funded) without the group.
    rows = [SlopeRow(f"X{n:03}", n, 5 if n == 50 else 50 if n == 5 else n, n <= 10,
                     n <= 10 and n != 5 or n == 50) for n in range(1, 101)]
    assert [r.left_rank for r in shown_rows(rows)] == list(range(1, 21)) + [50]
    assert len(shown_rows(rows[:30])) == 30
