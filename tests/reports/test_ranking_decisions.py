"""The officer's ranking page after the meeting (DESIGN.md §3): the initial rank beside
the final one, the chair's decisions, every override with its rationale, and a warning
when the decisions fund more than the budget. Hand-worked from the worked example."""
from __future__ import annotations

import json
from html import unescape

import pandas as pd
import pytest
import sqlalchemy as sa

from panel.bundle import import_bundle
from panel.extensions import db
from panel.reports import report
from panel.scoring import figures
from tests.builders.worked import APPLICATIONS, ROUND, SLUG, worked_bundle
from tests.support.pages import Cells, ranking_table

NO_DECISIONS = "reference,outcome,rationale\n"
OVER_BUDGET = "reference,outcome,rationale\nA1,fund,Community need\nA3,keep,\n"
OVER_BUDGET_WARNING = ("After the panel's decisions the funded applications ask for £150.00, "
                       "over the budget of £100.00.")


def import_worked(tmp_path, name: str = "bundle", **changes: str):
    round_ = import_bundle(None, worked_bundle(tmp_path / name, **changes), system="tests")
    db.session.commit()
    return round_


def ranking_page(client, page: int = 1, slug: str = SLUG) -> str:
    response = client.get(f"/rounds/{slug}/ranking?page={page}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def by_reference(html: str) -> pd.DataFrame:
    table = ranking_table(html)
    return table[table["Reference"].str.fullmatch(r"[AB]\d+")].set_index("Reference")


def override_table(html: str) -> pd.DataFrame:
    table = html[html.index('<table class="fp-table" id="override-list">'):]
    parser = Cells()
    parser.feed(table[:table.index("</table>")])
    header, *rows = parser.rows
    return pd.DataFrame(rows, columns=header).set_index("Reference")


@pytest.mark.usefixtures("worked_round")
def test_each_row_shows_initial_rank_decision_and_final_funding(officer):
    rows = by_reference(ranking_page(officer))
    # final A3 87.5, A2 75, A1 43.75; initial A2 and A3 tie at 75, A2 first by reference
    assert list(rows.index) == ["A3", "A2", "A1"]
    assert list(rows["Rank"]) == ["1", "2", "3"]
    assert list(rows["Initial rank"]) == ["2", "1", "3"]
    assert list(rows["Funding"]) == ["Funded", "Funded", "Not funded"]
    assert list(rows["Decision"]) == ["Do not fund", "–", "–"]
    assert list(rows["Final funding"]) == ["Not funded", "Funded", "Not funded"]


@pytest.mark.usefixtures("worked_round")
def test_the_funding_line_row_still_spans_the_table(officer):
    html = ranking_page(officer)
    table = ranking_table(html)
    assert table["Rank"].iloc[2] == "Funding line: £90 of £100 budget"  # under A2
    assert len(table.columns) == 12 and 'colspan="12"' in html
    assert (table.iloc[2, 1:] == "").all()


@pytest.mark.usefixtures("worked_round")
def test_an_override_is_listed_with_its_rationale_exactly_as_written(officer):
    html = ranking_page(officer)
    assert '<h2 class="fp-heading-m" id="overrides">Overrides</h2>' in html
    assert 'href="#overrides"' in html
    overrides = override_table(html)
    assert overrides.to_dict("index") == {"A3": {
        "Title": "Project three", "Decision": "Do not fund", "Funding": "Funded",
        "Final funding": "Not funded", "Rationale": "-Funded elsewhere already"}}
    assert ">-Funded elsewhere already<" in html  # as text: no spreadsheet quote on a page
    assert "fp-warning-text" not in html  # A2 alone (£50) is within the budget


def test_decisions_over_the_budget_warn_in_the_report_s_words(app, officer, tmp_path):
    round_ = import_worked(tmp_path, **{"decisions.csv": OVER_BUDGET})
    html = ranking_page(officer)
    rows = by_reference(html)
    assert list(rows["Decision"]) == ["Keep", "–", "Fund"]  # A3, A2, A1
    assert list(rows["Final funding"]) == ["Funded", "Funded", "Funded"]  # £40 + £50 + £60
    assert list(rows["Funding"]) == ["Funded", "Funded", "Not funded"]
    assert report.round_report(round_)["warnings"] == [OVER_BUDGET_WARNING]
    assert ('<strong class="fp-warning-text__text"><span class="fp-visually-hidden">Warning'
            f'</span> {OVER_BUDGET_WARNING}</strong>') in unescape(html)
    overrides = override_table(html)  # keeping A3 changes nothing: not an override
    assert overrides.to_dict("index") == {"A1": {
        "Title": "Project one", "Decision": "Fund", "Funding": "Not funded",
        "Final funding": "Funded", "Rationale": "Community need"}}


def test_decisions_that_change_nothing_are_not_overrides(app, officer, tmp_path):
    import_worked(tmp_path, **{"decisions.csv": NO_DECISIONS + "A2,keep,Fine\n"
                                                "A1,do_not_fund,Weak\nA3,no_consensus,\n"})
    html = ranking_page(officer)
    assert list(by_reference(html)["Decision"]) == ["No consensus", "Keep", "Do not fund"]
    assert "None of the panel's 3 decisions changes who is funded" in unescape(html)
    assert 'id="override-list"' not in html and 'href="#overrides"' not in html


def test_before_any_decision_the_page_shows_no_decisions(app, officer, tmp_path):
    import_worked(tmp_path, **{"decisions.csv": NO_DECISIONS})
    html = ranking_page(officer)
    table = ranking_table(html)
    assert {"Initial rank", "Funding"} <= set(table.columns)
    assert not {"Decision", "Final funding"} & set(table.columns)
    assert "Overrides" not in html and "before the panel's decisions" in unescape(html)


def test_after_the_meeting_a_round_without_decisions_says_so(app, officer, tmp_path):
    round_ = import_worked(tmp_path, **{"decisions.csv": NO_DECISIONS})
    round_.phase = "decided"
    db.session.commit()
    html = ranking_page(officer)
    assert list(by_reference(html)["Final funding"]) == ["Funded", "Funded", "Not funded"]
    assert '<h2 class="fp-heading-m" id="overrides">Overrides</h2>' in html
    assert "The panel has recorded no decisions, so the result of the scores stands." in html


def test_an_application_with_no_initial_score_shows_a_dash(app, officer, tmp_path):
    unscored = "A4,Project four,What four does,10,Dee,Org,d@four.example\n"
    import_worked(tmp_path, **{"applications.csv": APPLICATIONS + unscored})
    rows = by_reference(ranking_page(officer))
    assert (rows.loc["A4", "Rank"], rows.loc["A4", "Initial rank"]) == ("–", "–")
    assert rows.loc["A4", "Final funding"] == "Not funded"


def sixty_tied(tmp_path, decisions: str):
    """B1…B60 each asking £2, all scored 50: tied, so ranked B1, B10, B11… B9 last;
    the £100 budget funds the first 50 (strict)."""
    applications = "reference,title,lay_summary,requested_amount,applicant_name,organisation," \
                   "contact_email\n" + "".join(f"B{n},Project {n},x,2,A,O,a{n}@o.example\n"
                                               for n in range(1, 61))
    scores = "email,reference,stage,q,n,comment\n" + "".join(
        f"aca1@panel.example,B{n},initial,3,3,\n" for n in range(1, 61))
    return import_worked(tmp_path, "sixty", **{"applications.csv": applications,
                                               "scores.csv": scores, "decisions.csv": decisions})


def test_overrides_and_the_warning_cover_the_whole_round_on_every_page(app, officer, tmp_path):
    round_ = sixty_tied(tmp_path, NO_DECISIONS + 'B9,fund,"Need is <urgent> & local"\n')
    first, second = ranking_page(officer), ranking_page(officer, 2)
    assert "B9" not in list(ranking_table(first)["Reference"])
    row = by_reference(second).loc["B9"]
    assert (row["Rank"], row["Funding"], row["Decision"], row["Final funding"]) == (
        "60", "Not funded", "Fund", "Funded")
    warning = ("After the panel's decisions the funded applications ask for £102.00, "
               "over the budget of £100.00.")
    assert report.round_report(round_)["warnings"] == [warning]
    for html in (first, second):
        assert warning in unescape(html)
        overrides = override_table(html)
        assert list(overrides.index) == ["B9"]
        assert overrides.loc["B9", "Rationale"] == "Need is <urgent> & local"
        assert "Need is &lt;urgent&gt; &amp; local" in html


def test_the_page_takes_a_fixed_number_of_queries(app, officer, tmp_path):
    import_worked(tmp_path, **{"round.json": json.dumps({**ROUND, "slug": "small"})})
    sixty_tied(tmp_path, NO_DECISIONS + "".join(
        f"B{n},{'fund' if n % 2 else 'do_not_fund'},Reason {n}\n" for n in range(1, 61)))
    counts = []
    for slug in ("small", SLUG):
        db.session.expire_all()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        html = ranking_page(officer, slug=slug)
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert 'id="override-list"' in html
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_the_page_s_figures_are_the_report_s(app, tmp_path):
    round_ = import_worked(tmp_path, **{"decisions.csv": OVER_BUDGET})
    page = figures.round_figures(round_, figures.RANKING)
    whole = figures.round_figures(round_, figures.REPORT)
    pd.testing.assert_frame_equal(page.final.table, whole.final.table)
    pd.testing.assert_frame_equal(page.initial.table, whole.initial.table)
    pd.testing.assert_frame_equal(page.decisions, whole.decisions)
    assert (page.overrides, page.warnings) == (whole.overrides, whole.warnings)
