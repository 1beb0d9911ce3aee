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
from panel.bundle.checks import check_applications, check_panellists, parse_amount
from panel.bundle.export import bundle_files, export_bundle, export_zip, round_counts
from panel.bundle.loading import add_applications, add_panellists, import_bundle
from panel.bundle.source import check_bundle, open_bundle
from panel.bundle.spec import RoundPlan, check_round_json
from panel.bundle.tables import BundleError, Problem, read_table

__all__ = [
    "BundleError", "Problem", "RoundPlan", "add_applications", "add_panellists",
    "bundle_files", "check_applications", "check_bundle", "check_panellists",
    "check_round_json", "export_bundle", "export_zip", "import_bundle", "open_bundle",
    "parse_amount", "read_table", "round_counts",
]
