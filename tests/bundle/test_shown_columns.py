"""A bundle's extra application columns are hidden from panellists unless round.json
lists them in ``shown_columns`` (issue 20; DESIGN.md §4), and an export writes back the
columns the officer marked safe to show, so a round imports as it was."""
from __future__ import annotations

import json

from panel.bundle import bundle_files, import_bundle
from panel.demo.seed import BUNDLE
from panel.scoring.blind import blind_view
from tests.builders.bundles import demo_bundle, problems_of


def _spec(folder, **changes):
    spec = json.loads((folder / "round.json").read_text(encoding="utf-8"))
    spec.update(changes)
    spec = {key: value for key, value in spec.items() if value is not None}
    (folder / "round.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")


def test_the_demo_bundle_shows_area_and_hides_the_phone(app):
    round_ = import_bundle(None, BUNDLE, system="tests")
    assert round_.identifying_columns == ["lead_contact_phone"]
    first = min(round_.applications, key=lambda a: a.reference)
    assert blind_view(first).details == (("Area", "an estate in the north of a city"),)


def test_without_shown_columns_every_extra_column_is_hidden(app, tmp_path):
    folder = demo_bundle(tmp_path)
    _spec(folder, shown_columns=None)
    round_ = import_bundle(None, folder, system="tests")
    assert round_.identifying_columns == ["lead_contact_phone", "area"]
    assert blind_view(round_.applications[0]).details == ()


def test_an_export_lists_the_columns_shown_so_the_round_imports_as_it_was(app, tmp_path):
    folder = demo_bundle(tmp_path)
    round_ = import_bundle(None, folder, system="tests")
    spec = json.loads(bundle_files(round_)["round.json"])
    assert (spec["identifying_columns"], spec["shown_columns"]) == (["lead_contact_phone"],
                                                                   ["area"])


def test_shown_columns_may_not_name_an_identifying_column(app, tmp_path):
    folder = demo_bundle(tmp_path)
    _spec(folder, shown_columns=["area", "Lead contact phone", "organisation"])
    messages = [p.message for p in problems_of(folder)]
    assert messages == [
        ("lead_contact_phone identifies the applicant, so panellists never see it. Remove "
         "it from shown_columns."),
        ("organisation identifies the applicant, so panellists never see it. Remove it "
         "from shown_columns.")]


def test_a_shown_column_the_file_lacks_is_refused(app, tmp_path):
    folder = demo_bundle(tmp_path)
    _spec(folder, shown_columns=["area", "ward"])
    [problem] = problems_of(folder)
    assert problem.file == "applications.csv"
    assert problem.message == ("round.json marks the column ward as safe to show panellists, "
                               "but there is no such column. Add it, or remove it from "
                               "shown_columns.")
