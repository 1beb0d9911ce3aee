"""Bilingual round content (issue 21; panel/rounds/content.py): an application's Welsh
title and lay summary, a criterion's Welsh name, guidance and level words, and the
round's Welsh scale words. Imported from CSV and Excel, carried by bundles both ways
(written only when there is some Welsh), and shown to panellists reading in Welsh, with
the English marked lang="en" and a note where the Welsh is missing."""
from __future__ import annotations

import html as html_lib
import io
import json
import re

from openpyxl import Workbook

from panel.bundle import bundle_files, import_bundle
from panel.extensions import db
from tests.builders import people
from tests.builders.bundles import demo_bundle, edit
from tests.builders.rounds import draft_round, scoring_round
from tests.support.jobs import finish_job
from tests.support.web import confirm_upload, submit, upload

HEADINGS = ("reference,title,lay_summary,requested_amount,applicant_name,organisation,"
            "contact_email,title_cy,lay_summary_cy")
ROWS = [("W1", "Community fridge", "A fridge where people share food.", "1200", "Jo Bloggs",
         "Fridge CIC", "jo@fridge.example", "Oergell gymunedol",
         "Oergell lle mae pobl yn rhannu bwyd."),
        ("W2", "Walking group", "Weekly walks.", "500", "Sam Lee", "Walkers Trust",
         "sam@walk.example", "", "")]
NOTE_EN = "This is only available in English."
NOTE_CY = "Dim ond yn Saesneg mae hwn ar gael."
BASE = "/my-rounds/test-round/A1"


def _csv() -> bytes:
    lines = [HEADINGS, *(",".join(f'"{cell}"' for cell in row) for row in ROWS)]
    return ("\n".join(lines) + "\n").encode()


def _xlsx() -> bytes:
    book = Workbook()
    book.active.append(HEADINGS.split(","))
    for row in ROWS:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _imported(app, officer, content: bytes, name: str):
    round_ = draft_round()
    preview = upload(officer, "/rounds/test-round/applications", content, name)
    page = preview.get_data(as_text=True)
    assert "Check 2 applications" in page
    finish_job(app, officer, confirm_upload(officer, page, "/rounds/test-round/applications/confirm"))
    db.session.expire_all()
    return round_, {a.reference: a for a in round_.applications}


def _welsh_stored(round_, found) -> None:
    assert (found["W1"].title_cy, found["W1"].lay_summary_cy) == (
        "Oergell gymunedol", "Oergell lle mae pobl yn rhannu bwyd.")
    assert (found["W2"].title_cy, found["W2"].lay_summary_cy) == ("", "")
    # Round content, not extra columns, so never marked identifying or hidden.
    assert found["W1"].extra == {} and round_.identifying_columns == []


def test_a_csv_with_welsh_columns_is_imported_and_exported_back(app, officer):
    round_, found = _imported(app, officer, _csv(), "apps.csv")
    _welsh_stored(round_, found)
    exported = bundle_files(round_)["applications.csv"].decode().splitlines()
    assert exported[0] == HEADINGS
    assert exported[1].endswith('"Oergell gymunedol","Oergell lle mae pobl yn rhannu bwyd."')
    assert exported[2].endswith(',"",""')


def test_an_excel_file_with_welsh_columns_is_imported(app, officer):
    round_, found = _imported(app, officer, _xlsx(), "apps.xlsx")
    assert found["W1"].title_cy == "Oergell gymunedol"  # the Welsh a panellist will read
    _welsh_stored(round_, found)


def test_a_bundle_carries_the_welsh_both_ways_and_only_when_there_is_some(app, tmp_path):
    plain = import_bundle(None, demo_bundle(tmp_path, "plain"), system="tests")
    db.session.commit()
    files = bundle_files(plain)
    assert "_cy" not in files["round.json"].decode()
    assert "title_cy" not in files["applications.csv"].decode().splitlines()[0]

    folder = demo_bundle(tmp_path, "welsh")
    edit(folder, "applications.csv", "contact_email,area,", "contact_email,title_cy,area,")
    text = (folder / "applications.csv").read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace('"priya@northfieldgrowers.example",',
                              '"priya@northfieldgrowers.example","Tyfu bwyd gyda\'n gilydd",')
    text[2:] = [re.sub(r'("[^"]*@[^"]*"),', r'\1,"",', line, count=1) for line in text[2:]]
    (folder / "applications.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    spec = json.loads((folder / "round.json").read_text(encoding="utf-8"))
    spec["slug"] = "welsh-round"  # beside the plain one
    spec["scale"]["descriptors_cy"] = {"1": "Gwan iawn", "5": "Ardderchog"}
    spec["criteria"][0] |= {"name_cy": "Budd i iechyd a bywydau pobl",
                            "guidance_cy": "Meddyliwch am faint bydd hyn yn helpu pobl.",
                            "descriptors_cy": {"1": "Dim budd, neu fawr ddim"}}
    (folder / "round.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2),
                                       encoding="utf-8")
    round_ = import_bundle(None, folder, system="tests")
    db.session.commit()
    first = {a.reference: a for a in round_.applications}["CA-001"]
    assert first.title_cy == "Tyfu bwyd gyda'n gilydd" and first.extra["area"]
    benefit = round_.criteria[0]
    assert (benefit.name_cy, benefit.descriptors_cy) == (
        "Budd i iechyd a bywydau pobl", {"1": "Dim budd, neu fawr ddim"})
    assert round_.scale_descriptors_cy == {"1": "Gwan iawn", "5": "Ardderchog"}
    exported = bundle_files(round_)
    written = json.loads(exported["round.json"])
    assert written["scale"]["descriptors_cy"] == {"1": "Gwan iawn", "5": "Ardderchog"}
    assert {k: v for k, v in written["criteria"][0].items() if k.endswith("_cy")} == {
        "name_cy": "Budd i iechyd a bywydau pobl",
        "guidance_cy": "Meddyliwch am faint bydd hyn yn helpu pobl.",
        "descriptors_cy": {"1": "Dim budd, neu fawr ddim"}}
    assert not any(k.endswith("_cy") for k in written["criteria"][1])
    header = exported["applications.csv"].decode().splitlines()[0].split(",")
    assert header[7] == "title_cy" and "lay_summary_cy" not in header  # none has one


def _welsh_round():
    """The tests' scoring round; Amira and Bryn are each assigned A1."""
    round_ = scoring_round(members=("amira@example.org", "bryn@example.org"))
    a1 = round_.applications[0]
    a1.title_cy = "Tyfu bwyd gyda'n gilydd"  # and no Welsh lay summary
    quality = round_.criteria[0]
    quality.name_cy, quality.guidance_cy = "Ansawdd", "Pa mor dda yw'r cynllun?"
    round_.scale_descriptors = {"1": "Very weak", "2": "Weak", "3": "OK", "4": "Good",
                                "5": "Outstanding"}  # the round's own words
    round_.scale_descriptors_cy = {"1": "Gwan iawn", "2": "Gwan", "3": "Iawn", "4": "Da"}
    people.user_named("bryn@example.org").language = "cy"  # Bryn reads in Welsh
    db.session.commit()
    return round_


def _page(client, path: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", client.get(path).get_data(as_text=True)))


def _reader(app, mailbox, email: str):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    submit(client, f"{BASE}/connection", {"answer": "none"})
    return client


def test_a_welsh_reader_sees_the_welsh_and_a_note_where_there_is_none(app, mailbox):
    _welsh_round()
    bryn = _reader(app, mailbox, "bryn@example.org")
    page = _page(bryn, f"{BASE}/application")
    assert '<h1 class="fp-heading-l">Tyfu bwyd gyda\'n gilydd</h1>' in page
    assert "<title>Tyfu bwyd gyda'n gilydd" in page
    # No Welsh lay summary: the English, marked as English, and the note in Welsh.
    assert (f'<p class="fp-body"><span lang="en">A shared garden.</span> '
            f'<span class="fp-only-english">{NOTE_CY}</span></p>') in page
    question = _page(bryn, f"{BASE}/question/1")
    assert '<h1 class="fp-fieldset__heading">Ansawdd</h1>' in question
    assert "Pa mor dda yw'r cynllun?" in question
    assert ">4 – Da</label>" in question
    assert '>5 – <span lang="en">Outstanding</span></label>' in question  # no Welsh for 5
    # Need has no Welsh name: English, marked, with the note.
    second = _page(bryn, f"{BASE}/question/2")
    assert (f'<h1 class="fp-fieldset__heading"><span lang="en">Need</span> '
            f'<span class="fp-only-english">{NOTE_CY}</span></h1>') in second
    submit(bryn, f"{BASE}/question/1", {"score": "4", "version": "0"})
    check = _page(bryn, f"{BASE}/check")
    assert "Ansawdd" in check and "Da – 4 o 5" in check
    assert "Tyfu bwyd gyda'n gilydd" in _page(bryn, "/my-reviews/test-round")
    assert "Tyfu bwyd gyda'n gilydd" in _page(bryn, "/my-rounds/test-round")


def test_an_english_reader_sees_the_english(app, mailbox):
    _welsh_round()
    amira = _reader(app, mailbox, "amira@example.org")
    page = _page(amira, f"{BASE}/application")
    assert '<h1 class="fp-heading-l">Growing food together</h1>' in page
    assert '<p class="fp-body">A shared garden.</p>' in page
    assert "Tyfu" not in page and NOTE_EN not in page and 'lang="en"' not in page.replace(
        '<html lang="en-GB"', "")
    question = _page(amira, f"{BASE}/question/1")
    assert '<h1 class="fp-fieldset__heading">Quality</h1>' in question
    assert ">4 – Good</label>" in question and "Ansawdd" not in question


SETUP = "/rounds/test-round/setup"


def test_the_officer_gives_a_criterion_and_the_scale_their_welsh(app, officer):
    round_ = draft_round()
    page = officer.get(SETUP + "/criteria/q").get_data(as_text=True)
    assert "In Welsh (optional)" in page and 'name="level_5_cy"' in page
    response = submit(officer, SETUP + "/criteria/q", {
        "name": "Quality", "weight": "3", "name_cy": "Ansawdd",
        "guidance_cy": "Pa mor dda yw'r cynllun?", "level_1_cy": "Gwan iawn",
        "level_9_cy": "Not a level"})
    assert response.status_code == 302
    db.session.expire_all()
    quality = round_.criteria[0]
    assert (quality.name_cy, quality.guidance_cy, quality.descriptors_cy) == (
        "Ansawdd", "Pa mor dda yw'r cynllun?", {"1": "Gwan iawn"})
    descriptors = {f"level_{n}": words for n, words in
                   enumerate(("Very weak", "Weak", "OK", "Good", "Excellent"), start=1)}
    response = submit(officer, SETUP + "/scale/descriptors?min=1&max=5",
                      {**descriptors, "level_4_cy": "Da", "level_5_cy": "Ardderchog"})
    assert response.headers["Location"] == SETUP
    db.session.expire_all()
    assert round_.scale_descriptors_cy == {"4": "Da", "5": "Ardderchog"}
    page = officer.get(SETUP + "/scale/descriptors").get_data(as_text=True)
    assert 'value="Ardderchog"' in page
    # A Welsh name on more than one line is refused, with what to fix, and nothing changes.
    response = submit(officer, SETUP + "/criteria/q", {
        "name": "Quality", "weight": "3", "name_cy": "Ansawdd\nnewydd"})
    assert response.status_code == 200
    db.session.expire_all()
    assert round_.criteria[0].name_cy == "Ansawdd"
