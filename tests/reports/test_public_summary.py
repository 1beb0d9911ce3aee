"""The public summary once a round is published: anyone reads it without signing in, it
may be cached, it holds no personal data, and it shows the columns the funder publishes
(Round.public_columns) for funded applications only. Before publication the public
learns nothing (404)."""
from __future__ import annotations

import io
import json
import re
from html import unescape

import pandas as pd
import pytest
from sqlalchemy import select

from panel.accounts.services import find_user
from panel.audit.anchors import round_anchor
from panel.audit.models import AuditEvent
from panel.bundle import bundle_files, import_bundle
from panel.extensions import db
from panel.reports.report import round_report
from panel.rounds import services as round_services
from panel.rounds import setup
from panel.rounds.models import Application
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.bundles import demo_bundle, problems_of, with_settings
from tests.builders.demo import DEMO_SLUG, OFFICER, personal_details

SUMMARY = f"/rounds/{DEMO_SLUG}/report/summary"
EMAIL = r"[\w.+-]+@[\w-]+\.[\w.]+"


def _publish(round_) -> None:
    round_services.change_phase(find_user(OFFICER), round_, "published")
    db.session.commit()


def _words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_anyone_reads_a_published_summary_and_may_cache_it(demo_decided, client):
    _publish(demo_decided)
    for url in (SUMMARY, SUMMARY + ".csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert "Cookie" in response.headers["Vary"]


def test_a_signed_in_reader_is_not_cached(demo_decided, client):
    _publish(demo_decided)
    people.sign_in_staff(client, OFFICER)
    assert client.get(SUMMARY).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("suffix", ["", ".csv"])
def test_before_publication_the_public_gets_404(demo_decided, client, suffix):
    assert demo_decided.phase == "decided"
    response = client.get(SUMMARY + suffix)
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_the_public_summary_has_no_personal_data_and_no_sign_in_link(demo_decided, client):
    _publish(demo_decided)
    html = client.get(SUMMARY).get_data(as_text=True)
    funded_csv = client.get(SUMMARY + ".csv").get_data(as_text=True)
    for secret in personal_details():
        assert secret not in html and secret not in funded_csv, secret
    assert not re.search(EMAIL, html) and not re.search(EMAIL, funded_csv)
    assert "flask audit verify" not in html
    assert "Back to the full report" not in html  # the report is not theirs to read
    assert "verification-kit" not in html  # the kit is for auditors (see test_kit.py)


def test_the_summary_names_the_funded_projects_community_voice_brought_in(demo_decided,
                                                                         client):
    """The public reads each group's story with the projects named, as the board does,
    but only projects the summary lists as funded: an unsuccessful application's title is
    never published, so the projects that would have been funded instead are counted."""
    _publish(demo_decided)
    report = round_report(demo_decided)
    text = _words(client.get(SUMMARY).get_data(as_text=True))
    apps = {a["reference"]: a for a in report["applications"]}
    for voice in report["groups"].values():
        named = [apps[r]["title"] for r in voice["funded_because"] if apps[r]["final_funded"]]
        assert named, voice["label"]  # the demo's story: both groups changed the funded set
        start = f"Without the {voice['label']} group's scores, “{named[0]}”"
        assert start in text
        sentence = text[text.index(start):].split(".")[0]
        others = len(voice["displaced_by"])
        assert f"{others} other project" in sentence
        for ref in voice["displaced_by"]:
            if not apps[ref]["final_funded"]:
                assert apps[ref]["title"] not in text, ref
    for a in report["applications"]:
        if not a["final_funded"]:
            assert f"“{a['title']}”" not in text, a["reference"]


def test_the_summary_says_in_plain_words_what_the_anchor_proves(demo_decided, client):
    _publish(demo_decided)
    text = _words(client.get(SUMMARY).get_data(as_text=True))
    anchor = round_anchor(demo_decided)
    assert ("When the round was decided, FairPanel recorded a fingerprint of the whole "
            "decision trail") in text
    assert ("If anyone later changed, added or removed a record, the fingerprint would no "
            "longer match.") in text
    assert f"event {anchor.event_id}, SHA-256 {anchor.event_hash}" in text


def test_public_columns_show_for_funded_applications_only(demo_decided, client):
    demo_decided.public_columns = ["organisation"]
    _publish(demo_decided)
    report = round_report(demo_decided)
    organisations = {a.reference: a.organisation for a in demo_decided.applications}
    funded = [a["reference"] for a in report["applications"] if a["final_funded"]]
    unfunded = [a["reference"] for a in report["applications"] if not a["final_funded"]]
    text = _words(client.get(SUMMARY).get_data(as_text=True))
    assert all(organisations[r] in text for r in funded)
    assert not any(organisations[r] in text for r in unfunded
                   if organisations[r] not in {organisations[f] for f in funded})
    table = pd.read_csv(io.BytesIO(client.get(SUMMARY + ".csv").data), dtype=str)
    assert list(table["organisation"]) == [organisations[r] for r in funded]


def test_a_persons_name_or_email_is_never_published_whatever_the_round_says(demo_decided,
                                                                             client):
    demo_decided.public_columns = ["applicant_name", "contact_email", "organisation"]
    _publish(demo_decided)
    html = client.get(SUMMARY).get_data(as_text=True)
    for application in db.session.query(Application).all():
        assert application.applicant_name not in html
        assert application.contact_email not in html


def test_the_officer_sets_public_columns_on_the_blind_page_and_it_is_audited(
        app, client):
    officer = people.staff()
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 10, 20)
    db.session.commit()
    changed = setup.set_blind(officer, round_, identifying_columns=[],
                              show_group_labels=True, lived_experience_first=True,
                              public_columns=["organisation"])
    db.session.commit()
    assert changed and round_.public_columns == ["organisation"]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.blind_changed").order_by(AuditEvent.id.desc())).first()
    assert event.after["public_columns"] == ["organisation"]
    people.sign_in_staff(client, officer.email)
    page = client.get(f"/rounds/{round_.slug}/setup/blind").get_data(as_text=True)
    assert 'name="public_columns"' in page and 'value="organisation"' in page


def test_round_json_carries_public_columns_both_ways(app, tmp_path):
    round_ = import_bundle(None, with_settings(demo_bundle(tmp_path),
                                               public_columns=["Organisation", "area"]),
                           system="tests")
    db.session.commit()
    assert round_.public_columns == ["organisation", "area"]
    assert json.loads(bundle_files(round_)["round.json"])["public_columns"] == [
        "organisation", "area"]


def test_round_json_may_not_publish_a_persons_name_or_email(app, tmp_path):
    problems = problems_of(with_settings(demo_bundle(tmp_path),
                                         public_columns=["applicant_name", "contact_email"]))
    assert [p.column for p in problems] == ["public_columns", "public_columns"]
    assert "never published" in problems[0].message
