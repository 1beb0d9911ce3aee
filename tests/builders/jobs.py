"""Background jobs as the crawling tests need them: a finished download."""
from __future__ import annotations

import uuid

from panel.accounts.models import User
from panel.extensions import db
from panel.jobs import progress
from panel.jobs.models import DONE, Job
from panel.rounds.models import Round


def prepared_download(officer: User, round_: Round) -> Job:
    """A finished background download of ``round_``'s report, asked for by ``officer``
    (flushed, not committed)."""
    job = Job(kind="reports.export", round_id=round_.id, user_id=officer.id, state=DONE,
              attempts=1, result="Report.csv is ready.", message_id=str(uuid.uuid4()))
    db.session.add(job)
    db.session.flush()
    progress.keep_file(job, f"{round_.slug}-report.csv", "text/csv; charset=utf-8",
                       b"reference\r\nA1\r\n")
    return job
