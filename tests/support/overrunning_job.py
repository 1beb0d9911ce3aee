"""A job kind that runs past any short time limit (for tests/jobs/test_time_limit.py).
Importing this module declares the kind."""
from __future__ import annotations

import time

from panel.jobs.queue import job


@job("tests.overruns", "Test job that overruns", max_retries=0)
def overruns(row, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # short sleeps: the time limit interrupts between them
        time.sleep(0.05)
    return "ran to the end"
