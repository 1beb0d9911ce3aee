"""The round bundle's and the application import's messages are marked for gettext
(issue 21): every module of panel/bundle is held to :func:`loose_python_text`, and every
one that says something to people is in STAFF_FACING (staff read these messages, on the
import pages, on the jobs page and from `flask round import`; they stay English, so
Welsh is not required here)."""
from __future__ import annotations

import pytest

from tests.support.catalogue import ROOT, STAFF_FACING, loose_python_text, messages

BUNDLE = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "panel" / "bundle").glob("*.py"))

# Strings in panel/bundle that look like words but are for the machine (or are data), by
# module, each with why it is not translated. Every one must still be there.
NOT_FOR_PEOPLE: dict[str, dict[str, str]] = {
    "panel/bundle/__init__.py": {
        "BundleError": "__all__: names of the package's classes",
        "Problem": "__all__: names of the package's classes",
        "RoundPlan": "__all__: names of the package's classes",
        "module 'panel.bundle' has no attribute …": (
            "Python's own AttributeError, for a name the package's lazy imports lack"),
    },
    "panel/bundle/blueprint.py": {
        "/<slug>/applications/template.<any(csv, xlsx):file_format>": "a URL rule",
        "/<slug>/panel/template.<any(csv, xlsx):file_format>": "a URL rule",
    },
    "panel/bundle/bulk.py": {
        "INSERT INTO … (…) VALUES (…)": "SQL",
        "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)":
            "SQL",
        "COPY … (…) FROM STDIN": "SQL",
    },
    "panel/bundle/import_views.py": {
        "text/csv; charset=utf-8": "an HTTP content type",
        "Content-Disposition": "an HTTP header",
        'attachment; filename="…"': "an HTTP header's value",
    },
    "panel/bundle/views.py": {
        "Content-Disposition": "an HTTP header",
        'attachment; filename="….zip"': "an HTTP header's value",
    },
    "panel/bundle/jobs.py": {
        "(new round)": "the key a whole bundle's upload is parked under, in place of a slug",
    },
    "panel/bundle/source.py": {
        "Thumbs.db": "a file name left out of a zip",
    },
    "panel/bundle/tables.py": {
        r"Expected (\d+) fields in line (\d+), saw (\d+)": "a pattern of what pandas says",
    },
    "panel/bundle/template_files.py": {
        text: "the example row of a template file to fill in: data, in both languages"
        for text in (
            "Growing food together on the estate",
            "We want to turn an empty patch of grass into a shared garden.",
            "Green Street Garden", "Sam Jones",
            "Tyfu bwyd gyda'n gilydd ar yr ystâd",
            "Rydyn ni eisiau troi darn gwag o laswellt yn ardd i bawb.",
            "Ann Lee", "Green Street Garden; Riverside Food Bank")
    },
}


@pytest.mark.parametrize("path", BUNDLE)
def test_a_bundle_module_has_no_english_outside_gettext(path):
    allowed = NOT_FOR_PEOPLE.get(path, {})
    found = [(line, text) for line, text in loose_python_text(ROOT / path)]
    assert [(line, text) for line, text in found if text not in allowed] == [], (
        f"{path} has words gettext never sees: write each message whole inside _() "
        "(ngettext for a count), or say here why a string is not for people")
    assert sorted(set(allowed) - {text for _, text in found}) == [], (
        f"NOT_FOR_PEOPLE lists strings {path} no longer has: remove them")


def test_every_bundle_module_with_messages_is_staff_facing():
    speaking = [path for path in BUNDLE if messages([path])]
    assert [path for path in speaking if path not in STAFF_FACING] == []
    # The modules whose messages this file is about all say something.
    assert {"panel/bundle/checks.py", "panel/bundle/spec.py", "panel/bundle/tables.py",
            "panel/bundle/limits.py", "panel/bundle/loading.py", "panel/bundle/jobs.py",
            "panel/bundle/history.py", "panel/bundle/source.py",
            "panel/bundle/export.py", "panel/bundle/import_views.py"} <= set(speaking)


def test_no_bundle_message_glues_a_plural_or_a_noun():
    """A count's plural comes from ngettext and each kind of row has its own sentence,
    so the English a translator is given is whole (the checker above sees only strings
    outside gettext; these are the shapes of what used to be built around them)."""
    for path in BUNDLE:
        source = (ROOT / path).read_text(encoding="utf-8")
        for shape in ("'s' if", '"s" if', "{noun}", "{limit.noun}", "{owner}",
                      "'is' if", '"column" if'):
            assert shape not in source, f"{path} builds a message from pieces: {shape}"
