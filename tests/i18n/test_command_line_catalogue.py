"""The `flask` commands' words for people are marked for gettext (issue 21): what they
print, their errors and their --help. What a script reads (JSON, CSV, slugs, paths) is not
words for people. The command line stays English, so Welsh is not required here."""
from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_file

from tests.support.catalogue import COMMAND_LINE, KEYWORDS, ROOT, loose_python_text


@pytest.mark.parametrize("path", COMMAND_LINE)
def test_a_command_module_has_no_english_outside_gettext(path):
    assert loose_python_text(ROOT / path) == [], (
        f"{path} prints words gettext never sees: wrap them in _() (help=_l(...) for --help)")


def test_every_command_module_is_listed():
    found = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "panel").rglob("*cli.py"))
    assert sorted(COMMAND_LINE) == found, "list each panel/**/*cli.py in STAFF_FACING"


def test_the_checker_finds_loose_english_and_lets_marked_words_and_data_be(tmp_path):
    sample = tmp_path / "sample_cli.py"
    sample.write_text(
        'import click\n'
        'from flask_babel import gettext as _, lazy_gettext as _l, ngettext\n'
        '@click.command()\n'
        'def sweep(count):\n'
        '    """Sweep the old jobs away."""\n'
        '    click.echo(f"Swept {count} jobs from the queue.")\n'
        '    click.echo(_("Nothing was changed."))\n'
        '    click.echo(ngettext("%(num)d job", "%(num)d jobs", count))\n'
        '    click.echo("slug")\n'
        '    click.echo(_l("Done"))\n', encoding="utf-8")
    assert loose_python_text(sample) == [
        (5, "--help of sweep: Sweep the old jobs away."),
        (6, "Swept … jobs from the queue."),
    ]


def test_the_makefile_extracts_with_the_keywords_the_tests_read(tmp_path):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    extract = makefile.split("pybabel -q extract", 1)[1].split("-o ", 1)[0]
    given = set(re.findall(r"-k (\w+)", extract))
    assert {"lazy_gettext", "_l", "lazy_ngettext"} <= given
    assert given <= set(KEYWORDS)
    sample = tmp_path / "sample.py"
    sample.write_text('LEFT = lazy_ngettext("%(num)d job left", "%(num)d jobs left", 2)\n',
                      encoding="utf-8")
    extracted = [message for _, message, _, _ in extract_from_file(
        "python", sample, keywords={key: KEYWORDS[key] for key in given})]
    assert extracted == [("%(num)d job left", "%(num)d jobs left")]


@pytest.mark.parametrize("group", ["accounts", "audit", "demo", "people", "round"])
def test_each_command_group_prints_its_help_in_english(runner, group):
    result = runner.invoke(args=[group, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and "Commands:" in result.output
    # Every command is described in words (its help is a lazy string made text by click).
    described = re.findall(r"^  (\S+)\s{2,}(\S.*)$", result.output.split("Commands:")[1], re.MULTILINE)
    assert described and all(re.search(r"[A-Za-z]{3}", words) for _, words in described)
