"""A ``flask`` command starts with only what it uses (issue 17): the app made for a command
adds its pages (every blueprint's views and forms), the job queue and ``flask db``'s
Alembic when something first needs them. ``flask round report`` on a kept report imports
none of them, nor pandas and NumPy, and prints the same bytes; the commands that do
need them (a link in an e-mail, ``flask db``) still work; and an app that adds its pages
later serves them exactly as one that adds them at once (the same rules, request hooks
in the same order, template globals). Which modules a real command imported is what
Python itself lists with ``PYTHONPROFILEIMPORTTIME=1``. Making the app runs no pass of
the garbage collector, and a command's process sets what its start-up made aside."""
from __future__ import annotations

import json
import re

import pytest
from flask_migrate.cli import db as migrate_group

from panel import _MIGRATIONS_HELP
from panel.reports.kept import as_json
from panel.reports.report import round_report
from panel.rounds.phases import OVER_BUDGET
from panel.rounds.queries import round_by_slug
from panel.scoring import grey_zone, rank_intervals
from tests.builders.worked import SLUG
from tests.support.commands import flask, modules_imported, python
from tests.support.web import make_app

# What a command that shows no page and queues no job has no use for.
HEAVY = ("pandas", "numpy", "scipy", "openpyxl", "alembic", "flask_migrate", "dramatiq",
         "redis", "segno")
PAGES = re.compile(r"^panel\.\w+\.(views|\w+_views|blueprint)$")
# FairPanel's own modules that only other commands use: each imports them when it runs
# (`flask round rank-model --set` the round's settings, `flask audit verify` the chain's
# checks).
OTHER_COMMANDS = ("panel.rounds.setup", "panel.auditor.queries", "panel.audit.anchors")


def importing(database_url: str, tmp_path, *args: str):
    return flask(database_url, *args, PYTHONPROFILEIMPORTTIME="1",
                 FAIRPANEL_INSTANCE=str(tmp_path / "instance"),
                 MAIL_OUTBOX_DIR=str(tmp_path / "outbox"))


def test_the_kept_report_is_read_without_pandas_the_pages_alembic_or_the_job_queue(
        worked_round, database_url, tmp_path):
    made = importing(database_url, tmp_path, "round", "report", SLUG)
    assert made.returncode == 0, made.stderr
    # Making the report needs the figures: the list shows pandas when it is imported.
    assert {"pandas", "numpy"} <= modules_imported(made)

    kept = importing(database_url, tmp_path, "round", "report", SLUG)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout == made.stdout
    assert kept.stdout.encode() == as_json(round_report(round_by_slug(SLUG)))
    imported = modules_imported(kept)
    assert "panel.reports.kept" in imported
    assert [name for name in HEAVY if name in imported] == []
    # psycopg only for a PostgreSQL database (panel/psycopg_cursor.py)
    assert ("psycopg" in imported) == database_url.startswith("postgresql")
    assert sorted(name for name in imported if PAGES.match(name)) == []
    assert [name for name in OTHER_COMMANDS if name in imported] == []


def test_every_command_s_start_up_leaves_the_pages_and_the_heavy_libraries_out(
        app, database_url, tmp_path):
    listed = importing(database_url, tmp_path, "round", "--help")
    assert listed.returncode == 0, listed.stderr
    assert "report" in listed.stdout and "import" in listed.stdout
    imported = modules_imported(listed)
    assert [name for name in HEAVY if name in imported] == []
    assert sorted(name for name in imported if PAGES.match(name)) == []
    assert [name for name in OTHER_COMMANDS if name in imported] == []


# create_app in a fresh process, the collector as the caller left it (argv[1]): the passes
# the collector began while the app was made (the generation of each), whether it is on
# afterwards, and whether it has set objects aside for good.
COLLECTOR = """
import gc, json, sys
from panel import create_app
if sys.argv[1] == "off":
    gc.disable()
passes = []
gc.callbacks.append(lambda phase, info: phase == "start" and passes.append(info["generation"]))
create_app()
gc.callbacks.clear()
print(json.dumps({"passes": passes, "on": gc.isenabled(),
                  "set aside": gc.get_freeze_count() > 0}))
"""


@pytest.mark.parametrize("command, collector, expected", [
    (True, "on", {"passes": [], "on": True, "set aside": True}),
    (False, "on", {"passes": [], "on": True, "set aside": False}),
    (False, "off", {"passes": [], "on": False, "set aside": False}),
], ids=["a flask command", "a web process", "a caller that had switched it off"])
def test_making_the_app_runs_no_collector_pass_and_leaves_it_as_it_was(
        database_url, tmp_path, command, collector, expected):
    # A command's start-up (issue 17) spent a tenth of its time in the collector's passes,
    # freeing nothing; a command sets its start-up aside, since it lives as long as it does.
    made = python(database_url, COLLECTOR, collector,
                  FLASK_RUN_FROM_CLI="true" if command else "",
                  FAIRPANEL_INSTANCE=str(tmp_path / "instance"))
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout.splitlines()[-1]) == expected


def test_an_invitation_from_the_command_line_carries_a_link_that_opens(
        app, database_url, tmp_path):
    # The link is built from the pages' URL rules and the e-mail sent by a job: both are
    # made when the command first needs them.
    invited = flask(database_url, "accounts", "invite", "you@example.org", "--name",
                    "Your Name", "--role", "admin", MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
                    FAIRPANEL_INSTANCE=str(tmp_path / "instance"))
    assert invited.returncode == 0, invited.stderr
    [link] = re.findall(r"http://127\.0\.0\.1:5000(/invitation/\S+)", invited.stderr)
    page = app.test_client().get(link)
    assert page.status_code == 200
    assert "Welcome to FairPanel, Your Name" in page.get_data(as_text=True)


def test_flask_db_is_flask_migrate_s_own_group_made_when_it_runs(app, database_url, tmp_path):
    assert _MIGRATIONS_HELP == migrate_group.help  # `flask --help` shows its own words
    listed = flask(database_url, "--help")
    assert re.search(r"^  db\s+Perform database migrations\.$", listed.stdout, re.MULTILINE)
    current = importing(database_url, tmp_path, "db", "current")
    assert current.returncode == 0, current.stderr
    assert "(head)" in current.stdout
    assert "alembic" in modules_imported(current)


@pytest.fixture
def both(database_url, mailbox, tmp_path):
    """An app made for the web (pages added at once) and one made for a command."""
    apps = [make_app(database_url, mailbox, tmp_path / kind, on_first_use=later)
            for kind, later in (("now", False), ("later", True))]
    yield apps
    for each in apps:
        with each.app_context():
            from panel.extensions import db

            db.session.remove()
            db.engine.dispose()


def hooks(app) -> dict[str, list[str]]:
    named = {"before": app.before_request_funcs, "after": app.after_request_funcs,
             "teardown": app.teardown_request_funcs,
             "context": app.template_context_processors,
             "url_defaults": app.url_default_functions,
             "url_values": app.url_value_preprocessors}
    return {f"{kind} {key}": [f"{f.__module__}.{f.__qualname__}" for f in funcs]
            for kind, found in named.items() for key, funcs in found.items()}


def test_pages_added_on_first_use_are_the_pages_added_at_once(both):
    now, later = both
    assert later.blueprints == {} and now.blueprints != {}
    assert later.extensions.get("fairpanel_jobs") is None  # the job queue, not made yet
    for each in (now, later):
        assert {grey_zone.SOURCE, rank_intervals.SOURCE, OVER_BUDGET} <= set(each.extensions)

    answers = [each.test_client().get("/sign-in") for each in (now, later)]
    assert [answer.status_code for answer in answers] == [200, 200]
    assert list(later.blueprints) == list(now.blueprints)
    assert sorted(map(str, later.url_map.iter_rules())) == sorted(map(str, now.url_map.iter_rules()))
    assert hooks(later) == hooks(now)
    assert set(later.jinja_env.globals) == set(now.jinja_env.globals)
    assert set(later.jinja_env.filters) == set(now.jinja_env.filters)
    assert answers[1].headers.get("X-Request-ID")  # the request log's hooks ran
