"""How much a round may hold (issue 22, item 3): an upload that would take a round past
a limit is refused up front, in the browser, in a bundle and on the command line, saying
what to fix and changing nothing; and an import writes in batches, so what it sends to
the database does not grow row by row."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa

from panel.bundle import import_bundle
from panel.bundle.models import ParkedUpload
from panel.demo.seed import BUNDLE
from panel.extensions import db
from panel.models import Application
from tests.builders import rounds as round_builders
from tests.builders.big_bundle import write_bundle
from tests.builders.bundles import (
    CONFLICTS,
    SCORES,
    _zip,
    demo_bundle,
    problems_of,
    round_rows,
)
from tests.support.commands import flask
from tests.support.statements import counted_statements
from tests.support.web import csrf_token

HEADER = "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email\n"


def _applications(*references: str) -> bytes:
    return (HEADER + "".join(f"{r},Project {r},What it does.,100,Jo Bloggs,Org {r},\n"
                             for r in references)).encode()


def _upload(client, path: str, data: bytes, filename: str):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(page), "file": (io.BytesIO(data), filename)})


def _parked() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(ParkedUpload))


def test_an_applications_file_past_the_limit_is_refused_at_its_preview(app, officer):
    round_builders.draft_round()
    app.config["ROUND_MAX_APPLICATIONS"] = 3
    before = round_rows()
    page = _upload(officer, "/rounds/test-round/applications",
                   _applications("B1", "B2", "B3", "B4"), "apps.csv")
    html = page.get_data(as_text=True)
    assert ("This file has 4 applications, but a round can hold at most 3. Remove rows to "
            "leave at most 3, or split them across rounds.") in html
    assert "Check 4 applications" not in html  # no preview, nothing parked to confirm
    assert round_rows() == before and _parked() == 0


def test_the_limit_counts_what_the_round_already_holds(app, officer):
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 100, 200)  # A1, A2
    db.session.commit()
    app.config["ROUND_MAX_APPLICATIONS"] = 3
    fits = _upload(officer, "/rounds/test-round/applications", _applications("B1"), "one.csv")
    assert "Check 1 application" in fits.get_data(as_text=True)
    html = _upload(officer, "/rounds/test-round/applications", _applications("B1", "B2"),
                   "two.csv").get_data(as_text=True)
    assert ("This file has 2 applications, but a round can hold at most 3. The round "
            "already has 2. Remove rows to leave at most 1, or split them across rounds.") in html
    app.config["ROUND_MAX_APPLICATIONS"] = 2
    html = _upload(officer, "/rounds/test-round/applications", _applications("B1"),
                   "one.csv").get_data(as_text=True)
    assert "The round already has 2. Start another round for them." in html


def test_a_panel_file_past_the_limit_is_refused_at_its_preview(app, officer):
    round_builders.draft_round()
    app.config["ROUND_MAX_PANEL"] = 2
    panel = ("email,name,group,role\n" + "".join(
        f"p{i}@example.org,Person {i},academic,panellist\n" for i in range(3))).encode()
    before = round_rows()
    html = _upload(officer, "/rounds/test-round/panel", panel, "panel.csv").get_data(as_text=True)
    assert "This file has 3 panel members, but a round can hold at most 2." in html
    assert round_rows() == before and _parked() == 0


def test_a_bundle_past_a_limit_lists_it_with_the_other_problems(app, tmp_path):
    app.config.update(ROUND_MAX_SHEETS=3, ROUND_MAX_CONFLICTS=1)
    folder = demo_bundle(tmp_path, conflicts=CONFLICTS, scores=SCORES)
    problems = problems_of(folder)  # and nothing was written
    assert [(p.file, p.row, p.column, p.message) for p in problems] == [
        ("conflicts.csv", None, None,
         ("This file has 2 conflicts, but a round can hold at most 1. Remove rows to leave at "
          "most 1, or split them across rounds. (An administrator sets the limit with "
          "ROUND_MAX_CONFLICTS.)")),
        ("scores.csv", None, None,
         ("This file has 4 score sheets, but a round can hold at most 3. Remove rows to leave "
          "at most 3, or split them across rounds. (An administrator sets the limit with "
          "ROUND_MAX_SHEETS.)")),
    ]


def test_a_bundle_upload_past_a_limit_is_refused_at_its_preview(app, officer):
    app.config["ROUND_MAX_APPLICATIONS"] = 20
    before = round_rows()
    page = officer.get("/rounds/import").get_data(as_text=True)
    response = officer.post("/rounds/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page),
        "file": (io.BytesIO(_zip(BUNDLE)), "demo.zip")})
    html = response.get_data(as_text=True)
    assert "This file has 22 applications, but a round can hold at most 20." in html
    assert not re.search(r'name="token" type="hidden"', html)
    assert round_rows() == before and _parked() == 0


def test_flask_round_import_refuses_a_bundle_past_a_limit(app, database_url, monkeypatch):
    monkeypatch.setenv("ROUND_MAX_PANEL", "5")
    before = round_rows()
    refused = flask(database_url, "round", "import", str(BUNDLE))
    assert refused.returncode == 1
    assert ("panellists.csv: This file has 9 panel members, but a round can hold at most 5."
            in refused.stderr)
    assert "Nothing was imported." in refused.stderr
    db.session.rollback()
    assert round_rows() == before


def test_an_import_writes_in_batches_not_row_by_row(app, tmp_path):
    """Twice the rows cost at most one more batch per table, not twice the statements
    (the import holds the database for as long as it writes)."""
    def statements(name: str, size: int) -> int:
        folder = write_bundle(tmp_path / name, applications=size, panellists=12,
                              sheets=size, conflicts=size, slug=name)
        with counted_statements() as sent:
            import_bundle(None, folder, system="tests")
        db.session.commit()
        return len(sent)

    small, large = statements("small", 400), statements("large", 800)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 1200
    assert large - small <= 12, (small, large)


def test_matching_after_an_import_reads_the_panels_conflicts_in_a_few_queries(app, tmp_path):
    """Matching connections after an import (suggestions.find_for_round) loads the
    panel's conflicts together, not one query per member: twice the panel sends the same
    statements (issue 17)."""
    from panel.conflicts import suggestions

    def statements(name: str, panellists: int) -> int:
        folder = write_bundle(tmp_path / name, applications=200, panellists=panellists,
                              sheets=100, conflicts=300, slug=name)
        round_ = import_bundle(None, folder, system="tests")
        db.session.commit()
        with counted_statements() as sent:
            suggestions.find_for_round(round_)
        return len(sent)

    small, large = statements("small", 12), statements("large", 24)
    assert small == large, (small, large)
    assert 3 <= large <= 8, large  # members, their accounts, applications, conflicts
