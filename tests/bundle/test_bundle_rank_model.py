"""round.json's rank_model (DESIGN.md §3a, §8; docs/bundles.md): auto, on or off,
imported and exported; a bundle without it gets auto; a bad value is refused with what to
fix and nothing is imported."""
from __future__ import annotations

import json

from panel.bundle import Problem, export_bundle, import_bundle
from panel.extensions import db
from tests.builders.bundles import demo_bundle, problems_of, with_settings


def imported(folder):
    round_ = import_bundle(None, folder, system="tests")
    db.session.commit()
    return round_


def test_rank_model_is_imported_and_exported(app, tmp_path):
    round_ = imported(with_settings(demo_bundle(tmp_path), rank_model="off"))
    assert round_.rank_model == "off"
    export_bundle(round_, tmp_path / "out", system="tests")
    spec = json.loads((tmp_path / "out" / "round.json").read_text(encoding="utf-8"))
    assert spec["rank_model"] == "off"
    with_settings(tmp_path / "out", slug="copy")
    assert imported(tmp_path / "out").rank_model == "off"


def test_an_older_bundle_without_it_gets_auto(app, tmp_path):
    round_ = imported(with_settings(demo_bundle(tmp_path), rank_model=...))
    assert round_.rank_model == "auto"


def test_a_bad_rank_model_is_refused_and_nothing_is_imported(app, tmp_path):
    folder = with_settings(demo_bundle(tmp_path), rank_model="sometimes")
    assert problems_of(folder) == [Problem(
        "round.json", None, "rank_model", '"sometimes" is not a rank_model. '
        "Use auto or on or off.")]
