"""Long work as a person follows it (issue 16): an import or a large round's download is
checked in the request, done by a background job, and followed on the job's own page —
its progress while it runs, then its result, the first problem that stopped it (with
nothing written), or the file it made."""
from __future__ import annotations

import csv
import io
import re
import shutil
import time

import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.jobs.models import Job
from panel.rounds.models import Application
from panel.rounds.queries import round_by_slug
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.bundles import DEMO, _zip, round_rows
from tests.support.jobs import finish_job, jobs_held, run_jobs
from tests.support.web import csrf_token

APPLICATIONS = 5_000


def _upload(client, path: str, content: bytes, filename: str):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page),
                                   "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _confirm(client, preview_html: str, action: str, **extra):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview_html).group(1)
    return client.post(action, data={"csrf_token": csrf_token(preview_html), "token": token,
                                     **extra})


def _big_bundle(tmp_path) -> bytes:
    """The demo bundle with 5,000 applications: its 22, and 4,978 more like them."""
    folder = tmp_path / "big"
    shutil.copytree(DEMO, folder)
    with (DEMO / "applications.csv").open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    for number in range(APPLICATIONS):
        row = dict(rows[number % len(rows)])
        if number >= len(rows):
            row.update(reference=f"BIG-{number:05d}", title=f"{row['title']} ({number})",
                       contact_email=f"contact{number}@big.example")
        writer.writerow(row)
    (folder / "applications.csv").write_text(out.getvalue(), encoding="utf-8")
    return _zip(folder)


def test_a_bundle_of_5000_applications_is_checked_in_the_request_written_by_a_job_and_shows_progress(
        app, officer, mailbox, tmp_path):
    before = round_rows()
    preview = _upload(officer, "/rounds/import", _big_bundle(tmp_path), "big.zip")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert re.search(r"Applications</dt><dd class=\"fp-summary-list__value\">5,?000<", html)
    assert round_rows() == before  # checked, nothing written

    started = _confirm(officer, html, "/rounds/import/confirm", invite="y")
    location = started.headers["Location"]
    assert re.fullmatch(r"/jobs/\d+", location)
    assert round_by_slug("community-assets-2026") is None  # the request wrote no round

    # Follow the job as the officer's browser would, until it has finished.
    seen, pages, deadline = [], [], time.monotonic() + 600
    while time.monotonic() < deadline:
        status = officer.get(f"{location}.json").get_json()
        seen.append(status)
        if status["finished"]:
            break
        if status["state"] == "running" and len(pages) < 3:
            pages.append(officer.get(location).get_data(as_text=True))
        time.sleep(0.02)
    assert seen[-1]["finished"] and seen[-1]["state"] == "done"
    running = [s for s in seen if s["state"] == "running"]
    assert running, "the job's page saw it running"
    assert any(s["stage"] for s in running)  # what it is doing, in words
    # Within each stage, progress only goes forward; the applications are counted.
    counted = [(s["stage"], s["done"]) for s in running if s["total"]]
    for (stage, done), (next_stage, next_done) in zip(counted, counted[1:]):
        assert next_stage != stage or next_done >= done, counted
    assert {s["total"] for s in running} & {APPLICATIONS}, "the applications were counted"
    assert pages and all("<progress" in page and "You can leave this page" in page
                         for page in pages)

    result = finish_job(app, officer, started)
    assert "Community assets and health inequalities 2026 imported from big.zip." in result
    round_ = round_by_slug("community-assets-2026")
    assert db.session.scalar(sa.select(sa.func.count(Application.id))
                             .where(Application.round_id == round_.id)) == APPLICATIONS
    assert len(mailbox.messages) == 9  # the panel's invitations, sent after the import


def test_an_import_the_round_no_longer_accepts_ends_with_the_first_problem_and_writes_nothing(
        app, officer):
    """The round changes between the confirmation and the job: another officer adds an
    application with the same reference. The job checks again, stops at the clash, and
    its page says where; nothing of the file is added."""
    round_ = round_builders.draft_round()
    good = ("reference,title,lay_summary,requested_amount,applicant_name,organisation,"
            "contact_email\nB1,Community fridge,A fridge.,1200,Jo,Fridge CIC,jo@f.example\n"
            "B2,Walks,Walks.,100,Sam,Walkers,sam@w.example\n")
    preview = _upload(officer, "/rounds/test-round/applications", good.encode(), "apps.csv")
    with jobs_held(app):
        started = _confirm(officer, preview.get_data(as_text=True),
                           "/rounds/test-round/applications/confirm")
        job = db.session.get(Job, int(started.headers["Location"].rsplit("/", 1)[1]))
        waiting = officer.get(started.headers["Location"]).get_data(as_text=True)
        assert "Waiting to start." in waiting and "<progress" in waiting
        # Before the worker gets to it, the same reference arrives another way.
        round_builders.applications(round_, 10)  # A1: no clash yet
        db.session.execute(sa.update(Application).where(Application.round_id == round_.id)
                           .values(reference="B2"))
        db.session.commit()
        before = round_rows()
    page = finish_job(app, officer, started)
    assert "This did not finish" in page
    assert "applications.csv, row 3, column reference" in page
    assert "Nothing was changed" in page
    db.session.refresh(job)
    assert (job.state, job.attempts) == ("failed", 1)  # not retried: retrying cannot help
    assert round_rows() == before


def test_a_large_round_s_download_is_prepared_by_a_job_for_the_person_who_asked(
        app, officer, worked_round):
    slug = worked_round.slug
    direct = officer.get(f"/rounds/{slug}/report.xlsx").data
    app.config["EXPORT_IN_BACKGROUND_FROM"] = 2  # the worked round's applications make it large
    page = officer.get(f"/rounds/{slug}/report").get_data(as_text=True)
    assert "This round is large" in page
    assert f'href="/rounds/{slug}/report.xlsx"' not in page
    assert "Prepare the report as an Excel workbook (XLSX)" in page
    exported = db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                                 .where(AuditEvent.action == "report.exported"))

    started = officer.post(f"/rounds/{slug}/report/prepare",
                           data={"csrf_token": csrf_token(page), "what": "xlsx"})
    result = finish_job(app, officer, started)
    assert "Report.xlsx is ready" in result and "Download the file" in result
    location = started.headers["Location"]
    download = officer.get(f"{location}/download")
    assert download.headers["Content-Disposition"] == \
        f'attachment; filename="{slug}-report.xlsx"'
    assert _sheets(download.data) == _sheets(direct)  # the same workbook as the direct link
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                             .where(AuditEvent.action == "report.exported")) == exported + 1

    # An admin may follow the job, but the file is only for the one who asked.
    people.staff("admin@example.org", "admin")
    admin = app.test_client()
    people.sign_in_staff(admin, "admin@example.org")
    assert admin.get(location).status_code == 200
    assert "Download the file" not in admin.get(location).get_data(as_text=True)
    assert admin.get(f"{location}/download").status_code == 404


def test_someone_else_s_job_is_not_found(app, officer, client):
    round_builders.draft_round()
    preview = _upload(officer, "/rounds/test-round/applications",
                      b"reference,title,lay_summary,requested_amount,applicant_name,"
                      b"organisation,contact_email\nB1,Fridge,A fridge.,1,Jo,F,jo@f.example\n",
                      "apps.csv")
    started = _confirm(officer, preview.get_data(as_text=True),
                       "/rounds/test-round/applications/confirm")
    run_jobs(app)
    people.staff("auditor@example.org", "auditor")
    people.sign_in_staff(client, "auditor@example.org")
    location = started.headers["Location"]
    assert client.get(location).status_code == 404
    assert client.get(f"{location}.json").status_code == 404


def _sheets(data: bytes) -> dict:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}
