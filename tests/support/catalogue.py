"""Is everything a panellist or the public reads in the catalogues? (issue 21,
docs/translation.md).

- :func:`loose_text` finds words in a template that gettext never sees: text between
  tags, the attributes people read (``aria-label``, ``title``, ``alt``, ``placeholder``),
  and sentence-like string literals in expressions (``back("Back to your list")``), all
  outside ``_()``/``gettext()``/``ngettext()`` and ``{% trans %}`` blocks.
- :func:`loose_python_text` finds words for people in a Python module that gettext never
  sees: sentence-like string literals and f-strings outside ``_()``/``ngettext()``/
  ``_l()``, and the docstrings of ``click`` commands (which are their ``--help``).
- :func:`loose_raised_text` narrows that to the words a module raises in an exception
  (which views and commands show as refusals); :func:`raises_words` says whether a
  module raises any sentence at all.
- :func:`messages` extracts the messages of templates and Python modules as
  ``make translations`` does (babel.cfg's extractors and keywords).
- :func:`untranslated` lists those a language's catalogue has no finished translation for.
- :func:`compiled_differs` says whether a language's .mo is older than its .po.

``PANELLIST_FACING`` lists what panellists and the public read; the tests in
tests/i18n/test_catalogue.py hold every file in it to the three checks above.
``COMMAND_LINE`` lists the modules of the ``flask`` commands (staff-facing, English only);
tests/i18n/test_command_line_catalogue.py holds them to :func:`loose_python_text`.
"""
from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "panel" / "translations"
# The Makefile's `translations` target extracts with the same keywords (babel's defaults
# and these; tests/i18n/test_command_line_catalogue.py checks that they agree).
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None, "lazy_ngettext": (1, 2)}

# What panellists and the public read, relative to the repository root: templates (pages
# and e-mails) and the Python modules whose messages reach them (flash messages, form
# labels and errors, sentences built in code). One entry per line.
PANELLIST_FACING: list[str] = [
    # The round a new panel member is invited to (issue 20)
    "templates/emails/_round_details.txt",
    # The shell every page shares, sign-in and the person's own account pages (i18n1)
    "templates/base.html",
    "templates/macros/forms.html",
    "templates/macros/language.html",
    "templates/macros/pagination.html",
    "templates/macros/tables.html",
    "templates/errors/error.html",
    "templates/accounts/sign_in.html",
    "templates/accounts/check_email.html",
    "templates/accounts/sign_in_link.html",
    "templates/accounts/link_expired.html",
    "templates/accounts/invitation.html",
    "templates/accounts/account.html",
    "templates/accounts/my_data.html",
    "templates/home/index.html",
    "templates/home/my_rounds.html",
    "templates/home/privacy.html",
    "templates/home/accessibility.html",
    "templates/rounds/_welcome.html",
    "templates/conflicts/profile/connections.html",
    "templates/payments/my_record.html",
    "templates/payments/my_choice.html",
    "templates/payments/my_correction.html",
    "templates/emails/invitation.txt",
    "templates/emails/sign_in_link.txt",
    "templates/emails/scoring_open.txt",
    "templates/emails/reminder.txt",
    "templates/emails/report_published.txt",
    "templates/emails/security_notice.txt",
    "panel/web.py",
    "panel/access.py",
    "panel/accounts/views.py",
    "panel/accounts/forms.py",
    "panel/accounts/services.py",
    "panel/accounts/sessions.py",
    "panel/accounts/notices.py",
    "panel/home/views.py",
    "panel/conflicts/profile_forms.py",
    "panel/conflicts/profile_views.py",
    "panel/payments/my_views.py",
    "panel/payments/forms.py",
    "panel/payments/rules.py",
    "panel/payments/services.py",
    "panel/payments/queries.py",
    "panel/rounds/services.py",
    # Scoring, the meeting as a panellist sees it, the panel's report page and the
    # public summary (i18n2)
    "templates/scoring/_macros.html",
    "templates/scoring/application.html",
    "templates/scoring/applications.html",
    "templates/scoring/check.html",
    "templates/scoring/comment.html",
    "templates/scoring/connection.html",
    "templates/scoring/connection_kind.html",
    "templates/scoring/pass.html",
    "templates/scoring/question.html",
    "templates/scoring/reviews.html",
    "templates/scoring/sheet.html",
    "templates/scoring/status.html",
    "panel/scoring/forms.py",
    "panel/scoring/queries.py",
    "panel/scoring/reviews_views.py",
    "panel/scoring/services.py",
    "panel/scoring/sheet_views.py",
    "panel/scoring/views.py",
    "panel/conflicts/models.py",
    "templates/moderation/follow.html",
    "templates/moderation/_follow_live.html",
    "templates/moderation/_live.html",
    "templates/moderation/_item.html",
    "templates/moderation/revise.html",
    "templates/moderation/revise_check.html",
    "templates/moderation/revise_question.html",
    "templates/moderation/revise_macros.html",
    "templates/moderation/_revise_live.html",
    "templates/moderation/screen.html",
    "templates/moderation/_screen_live.html",
    "panel/moderation/forms.py",
    "panel/moderation/models.py",
    "panel/moderation/presenters.py",
    "panel/moderation/revise_views.py",
    "panel/moderation/services.py",
    "templates/reports/for_panel.html",
    "templates/reports/_for_panel_link.html",
    "templates/reports/summary.html",
    "templates/reports/_macros.html",
    "templates/reports/_over_budget.html",
    "panel/reports/budget.py",
    "panel/reports/panel_page.py",
    "panel/reports/voice_text.py",
    # Times in the round's zone and the round's Welsh content (tz)
    "panel/rounds/times.py",
    "panel/rounds/content.py",
    # The one-line check of names and titles, which a panellist's connections form and
    # the officer's forms share (mark)
    "panel/forms.py",
    # Labels built in Python that reach pages (labels): the sentences, chart headings and
    # "Not in a group" of the report page and the public summary. (panel/moderation/
    # models.py's short outcome words, which the meeting pages and the report page show,
    # and panel/conflicts/models.py's words for conflicts are listed above.)
    "panel/reports/presenters.py",
    # What anyone not signed in is told when a page needs them to sign in (leftover)
    "panel/accounts/auth.py",
]

# What only staff read (officers, chairs, auditors, admins): marked for gettext so the
# pages can be translated, though they stay English until a Welsh catalogue for them is
# commissioned (issue 21). tests/i18n/test_staff_catalogue.py holds every template here
# to :func:`loose_text`; Welsh is not required. One entry per line.
STAFF_FACING: list[str] = [
    # A round's set-up and progress pages, and the list of rounds (i18n3)
    "templates/rounds/_round_nav.html",
    "templates/rounds/index.html",
    "templates/rounds/progress/_macros.html",
    "templates/rounds/progress/assignment_preview.html",
    "templates/rounds/progress/assignments.html",
    "templates/rounds/progress/background.html",
    "templates/rounds/progress/dashboard.html",
    "templates/rounds/progress/phase.html",
    "templates/rounds/progress/phase_back.html",
    "templates/rounds/progress/phase_forward.html",
    "templates/rounds/progress/reviewers.html",
    "templates/rounds/setup/_page.html",
    "templates/rounds/setup/blind.html",
    "templates/rounds/setup/criteria.html",
    "templates/rounds/setup/details.html",
    "templates/rounds/setup/funding.html",
    "templates/rounds/setup/group.html",
    "templates/rounds/setup/groups.html",
    "templates/rounds/setup/new.html",
    "templates/rounds/setup/overview.html",
    "templates/rounds/setup/publishing.html",
    "templates/rounds/setup/rank_model.html",
    "templates/rounds/setup/remove.html",
    "templates/rounds/setup/retention.html",
    "templates/rounds/wrong_phase.html",
    "panel/rounds/progress_forms.py",
    "panel/rounds/progress_views.py",
    "panel/rounds/setup_forms.py",
    "panel/rounds/setup_rubric_views.py",
    "panel/rounds/setup_views.py",
    # Reviewing conflicts of interest, and setting and approving panellists' pay (i18n3)
    "templates/conflicts/review/_macros.html",
    "templates/conflicts/review/add.html",
    "templates/conflicts/review/dismiss.html",
    "templates/conflicts/review/matrix.html",
    "templates/conflicts/review/queue.html",
    "templates/payments/member.html",
    "templates/payments/rate.html",
    "templates/payments/records.html",
    "templates/payments/setup.html",
    "panel/conflicts/review_forms.py",
    "panel/conflicts/review_views.py",
    "panel/payments/record_views.py",
    "panel/payments/setup_views.py",
    # The chair's meeting pages and the draw, the ranking, leniency and the officer's
    # community voice report (i18n3; _item.html, _live.html, reports/_macros.html and
    # _over_budget.html are i18n2's)
    "templates/moderation/_chair_live.html",
    "templates/moderation/_draw_macros.html",
    "templates/moderation/agenda.html",
    "templates/moderation/chair.html",
    "templates/moderation/draw.html",
    "templates/moderation/prepare_draw.html",
    "templates/moderation/start.html",
    "templates/reports/leniency.html",
    "templates/reports/ranking.html",
    "templates/reports/report.html",
    "panel/moderation/forms.py",
    "panel/moderation/lottery_views.py",
    "panel/moderation/views.py",
    # Background jobs, the admin's pages and importing a round bundle or a panel (i18n3;
    # bundle/applications.html and preview_applications.html are T's; _upload.html still
    # glues a noun from the views)
    "templates/admin/erase.html",
    "templates/admin/invite.html",
    "templates/admin/jobs.html",
    "templates/admin/people.html",
    "templates/admin/person.html",
    "templates/bundle/bundle.html",
    "templates/bundle/panellists.html",
    "templates/bundle/preview_bundle.html",
    "templates/bundle/preview_panellists.html",
    "templates/jobs/progress.html",
    "templates/macros/interval_plot.html",
    "templates/macros/jobs.html",
    # The last staff pages (mark): staff sign-in and two-step sign-in (panellists have no
    # password and never see these), the auditor's pages, importing applications, a
    # criterion and the scale, the report's charts, the phase tag and entering a
    # panellist's scores for them
    "templates/accounts/change_password.html",
    "templates/accounts/recovery_codes.html",
    "templates/accounts/set_up_second_factor.html",
    "templates/accounts/sign_in_code.html",
    "templates/accounts/sign_in_recovery_code.html",
    "templates/accounts/staff_sign_in.html",
    "templates/emails/staff_use_password.txt",
    "templates/auditor/_macros.html",
    "templates/auditor/application.html",
    "templates/auditor/index.html",
    "templates/auditor/round.html",
    "templates/auditor/trail.html",
    "templates/auditor/verify.html",
    "templates/bundle/_upload.html",
    "templates/bundle/applications.html",
    "templates/bundle/preview_applications.html",
    "templates/reports/_charts.html",
    "templates/rounds/setup/criterion.html",
    "templates/rounds/setup/scale.html",
    "templates/rounds/setup/scale_descriptors.html",
    "templates/macros/rounds.html",
    "templates/scoring/assisted.html",
    "panel/accounts/account_views.py",
    "panel/accounts/models.py",
    "panel/admin/forms.py",
    "panel/admin/views.py",
    "panel/auditor/views.py",
    "panel/bundle/checks.py",
    "panel/bundle/forms.py",
    "panel/bundle/import_views.py",
    "panel/bundle/views.py",
    # Labels built in Python that reach staff pages (labels): "No group" and "Chair" beside
    # a member's name (named after the query, not in SQL), why a reviewer stays assigned,
    # a score sheet's "Initial"/"Revision N", and the trail's action labels, kinds of
    # action, objects and values (the trail's CSV keeps the action codes)
    "panel/rounds/progress.py",
    "panel/conflicts/queries.py",
    "panel/auditor/queries.py",
    "panel/auditor/trail.py",
    "panel/moderation/agenda_page.py",
    "panel/reports/leniency.py",
    "panel/reports/voice_charts.py",
    "panel/rounds/models.py",  # a phase as a sentence names it (the phase_words filter)
    # The command line (climsg): what the `flask` commands print for people, their errors
    # and their --help texts (DESIGN.md §8 fixes their names, options and outputs; what a
    # script reads, JSON, CSV, bundle files, slugs and paths, is not translated). Every
    # panel/**/*cli.py belongs here.
    "panel/cli.py",
    "panel/accounts/cli.py",
    "panel/auditor/cli.py",
    "panel/bundle/cli.py",
    "panel/demo/cli.py",
    "panel/jobs/cli.py",
    "panel/moderation/lottery_cli.py",
    "panel/reports/cli.py",
    "panel/rounds/cli.py",
    "panel/moderation/lottery.py",  # what verify-draw prints, and the draw pages' refusals
    # What services raise and the pages show as refusals, when only staff read them (errmark):
    # setting up a round and its phase checklist (the officer), the assignment plan's
    # warnings, reviewing conflicts (only officers reach panel/conflicts/review_views.py),
    # the chair's shared comments, erasing a person and two-step sign-in (admins and
    # staff), the jobs behind downloads, the audit anchors the auditor checks, and the
    # retry note of the e-mail job
    "panel/rounds/setup.py",
    "panel/rounds/phases.py",
    "panel/rounds/assignment.py",
    "panel/conflicts/services.py",
    "panel/moderation/comments.py",
    "panel/accounts/erasure.py",
    "panel/accounts/second_factor.py",
    "panel/reports/exports.py",
    "panel/reports/rank_model_jobs.py",
    "panel/jobs/queue.py",
    "panel/audit/anchors.py",
    "panel/audit/chain.py",
    "panel/mail/sending.py",
    # The round bundle's and the application import's messages (bundlemsg): what is wrong
    # with round.json and each table, the limits, the import jobs' stages and results, and
    # exporting a bundle; shown on the import pages and the jobs page, and printed by
    # `flask round import`. checks.py, import_views.py and cli.py are listed above;
    # tests/i18n/test_bundle_catalogue.py holds every panel/bundle module to
    # loose_python_text.
    "panel/bundle/export.py",
    "panel/bundle/history.py",
    "panel/bundle/jobs.py",
    "panel/bundle/limits.py",
    "panel/bundle/loading.py",
    "panel/bundle/source.py",
    "panel/bundle/spec.py",
    "panel/bundle/tables.py",
    # The last loose staff words (leftover): how sure the ranking is (the ranking page,
    # the draw, the chair's screen, leniency), the password rules and staff sign-in (only
    # staff have passwords), the retention job, conflict matching's progress stage
    "panel/scoring/rank_intervals.py",
    "panel/accounts/passwords.py",
    "panel/accounts/retention.py",
    "panel/conflicts/suggestions.py",
]

# Files that would otherwise look as if they held words for people, each with the reason
# they hold none of their own; tests/i18n/test_staff_catalogue.py checks that every
# template and every module with flash messages, validation errors or form fields is in
# one of the three lists.
NOT_WORDS_FOR_PEOPLE: dict[str, str] = {
    "templates/moderation/_head.html": "only the meeting pages' stylesheet and script tags",
    "panel/moderation/agenda_views.py": (
        "flashes only the refusals of panel/moderation/services.py, marked where they "
        "are written"),
    # Modules that raise sentences nobody reads on a page (errmark):
    "panel/__init__.py": (
        "refuses to start the server on a bad configuration: the operator reads it in the "
        "server's log, before any request or language"),
    "panel/gunicorn_conf.py": "the same start-up refusal as panel/__init__.py, for gunicorn",
    "panel/health.py": (
        "why a dependency is unhealthy, for /health's JSON and the operator's monitoring"),
    "panel/accounts/secret_box.py": (
        "SecretUnreadable is for the log: panel/accounts/second_factor.py catches it and "
        "shows its own marked message"),
    "panel/audit/verify_trail.py": (
        "the verifier shipped in the audit kit runs on Python's standard library alone, "
        "without FairPanel or gettext; it tells its faults apart by their English words"),
}

COMMAND_LINE: list[str] = [path for path in STAFF_FACING if path.endswith("cli.py")]


GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "_l",
                 "lazy_ngettext"}
READ_ATTRIBUTES = re.compile(
    r"""\b(aria-label|aria-description|title|alt|placeholder)\s*=\s*("[^"]*"|'[^']*')""")
TAG = re.compile(r"<[^>]*>")
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
ENTITY = re.compile(r"&#?\w+;")
WORD = re.compile(r"[A-Za-z]{2,}")
# A string literal that reads like words for people: starts with a capital and a small
# letter ("Back to your list", "Save"), or is a sentence with a space and a full stop.
SENTENCE = re.compile(r"^[A-Z][a-z]|^[a-z][^.]* [^.]*\.$")


def _environment() -> Environment:
    return Environment(extensions=["jinja2.ext.i18n"])


def loose_text(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every piece of ``path`` people would read in English whatever
    their language."""
    found: list[tuple[int, str]] = []
    tokens = list(_environment().lex(path.read_text(encoding="utf-8")))
    in_trans = False
    # The template's text with each Jinja tag, expression or {% trans %} block replaced
    # by a mark (keeping its line breaks), so HTML tags cut by an expression stay whole.
    flat: list[str] = []
    for index, (line, kind, value) in enumerate(tokens):
        if kind == "name" and value == "trans" and _after(tokens, index, "block_begin"):
            in_trans = True
        elif kind == "name" and value == "endtrans":
            in_trans = False
        elif kind == "string" and not in_trans and not _in_gettext(tokens, index):
            text = value[1:-1]
            if SENTENCE.search(text) and not _is_template_name(text):
                found.append((line, text))
        if kind == "data" and not in_trans:
            flat.append(value)
        else:
            flat.append(MARK + "\n" * value.count("\n"))
    return sorted(found + _words_between_tags("".join(flat)))


MARK = "\x00"
NOT_WORDS = re.compile(r"\bFairPanel\b")  # the product's name is the same in every language


def _after(tokens, index: int, kind: str) -> bool:
    """Whether the token before ``index`` (whitespace aside) is of ``kind``."""
    index -= 1
    while index >= 0 and tokens[index][1] == "whitespace":
        index -= 1
    return index >= 0 and tokens[index][1] == kind


def _in_gettext(tokens, index: int) -> bool:
    """Whether the string at ``index`` is an argument of a gettext call (directly, or
    inside another call that is one's argument)."""
    depth = 0
    opened = False  # just passed the "(" of a call the string is inside
    for _line, kind, value in reversed(tokens[:index]):
        if kind == "whitespace":
            continue
        if kind in ("variable_begin", "block_begin"):
            return False
        if opened:
            opened = False
            if kind == "name" and value in GETTEXT_CALLS:
                return True
        if kind == "operator" and value == ")":
            depth += 1
        elif kind == "operator" and value == "(":
            if depth == 0:
                opened = True
            else:
                depth -= 1  # a call the string is not inside (its name is skipped too)
    return False


def _is_template_name(text: str) -> bool:
    return text.endswith((".html", ".txt")) or "/" in text


def _words_between_tags(flat: str) -> list[tuple[int, str]]:
    found = []

    def line_of(position: int, within: str) -> int:
        return within.count("\n", 0, position) + 1

    def blank(match: re.Match) -> str:
        return "\n" * match.group(0).count("\n")

    flat = SCRIPT_OR_STYLE.sub(blank, HTML_COMMENT.sub(blank, flat))
    for tag in TAG.finditer(flat):
        for match in READ_ATTRIBUTES.finditer(tag.group(0)):
            value = match.group(2)[1:-1]
            if WORD.search(NOT_WORDS.sub("", value.replace(MARK, " "))):
                found.append((line_of(tag.start() + match.start(), flat),
                              f"{match.group(1)}={value.replace(MARK, '…')}"))
    text = TAG.sub(lambda match: " " + blank(match), flat)
    position = 0
    for piece in text.split(MARK):
        words = WORD.search(NOT_WORDS.sub("", ENTITY.sub(" ", piece)))
        if words:
            found.append((line_of(position + words.start(), text), " ".join(piece.split())))
        position += len(piece) + len(MARK)
    return found


# A piece of text with two words in it ("No account", "event X is intact"): words for
# people, where a Python module's identifiers, keys and command names have none or one
# ("report.exported", "utf-8", "json", "reset-two-step").
TWO_WORDS = re.compile(r"[A-Za-z]{2,}[\s,:;()\"“”]+[A-Za-z]{2,}")
# Keyword arguments whose strings are for the machine, not for people: the name a command
# records on the decision trail (``system="flask round import"``).
NOT_FOR_PEOPLE = {"system"}
COMMAND_DECORATORS = {"command", "group"}


def loose_python_text(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every piece of the Python module at ``path`` that people would read
    in English whatever their language: a string literal or f-string (``{…}`` shown as
    "…") with two words in it or that reads like a sentence, outside a gettext call; and
    the docstring of a ``click`` command, which is its ``--help`` (give ``help=_l(…)``).
    Docstrings of the module and of other functions are for programmers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node, text in _strings(tree, parents):
        docstring_of = _docstring_of(node, parents)
        if docstring_of is not None:
            if _is_command(docstring_of):
                found.append((node.lineno, f"--help of {docstring_of.name}: {text.strip()}"))
            continue
        if _for_people(text) and not _in_gettext_call(node, parents):
            found.append((node.lineno, text))
    return sorted(found)


def _strings(tree: ast.AST, parents: dict):
    """(node, text) of every string literal and f-string (``{…}`` shown as "…") in
    ``tree``, an f-string's pieces aside."""
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and not isinstance(parents[node], ast.FormattedValue):
            yield node, "".join(part.value if isinstance(part, ast.Constant) else "…"
                                for part in node.values)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and not isinstance(parents[node], ast.JoinedStr)):
            yield node, node.value


# Exceptions that only ever tell a programmer they called something wrongly: never shown
# to people, so their words need no gettext.
PROGRAMMER_ERRORS = {"TypeError", "AssertionError", "NotImplementedError", "KeyError",
                     "AttributeError"}


def loose_raised_text(path: Path) -> list[tuple[int, str]]:
    """(line, text) of the loose words (:func:`loose_python_text`) that the Python module
    at ``path`` raises in an exception, where a view or a command shows them to people:
    in the ``raise`` statement itself (``raise XError("…")``, an f-string, a sentence
    glued from pieces), or in a name the raise uses that the module sets to words
    (``people = "1 record is"`` … ``raise XError(f"{people} …")``). Programmer errors
    (``PROGRAMMER_ERRORS``) are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    spans = []
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and node.exc is not None and not _programmer_error(node):
            spans.append((node.lineno, node.end_lineno))
            names |= {name.id for name in ast.walk(node.exc) if isinstance(name, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id in names
                   for target in targets):
                spans.append((node.lineno, node.end_lineno))
    return [(line, text) for line, text in loose_python_text(path)
            if any(start <= line <= end for start, end in spans)]


def raises_words(path: Path) -> bool:
    """Whether the module at ``path`` raises an exception with words for people in it: a
    string or f-string argument that reads like a sentence (programmer errors aside)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                and not _programmer_error(node)):
            for argument in node.exc.args:
                function = getattr(argument, "func", None)
                if (isinstance(argument, ast.Call) and argument.args
                        and getattr(function, "id", None) in GETTEXT_CALLS):
                    argument = argument.args[0]  # marked already: words all the same
                if isinstance(argument, ast.JoinedStr):
                    text = "".join(part.value if isinstance(part, ast.Constant) else "…"
                                   for part in argument.values)
                elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    text = argument.value
                else:
                    continue
                if _for_people(text):
                    return True
    return False


def _programmer_error(node: ast.Raise) -> bool:
    exception = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
    return getattr(exception, "id", None) in PROGRAMMER_ERRORS


def _for_people(text: str) -> bool:
    text = NOT_WORDS.sub("", text)
    return bool(TWO_WORDS.search(text) or SENTENCE.search(text.strip()))


def _docstring_of(node: ast.AST, parents: dict):
    """The module, class or function whose docstring ``node`` is, if it is one."""
    statement = parents.get(node)
    if not isinstance(statement, ast.Expr):
        return None
    owner = parents[statement]
    if (isinstance(owner, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and owner.body[0] is statement):
        return owner
    return None


def _is_command(owner: ast.AST) -> bool:
    for decorator in getattr(owner, "decorator_list", []):
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = call.attr if isinstance(call, ast.Attribute) else getattr(call, "id", None)
        if name in COMMAND_DECORATORS:
            return True
    return False


def _in_gettext_call(node: ast.AST, parents: dict) -> bool:
    """Whether ``node`` is (inside) an argument of a gettext call, or the value of a
    keyword argument that is for the machine."""
    while node in parents:
        parent = parents[node]
        if isinstance(parent, ast.keyword) and parent.arg in NOT_FOR_PEOPLE:
            return True
        if isinstance(parent, ast.Call) and node is not parent.func:
            function = parent.func
            name = (function.attr if isinstance(function, ast.Attribute)
                    else getattr(function, "id", None))
            if name in GETTEXT_CALLS:
                return True
        node = parent
    return False


def messages(paths: list[str]) -> set[str | tuple[str, str]]:
    """The msgids (a (singular, plural) pair for plurals) that ``paths`` contribute."""
    found: set[str | tuple[str, str]] = set()
    for relative in paths:
        method = "jinja2" if relative.startswith("templates/") else "python"
        for _line, message, _comments, _context in extract_from_file(
                method, ROOT / relative, keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else tuple(message[:2]))
    return found


@cache
def catalogue(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def untranslated(language: str, wanted: set[str | tuple[str, str]]) -> list:
    """The messages of ``wanted`` that ``language`` has no finished translation of
    (missing, empty, fuzzy, or a plural form left blank)."""
    known = catalogue(language)
    missing = []
    for message in sorted(wanted, key=str):
        entry = known.get(message if isinstance(message, str) else message[0])
        strings = entry.string if entry is not None else None
        done = (entry is not None and not entry.fuzzy and strings
                and all(strings if isinstance(strings, tuple) else [strings]))
        if not done:
            missing.append(message)
    return missing


def _translated(message) -> bool:
    """Whether ``message`` says something of its own: an untranslated plural (staff text,
    say) has empty forms in the .po, and Babel compiles it into the .mo as the English."""
    if isinstance(message.string, str):
        return bool(message.string)
    forms = list(message.string)
    singular, plural = message.id[0], message.id[1]
    return any(forms) and forms != [singular] + [plural] * (len(forms) - 1)


def compiled_differs(language: str) -> bool:
    """Whether ``language``'s compiled .mo says something its .po does not (or the other
    way round): someone edited the .po without ``make translations``."""
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").open("rb") as file:
        compiled = read_mo(file)

    def said(catalog) -> dict:
        # A plural's id and forms come as lists from a .mo, tuples from a .po.
        return {_hashable(message.id): _hashable(message.string) for message in catalog
                if message.id and _translated(message) and not message.fuzzy}
    return said(compiled) != said(catalogue(language))


def _hashable(value):
    return tuple(value) if isinstance(value, (list, tuple)) else value


# Strings every module has that are for the machine, recognised by where they stand
# (tests/i18n/test_every_module.py): the arguments of decorators other than those whose
# words people read (routes, event listeners), URL rules, SQL and the schema's arguments,
# logger calls' messages, HTTP headers and content types, a model's table names and a
# module's ``__all__``.
DECORATORS_WITH_WORDS = {"job", "command", "group", "option", "argument"}
SCHEMA_CALLS = {"CheckConstraint", "UniqueConstraint", "Index", "ForeignKey", "relationship",
                "mapped_column", "Column", "backref", "text", "literal_column", "execute",
                "exec_driver_sql", "add_url_rule"}
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
TABLE_NAMES = {"__tablename__", "__table_args__", "__mapper_args__", "__all__"}
HEADER_KEYWORDS = {"headers", "mimetype", "content_type"}
HEADER_NAME = re.compile(r"^[A-Z][a-z]+(-[A-Z][a-z]+)+$")
CONTENT_TYPE = re.compile(r"^[a-z]+/[\w.+-]+(; ?charset=[\w-]+)?$")
SQL = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|COPY|PRAGMA|BEGIN|SET|WITH|CREATE|ALTER|"
                 r"DROP|LOCK)\b")


def machine_text(path: Path) -> set[tuple[int, str]]:
    """(line, text), as :func:`loose_python_text` gives them, of the strings in the module
    at ``path`` that are for the machine by where they stand (see ``SCHEMA_CALLS`` and
    the sets beside it), whatever words they hold."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = set()
    for node, text in _strings(tree, parents):
        if (HEADER_NAME.match(text) or CONTENT_TYPE.match(text) or SQL.match(text)
                or _for_machine(node, parents)):
            found.add((node.lineno, text))
    return found


def _name(node: ast.AST) -> str | None:
    return node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)


def _is_headers(node: ast.AST) -> bool:
    name = _name(node)
    return name is not None and name.lower().endswith("headers")


def _for_machine(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        parent = parents[node]
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node in parent.decorator_list:
                call = node.func if isinstance(node, ast.Call) else node
                return _name(call) not in DECORATORS_WITH_WORDS
            return False
        if isinstance(parent, ast.keyword) and parent.arg in HEADER_KEYWORDS:
            return True
        if isinstance(parent, ast.Call) and node is not parent.func:
            function = _name(parent.func)
            if function in SCHEMA_CALLS:
                return True
            if (function in LOG_METHODS and isinstance(parent.func, ast.Attribute)
                    and "log" in (_name(parent.func.value) or "").lower()):
                return True
            if (function in {"set", "add", "setdefault"}
                    and isinstance(parent.func, ast.Attribute) and _is_headers(parent.func.value)):
                return True
        if isinstance(parent, ast.Subscript) and _is_headers(parent.value):
            return True
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            return any((isinstance(target, ast.Name) and target.id in TABLE_NAMES)
                       or (isinstance(target, ast.Subscript) and _is_headers(target.value))
                       for target in targets)
        node = parent
    return False
