"""Every module of panel/ is held to :func:`loose_python_text` (issue 21): a string with
words in it goes through gettext, unless it is for the machine. Strings recognised as
the machine's by where they stand (:func:`machine_text`: decorator arguments such as
routes, URL rules, SQL and the schema's arguments, logger calls, HTTP headers and
content types, table names, ``__all__``) need no entry; every other one is allowed
below, by module, with the reason it is not translated. An allowance that no longer
occurs fails the test, so the lists stay true."""
from __future__ import annotations

import pytest

from tests.support.catalogue import ROOT, loose_python_text, machine_text

MODULES = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "panel").rglob("*.py"))

# Modules whose every loose string is of one kind, with why none is translated.
WHOLE_MODULE: dict[str, str] = {
    "panel/reports/board_pack.py": (
        "the board pack's sheets and headings: an XLSX export, undecided whether it "
        "follows the reader (DESIGN.md §8 keeps exports stable English)"),
    "panel/payments/exports.py": "the pay export's column headings and values (CSV, §8)",
    "panel/conflicts/matching.py": (
        "organisation names and their variants that matching compares: data, not words "
        "shown"),
    "panel/demo/story.py": "the demo round's data (titles, comments, reasons)",
    "panel/demo/seed.py": "the demo's people and round: data, and the trail's system name",
    "panel/audit/verify_trail.py": (
        "the verifier shipped in the audit kit runs on Python's standard library alone, "
        "without FairPanel or gettext"),
    "panel/audit/kit.py": (
        "the verification kit's README and its lines, written into the kit's zip (a "
        "download: English, like the exports)"),
    "panel/bundle/template_files.py": (
        "the example row of a template file to fill in: data, in both languages"),
}

EXPORT = "a heading or sheet name of an export (CSV/XLSX stay English, DESIGN.md §8)"
CACHE = "the name a cached figure is kept under (made_once), never shown"
TRAIL = "a value the decision trail keeps (audit values stay English)"
STORED = "stored in the database as it is"
ROUND_DATA = "a default that becomes the round's data when a round is made"
CHARACTER_CLASS = "a Unicode character category"
DTYPE = "a pandas dtype"
START_UP = ("refusing to start on a bad configuration: the operator reads it in the "
            "server's log, before any request or language")
HEALTH = "why a dependency is unhealthy, for /health's JSON and the operator's monitoring"

# Strings that read like words but are not translated, by module, each with why.
NOT_FOR_PEOPLE: dict[str, dict[str, str]] = {
    "panel/__init__.py": {
        "FairPanel will not start until this is fixed:\n- ": START_UP,
        "Perform database migrations.": "the --help of Flask-Migrate's `db` group, as it ships",
    },
    "panel/gunicorn_conf.py": {"FairPanel will not start until this is fixed:\n- ": START_UP},
    "panel/health.py": {text: HEALTH for text in (
        "the database does not answer",
        "not configured: each worker counts in its own memory",
        ("the rate-limit store (RATELIMIT_STORAGE_URI) does not answer; each worker counts "
         "sign-in attempts in its own memory until it does"),
        "not configured: each process computes the figures it shows",
        ("the figures cache (REDIS_URL) does not answer; each process computes the figures "
         "it shows until it does"),
        ("the job queue (REDIS_URL) does not answer; e-mail and other background work wait "
         "until it does"),
        "in process: each app process runs its own background jobs")},
    "panel/access.py": {text: "who a guard lets in, for docs and tests/web/access_table.py"
                        for text in (
        "signed in", "the round's panel", "the member assigned to it",
        "while they may still score it", "who may read the report",
        "anyone once published; before, who may read the report", "the chair or an officer",
        "while the meeting runs")},
    "panel/accounts/auth.py": {"not a real password": "hashed to make timing even, never shown"},
    "panel/accounts/erasure.py": {
        "Erased staff member …": "the pseudonym an erased account keeps, " + STORED,
        "Erased panellist …": "the pseudonym an erased account keeps, " + STORED,
        "Erased person …": "the pseudonym an erased account keeps, " + STORED,
    },
    "panel/accounts/passwords.py": {"Cc": CHARACTER_CLASS, "Cs": CHARACTER_CLASS},
    "panel/accounts/retention.py": {
        "Retention: … months after “…” was published": "the erasure's reason: " + TRAIL,
    },
    "panel/accounts/second_factor.py": {
        "authenticator app": "how the person signs in: " + TRAIL,
        '<svg role="img" aria-label="…" ': "SVG markup around the marked label",
    },
    "panel/accounts/secret_box.py": {
        "not sealed": "SecretUnreadable's reason, for the log",
        "cannot be opened with this key": "SecretUnreadable's reason, for the log",
    },
    "panel/accounts/views.py": {
        "password and authenticator app": "how the person signed in: " + TRAIL,
        "password and recovery code": "how the person signed in: " + TRAIL,
    },
    "panel/audit/personal.py": {
        "(altered: does not match its seal)": "a personal value's mark in the trail's CSV"},
    "panel/bundle/__init__.py": {
        **{name: "the name of one of the package's classes, which it imports lazily"
           for name in ("RoundPlan", "BundleError", "Problem")},
        "module 'panel.bundle' has no attribute …": (
            "Python's own AttributeError, for a name the package's lazy imports lack"),
    },
    "panel/bundle/jobs.py": {
        "(new round)": "the key a whole bundle's upload is parked under, in place of a slug"},
    "panel/bundle/source.py": {"Thumbs.db": "a file name left out of a zip"},
    "panel/bundle/tables.py": {
        r"Expected (\d+) fields in line (\d+), saw (\d+)": "a pattern of what pandas says"},
    "panel/conflicts/queries.py": {"No group": "a SQL label; the page shows the marked words"},
    "panel/conflicts/services.py": {text: EXPORT for text in (
        "member email", "review reason", "reviewed at", "reviewed by")},
    "panel/conflicts/suggestions.py": {
        "conflict matching": "the trail's system name: " + TRAIL,
        "No longer matches the profile": "a withdrawn suggestion's review reason, " + STORED
                                         + " and matched to find it again",
        "Possible match: … ~ …": "a suggestion's details, " + STORED,
    },
    "panel/forms.py": {"Zl": CHARACTER_CLASS, "Zp": CHARACTER_CLASS, "Cc": CHARACTER_CLASS,
                       '<input id="…" name="…" type="hidden" value="…">': "a hidden input's HTML"},
    "panel/spreadsheets.py": {"Cf": CHARACTER_CLASS},
    "panel/i18n.py": {"Cymraeg": "each language's own name, the same in every language",
                      "English": "each language's own name, the same in every language"},
    "panel/jobs/queue.py": {
        "Not yet handed to the job queue": (
            "the start of a job's last_error, " + STORED + ", and matched (startswith) to "
            "send the job again"),
        "… (…); it will be sent again when the queue answers.": (
            "a job's last_error, " + STORED),
    },
    "panel/mail/sending.py": {
        "still refused for now after every retry": "a message's last_error, " + STORED,
        "\n--- e-mail to … (saved in …) ---\nSubject: …\n\n…\n--- end of e-mail ---\n": (
            "development only: the outbox folder's copy printed to the console"),
    },
    "panel/moderation/agenda_page.py": {"agenda spread": CACHE, "agenda standing": CACHE},
    "panel/moderation/meeting.py": {"fairpanel:figures-lock:…": "a Redis key"},
    "panel/moderation/models.py": {text: (
        "an outcome's English word, kept in the trail and the exports; pages show the "
        "marked OUTCOME_WORDS") for text in ("Do not fund", "Fund", "Keep", "No consensus")},
    "panel/reports/kept.py": {"fairpanel:report:…:…": "a Redis key"},
    "panel/reports/presenters.py": {
        "panel decision": "what decided an application, in the report's CSV (an export)"},
    "panel/reports/rank_model_jobs.py": {"model references": CACHE, "rank model inputs": CACHE},
    "panel/reports/ranking_views.py": {"ranking page": CACHE},
    "panel/reports/report.py": {text: EXPORT for text in (
        "Applications", "Groups", "Overrides", "Warnings")},
    "panel/reports/views.py": {
        "checking kit": "the download's kind: " + TRAIL,
        "verification kit": "the download's kind: " + TRAIL,
        "Cookie": "an HTTP header (Vary)",
    },
    "panel/rounds/content.py": {
        '<span lang="en">{}</span>': "markup around the round's English text",
        ' <span class="fp-only-english">{}</span>': "markup around the round's English text",
    },
    "panel/rounds/rules_time_zones.py": {"Europe/London": "a time zone's name",
                                         "HH:mm": "a Babel time pattern"},
    "panel/rounds/services.py": {
        "Academic": ROUND_DATA, "Lived experience": ROUND_DATA,
        "all applications": "the trail's shorthand for every application: " + TRAIL,
    },
    "panel/rounds/setup.py": {
        "Excellent": ROUND_DATA, "Good": ROUND_DATA, "Very weak": ROUND_DATA,
        "Weak": ROUND_DATA,
        "update_details() got unexpected keywords …": "a TypeError, for a programmer",
    },
    "panel/scoring/figures.py": {"sheet blocks": CACHE},
    "panel/scoring/forms.py": {text: (
        "a scale's default descriptors, matched against the round's (round data)")
        for text in ("Very weak", "Weak", "Excellent", "Good")},
    "panel/scoring/rank_model.py": {"Int64": DTYPE},
    "panel/scoring/rules_voice.py": {"Int64": DTYPE},
    "panel/scoring/rules.py": {
        "After the panel's decisions the funded applications ask for £…, over the budget "
        "of £….": ("a warning kept in the report (cached for every reader) and written into "
                   "its XLSX and the board pack"),
    },
    "panel/scoring/sheet_views.py": {"Lax": "a cookie's SameSite value"},
    "panel/web.py": {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'; object-src 'none'": "the Content-Security-Policy header's value",
    },
}


def loose(path: str) -> list[tuple[int, str]]:
    """The loose strings of ``path`` that are not the machine's by where they stand."""
    machine = machine_text(ROOT / path)
    return [found for found in loose_python_text(ROOT / path) if found not in machine]


@pytest.mark.parametrize("path", MODULES)
def test_a_module_has_no_english_outside_gettext(path):
    found = loose(path)
    if path in WHOLE_MODULE:
        assert found, f"WHOLE_MODULE lists {path}, which no longer has loose strings: remove it"
        return
    allowed = NOT_FOR_PEOPLE.get(path, {})
    assert [(line, text) for line, text in found if text not in allowed] == [], (
        f"{path} has words gettext never sees: write each message whole inside _() "
        "(ngettext for a count, _l at module level), or say in "
        "tests/i18n/test_every_module.py why a string is not for people")
    assert sorted(set(allowed) - {text for _, text in found}) == [], (
        f"NOT_FOR_PEOPLE lists strings {path} no longer has: remove them")


def test_every_allowance_names_a_module_that_exists():
    assert sorted((set(NOT_FOR_PEOPLE) | set(WHOLE_MODULE)) - set(MODULES)) == []
    assert sorted(set(NOT_FOR_PEOPLE) & set(WHOLE_MODULE)) == []


SAMPLE = '''
import logging

from flask import Blueprint, flash
from flask_babel import gettext as _
from sqlalchemy import CheckConstraint, text

log = logging.getLogger(__name__)
bp = Blueprint("sample", __name__)


class Thing:
    __tablename__ = "sample things"
    __table_args__ = (CheckConstraint("state IN ('open', 'shut')"),)


@bp.route("/things/<int:thing_id>/shut down")
def shut(thing_id):
    log.warning("Shutting thing %s down", thing_id)
    db.session.execute(text("UPDATE things SET state = 'shut' WHERE id = :id"))
    response.headers["Content-Disposition"] = 'attachment; filename="things list.csv"'
    flash(_("The thing is shut."))
    flash("The thing is shut for good.")
    return f"{thing_id} things shut"
'''


def test_it_catches_a_hand_made_sample(tmp_path):
    """The machine's strings in the sample are passed over by where they stand; the two
    sentences a person reads outside gettext are caught, and the marked one is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    machine = machine_text(sample)
    caught = [text for found in loose_python_text(sample) if found not in machine
              for text in [found[1]]]
    assert caught == ["The thing is shut for good.", "… things shut"]
    assert {text for _, text in machine} == {
        "sample things", "state IN ('open', 'shut')", "/things/<int:thing_id>/shut down",
        "Shutting thing %s down", "UPDATE things SET state = 'shut' WHERE id = :id",
        "Content-Disposition", 'attachment; filename="things list.csv"'}
