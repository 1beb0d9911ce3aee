"""Photograph the pages each reader sees, as the browser tests drive them:

    .venv/bin/python docs/screens/shoot.py

writes docs/screens/*.png (the window) and *-whole.jpg (the page from top to bottom) —

- the meeting (tests/browser/test_meeting_room.py, three items of a real meeting):
  chair-1280x800 (and -whole), chair-360x740, screen-1280x720, screen-1920x1080,
  follow-1280x800, follow-360x740 (and -whole);
- the community-voice story (tests/browser/test_voice_report_pages.py,
  test_for_panel_page.py and test_public_summary_page.py, on the demo round decided):
  report-1280x800 and report-360x740 for a funder's board (the window only: the whole
  report is megabytes as a picture), report-gaps-1280x800 and report-gaps-360x740 (a
  large round's gap table, listing the widest), for-panel-1280x800 and
  for-panel-360x740 for a lived-experience panellist, summary-1280x800 and summary-360x740
  for the public; each also as -whole;
- how sure the ranking is (tests/browser/test_rank_interval_pages.py, the worked example
  with a hand-made model result): ranking-intervals-* for the officer,
  draw-intervals-* for the chair at the draw (1280x800 is the projector's view) and
  report-sure-* for a funder's board, each at 1280x800 and 360x740, and leniency-1280x800
  (the officer's reviewer-leniency view);
- a panellist's own data (tests/browser/test_notices.py, which also checks the privacy
  notice and the accessibility statement): my-data-1280x800 and my-data-360x740;
- a background job followed to its end by an officer (tests/browser/
  test_job_progress_page.py): job-waiting-* and job-done-* at 1280x800 and 360x740;
- a lived-experience panellist scoring on a phone (tests/browser/test_scoring_pages.py):
  question-360x740 and check-360x740-whole; an academic on a laptop with every question
  on one page: sheet-1280x800 and sheet-360x740;
- a panellist who reads Welsh scoring one application (tests/browser/
  test_welsh_scoring.py): question-cy-* and check-cy-* at 360x740 and 1280x800 (and
  check-cy-*-whole), to see that the Welsh, a fifth longer than the English, fits;
- an officer setting up a round (tests/browser/test_setup_journeys.py): the panel import
  page with its templates, panel-import-360x740 and panel-import-1280x800, and the
  preview of a file naming groups by label, panel-preview-*; the round's
  pages on a phone with the compact menu closed and open, round-menu-360x740 and
  round-menu-open-360x740, and the tabs on a laptop, round-tabs-1280x800.
- paying panellists for their time (tests/browser/test_payment_pages.py): the officer's
  payment-setup-1280x800 and -360x740 and payment-rate-360x740 (a refused pay); a
  lived-experience panellist's round-welcome-360x740 (whole: the round's page saying the
  funder, deadline, how long, the pay and whom to ask), my-time-360x740 (whole), my-time-correction-360x740
  (whole), my-pay-choice-360x740 and my-time-1280x800; the officer's payments-1280x800
  and payments-360x740;
- a panellist reading in Welsh (tests/browser/test_welsh_content_page.py): their round's
  page with the deadline in BST and the Welsh title, welsh-round-360x740 and
  welsh-round-1280x800, and the application's page with its Welsh title and an
  English-only lay summary with its note, welsh-application-360x740 and -1280x800.
- Welsh (tests/browser/test_language_pages.py): a panellist who pressed "Cymraeg" on
  the sign-in page, welsh-sign-in-360x740 and -1280x800, and signed in from the Welsh
  e-mail, welsh-my-rounds-360x740 and -1280x800 (the switch beside the name in the
  compact phone header).
- issue 21's journey in Welsh (tests/browser/test_language_journey.py, 360x740): the
  page the Welsh sign-in e-mail lands on, journey-cy-email-link; My rounds with the
  deadline in BST, journey-cy-my-rounds; the first question with the Welsh criterion and
  level words, journey-cy-question; the round's page thanking them, journey-cy-sent.

It runs those browser tests, so the pictures are of pages the tests have just checked
(axe, no sideways scrolling, the small-group rule, the words a reader should see).
Pass test names to photograph fewer, e.g. ``shoot.py test_meeting_room.py``."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TESTS = [
    "test_meeting_room.py",
    "test_voice_report_pages.py::test_the_report_names_projects_draws_to_scale_and_speaks_in_words",
    "test_voice_report_pages.py::test_a_large_round_s_gap_table_says_it_lists_the_widest",
    "test_for_panel_page.py",
    "test_public_summary_page.py",
    "test_notices.py",
    "test_rank_interval_pages.py",
    "test_job_progress_page.py",
    "test_scoring_pages.py::test_panellist_scores_an_application_by_touch",
    "test_scoring_pages.py::test_an_academic_scores_on_one_page_by_keyboard_in_under_20_key_presses",
    "test_welsh_scoring.py",
    "test_setup_journeys.py",
    "test_payment_pages.py",
    "test_welsh_content_page.py",
    "test_language_pages.py",
    "test_language_journey.py",
]

if __name__ == "__main__":
    chosen = sys.argv[1:] or TESTS
    env = {**os.environ, "FAIRPANEL_SCREENS": str(HERE)}
    sys.exit(subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider",
         *(f"tests/browser/{name}" for name in chosen)], cwd=ROOT, env=env))
