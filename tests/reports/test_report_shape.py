"""The report, the panel's report and the ranking page are built from whole columns: the
work done row by row in Python and the statements sent do not grow with the round (a
national funder's round holds 20,000 applications; issue 17). Counted, not timed."""
from __future__ import annotations

import pytest

from panel.reports.ranking_views import ranked_round
from panel.reports.report import round_report
from panel.scoring.figures import REPORT, round_figures
from tests.builders.large_round import large_round
from tests.support.lookups import counted_lookups
from tests.support.statements import counted_statements

BUILDERS = {
    "report": lambda round_: round_report(round_),
    "panel's report": lambda round_: round_report(round_, panel=True),
    "ranking page": ranked_round,
    "report figures": lambda round_: round_figures(round_, REPORT),
}


@pytest.mark.parametrize("builder", list(BUILDERS))
def test_builder_does_no_lookup_per_application(app, builder):
    with app.app_context():
        small, large = large_round(20, slug="small-round"), large_round(2_000)
        build = BUILDERS[builder]
        build(small), build(large)  # the round's settings are loaded (then kept) once
        with counted_lookups() as few, counted_statements() as few_statements:
            build(small)
        with counted_lookups() as many, counted_statements() as many_statements:
            built = build(large)
        assert many == few
        assert len(many_statements) == len(few_statements)
        if builder == "report":
            assert len(built["applications"]) == 2_000
