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


def test_the_officer_chooses_public_columns_after_the_decision_and_it_is_audited(
        demo_decided, client):
    """What to publish is settled once the round is decided: the page works in any
    phase, refuses a person's name or e-mail address (changing nothing) and is audited."""
    people.sign_in_staff(client, OFFICER)
    page_url = f"/rounds/{DEMO_SLUG}/setup/publishing"
    report = client.get(f"/rounds/{DEMO_SLUG}/report").get_data(as_text=True)
    assert f'href="{page_url}">Choose which columns the public summary shows' in report
    page = client.get(page_url).get_data(as_text=True)
    assert 'name="public_columns"' in page and 'value="organisation"' in page
    assert 'value="applicant_name"' not in page and 'value="contact_email"' not in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    refused = client.post(page_url, data={"csrf_token": token,
                                          "public_columns": ["organisation", "contact_email"]})
    assert refused.status_code == 200
    assert "Choose only from the columns listed" in _words(refused.get_data(as_text=True))
    db.session.expire_all()
    assert demo_decided.public_columns == []

    saved = client.post(page_url, data={"csrf_token": token, "public_columns": ["organisation"]})
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(f"/rounds/{DEMO_SLUG}/report#downloads-heading")
    db.session.expire_all()
    assert demo_decided.public_columns == ["organisation"]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "round.public_columns_changed")).one()
    assert (event.before, event.after) == ({"public_columns": []},
                                           {"public_columns": ["organisation"]})
    _publish(demo_decided)
    funded_list = client.get(SUMMARY).get_data(as_text=True)
    assert "Organisation" in funded_list


def test_the_service_refuses_a_column_that_names_a_person(app):
    officer = people.staff()
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 10, 20)
    db.session.commit()
    with pytest.raises(setup.SetupError, match="contact_email cannot be published"):
        setup.set_public_columns(officer, round_, ["organisation", "contact_email"])


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
