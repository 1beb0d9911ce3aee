"""Whole round bundles in the browser: upload a .zip, preview, create; download a round."""
from __future__ import annotations

import io
import re
import shutil
import zipfile

import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.rounds.queries import round_by_slug
from tests.builders.bundles import DEMO, _zip, round_rows
from tests.support.jobs import finish_job
from tests.support.web import csrf_token


def _upload(client, data: bytes):
    page = client.get("/rounds/import").get_data(as_text=True)
    return client.post("/rounds/import", content_type="multipart/form-data",
                       data={"csrf_token": csrf_token(page), "file": (io.BytesIO(data), "demo.zip")})


def test_bundle_is_previewed_then_created_and_downloads_identically(app, officer, mailbox):
    before = round_rows()
    preview = _upload(officer, _zip(DEMO))
    html = preview.get_data(as_text=True)
    assert "Community assets and health inequalities 2026" in html
    assert re.search(r"Applications</dt><dd class=\"fp-summary-list__value\">22<", html)
    assert re.search(r"Panel</dt><dd class=\"fp-summary-list__value\">9 people<", html)
    assert round_rows() == before and mailbox.messages == []

    token = re.search(r'name="token" type="hidden" value="([^"]+)"', html).group(1)
    done = officer.post("/rounds/import/confirm",
                        data={"csrf_token": csrf_token(html), "token": token, "invite": "y"})
    result = finish_job(app, officer, done)
    assert "Community assets and health inequalities 2026 imported from demo.zip." in result
    assert 'href="/rounds/community-assets-2026/"' in result  # on to the new round
    round_ = round_by_slug("community-assets-2026")
    assert len(round_.applications) == 22 and round_.phase == "draft"
    assert len(mailbox.messages) == 9  # everyone on the panel was new to FairPanel

    download = officer.get("/rounds/community-assets-2026/bundle.zip")
    assert download.headers["Content-Disposition"] == 'attachment; filename="community-assets-2026.zip"'
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        exported = {name: archive.read(name) for name in archive.namelist()}
    assert exported["round.json"] == (DEMO / "round.json").read_bytes()
    assert exported["applications.csv"] == (DEMO / "applications.csv").read_bytes()
    assert db.session.scalars(sa.select(AuditEvent.action)
                              .order_by(AuditEvent.id.desc()).limit(1)).one() == "round.exported"


def test_a_bad_bundle_lists_every_problem_and_creates_nothing(app, officer, tmp_path):
    folder = tmp_path / "bundle"
    shutil.copytree(DEMO, folder)
    apps = (folder / "applications.csv").read_text().replace(",34500,", ",lots,", 1)
    (folder / "applications.csv").write_text(apps)
    panel = (folder / "panellists.csv").read_text().replace('"lived_experience"', '"residents"', 1)
    (folder / "panellists.csv").write_text(panel)
    before = round_rows()
    response = _upload(officer, _zip(folder))
    html = response.get_data(as_text=True)
    assert "The file has 2 problems. Fix them and upload it again. Nothing has been created." in html
    assert "applications.csv, row 2, column requested_amount" in html
    assert "panellists.csv, row 6, column group" in html
    assert round_rows() == before
