"""Round bundles (DESIGN.md §8): a folder, or a .zip of one, holding ``round.json``,
``applications.csv``, ``panellists.csv`` and optionally ``conflicts.csv``,
``scores.csv`` and ``decisions.csv`` (any table may be an .xlsx workbook instead).

The browser import and ``flask round import/export`` both use this package:

- :func:`read_table` reads one uploaded CSV or .xlsx into strings;
- :func:`check_applications` and :func:`check_panellists` check a table against a
  round, and :func:`add_applications` and :func:`add_panellists` write the checked rows;
- :func:`import_bundle` checks a whole bundle, reporting every problem of every file
  at once (:class:`BundleError`), and only then writes a new draft round;
- :func:`export_bundle` and :func:`export_zip` write a round back out in the same format.

Problems name the file, the spreadsheet row (headings are row 1) and the column.
Nothing here commits: the caller does.
"""
from __future__ import annotations

import importlib

# Where each name lives: imported on first use (PEP 562), so importing one part of the
# package (its models, its jobs) does not import pandas with the checks (issue 17: the
# command line's start-up).
_WHERE = {
    "check_applications": "checks", "check_panellists": "checks", "parse_amount": "checks",
    "bundle_files": "export", "export_bundle": "export", "export_zip": "export",
    "round_counts": "export",
    "add_applications": "loading", "add_panellists": "loading", "import_bundle": "loading",
    "check_bundle": "source", "open_bundle": "source",
    "RoundPlan": "spec", "check_round_json": "spec",
    "BundleError": "tables", "Problem": "tables", "read_table": "tables",
}

__all__ = [
    "BundleError", "Problem", "RoundPlan", "add_applications", "add_panellists",
    "bundle_files", "check_applications", "check_bundle", "check_panellists",
    "check_round_json", "export_bundle", "export_zip", "import_bundle", "open_bundle",
    "parse_amount", "read_table", "round_counts",
]


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"panel.bundle.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'panel.bundle' has no attribute {name!r}")
