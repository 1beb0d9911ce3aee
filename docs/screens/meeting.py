"""Photograph the meeting's pages: the chair's page, the shared screen and a panellist's
phone, as tests/browser/test_meeting_room.py drives them through three items.

    .venv/bin/python docs/screens/meeting.py

writes docs/screens/*.png (chair-1280x800 and -whole, chair-360x740, screen-1280x720,
screen-1920x1080, follow-1280x800, follow-360x740, follow-360x740-whole). It runs that
browser test, so the pictures are of pages the test has just checked (axe, the
lone-member rule, no scrolling on the shared screen, nothing under 16 px on the phone)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

if __name__ == "__main__":
    env = {**os.environ, "FAIRPANEL_SCREENS": str(HERE)}
    sys.exit(subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-n", "0",
         "tests/browser/test_meeting_room.py"], cwd=ROOT, env=env))
