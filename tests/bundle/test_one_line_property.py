"""Arbitrary Unicode through every one-line field of a bundle (issue 22, item 6): control,
format, direction, combining characters and NFKC look-alikes either get a clear refusal
naming the file and the field, or are kept and come back out of the export unchanged.
Nothing else may happen (no other exception, which the browser would show as a 500)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel.bundle import BundleError, bundle_files, import_bundle
from panel.extensions import db
from panel.rounds.queries import round_by_slug
from panel.spreadsheets import unescape_cell
from tests.builders import rounds as round_builders
from tests.support.web import upload

# Characters the issue names, and their neighbours: line breaks and other controls,
# zero-width and soft hyphen, byte-order mark, direction overrides and isolates,
# a combining accent, full-width and other NFKC look-alikes, spaces, formula starts.
AWKWARD = ("\r", "\n", "\t", "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u200b", "\u00ad",
           "\ufeff", "\u202e", "\u2066", "\u0301", "\uff21", "\u2167", "\ufb01", "\u00a0",
           "\u3000", " ", "'", "=", "+", "-", "@", ",", '"', ";", "é", "ß", "İ", "a", "Z", "7")
TEXT = st.text(alphabet=st.one_of(st.sampled_from(AWKWARD), st.characters(codec="utf-8")),
               min_size=1, max_size=24)

APPLICATION = {"reference": "R-1", "title": "A garden", "lay_summary": "We grow food.",
               "requested_amount": "100", "applicant_name": "Priya Sharma",
               "organisation": "Growers CIC", "contact_email": "priya@growers.example"}
PANELLIST = {"email": "amira@panel.example", "name": "Amira Hussain", "group": "lived",
             "role": "panellist", "affiliations": "Food club"}
SPEC = {"title": "Healthy towns", "scale": {"min": 1, "max": 3,
                                            "descriptors": {"1": "Weak", "2": "OK", "3": "Good"}},
        "budget": 1000, "funding_rule": "strict", "weighting": "equal_groups",
        "groups": [{"key": "lived", "label": "Lived experience", "weight": 1}],
        "criteria": [{"key": "q", "name": "Quality", "weight": 1}]}

# (file, field): where the text goes, and where the export puts it back.
TABLE_FIELDS = [("applications.csv", "reference"), ("applications.csv", "title"),
                ("applications.csv", "applicant_name"), ("applications.csv", "organisation"),
                ("panellists.csv", "name"), ("panellists.csv", "affiliations")]
SPEC_FIELDS = ["title", "group label", "criterion name", "descriptor"]


def _table(row: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(list(row))
    writer.writerow(list(row.values()))
    return out.getvalue()


def _write(folder: Path, spec: dict, application: dict, panellist: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "round.json").write_text(json.dumps(spec), encoding="utf-8")
    for name, row in (("applications.csv", application), ("panellists.csv", panellist)):
        (folder / name).write_bytes(_table(row).encode("utf-8"))
    return folder


def _exported(round_, file: str, field: str) -> str:
    text = bundle_files(round_)[file].decode("utf-8")
    row = next(csv.DictReader(io.StringIO(text, newline="")))
    return unescape_cell(row[field])


def _refused_clearly(raised: BundleError, file: str, column: str | None) -> None:
    mine = [p for p in raised.problems if p.file == file]
    assert mine, [str(p) for p in raised.problems]
    assert all(p.message and p.message.endswith((".", ")")) for p in mine)
    assert column is None or any(p.column in (column, None) for p in mine)


def _import(folder: Path):
    try:
        return import_bundle(None, folder, slug="property", system="tests"), None
    except BundleError as raised:
        return None, raised


@pytest.mark.parametrize(("file", "field"), TABLE_FIELDS)
@given(text=TEXT)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_table_field_is_refused_clearly_or_round_trips(app, tmp_path_factory, file, field,
                                                         text):
    application, panellist = dict(APPLICATION), dict(PANELLIST)
    (application if file == "applications.csv" else panellist)[field] = text
    folder = _write(tmp_path_factory.mktemp("bundle"), SPEC, application, panellist)
    round_, raised = _import(folder)
    try:
        if raised is not None:
            _refused_clearly(raised, file, field)
            return
        if field == "affiliations":
            kept = [a.strip() for a in text.split(";") if a.strip()]
            assert _exported(round_, file, field) == ";".join(kept)
        else:
            assert _exported(round_, file, field).strip() == text.strip()
    finally:
        db.session.rollback()


def _spec_with(field: str, text: str) -> dict:
    spec = json.loads(json.dumps(SPEC))
    if field == "title":
        spec["title"] = text
    elif field == "group label":
        spec["groups"][0]["label"] = text
    elif field == "criterion name":
        spec["criteria"][0]["name"] = text
    else:
        spec["scale"]["descriptors"]["2"] = text
    return spec


def _spec_value(spec: dict, field: str) -> str:
    return {"title": lambda: spec["title"], "group label": lambda: spec["groups"][0]["label"],
            "criterion name": lambda: spec["criteria"][0]["name"],
            "descriptor": lambda: spec["scale"]["descriptors"]["2"]}[field]()


@pytest.mark.parametrize("field", SPEC_FIELDS)
@given(text=TEXT)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_round_json_field_is_refused_clearly_or_round_trips(app, tmp_path_factory, field,
                                                              text):
    folder = _write(tmp_path_factory.mktemp("bundle"), _spec_with(field, text), APPLICATION,
                    PANELLIST)
    round_, raised = _import(folder)
    try:
        if raised is not None:
            _refused_clearly(raised, "round.json", None)
            return
        exported = json.loads(bundle_files(round_)["round.json"])
        assert _spec_value(exported, field).strip() == text.strip()
    finally:
        db.session.rollback()


@given(text=TEXT)
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_browser_upload_answers_every_title_with_a_preview_or_a_problem(app, officer,
                                                                            text):
    if not round_by_slug("test-round"):
        round_builders.draft_round()
    application = {**APPLICATION, "title": text}
    response = upload(officer, "/rounds/test-round/applications",
                      _table(application).encode("utf-8"), "apps.csv")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert ("Check 1 application from apps.csv" in html) != (
        "There is a problem" in html and "Nothing has been added." in html)
