"""Time and pay are personal (docs/payments.md, docs/privacy.md): they never reach the
rankings, the reports, the public summary, other panellists or the verification kits;
the member downloads their own with the rest of their data; erasing them empties their
notes and their sealed values."""
from __future__ import annotations

import io
import json
import re
import zipfile

from sqlalchemy import select

from panel.accounts import erasure
from panel.accounts.services import find_user
from panel.audit.kit import build_kit, build_public_kit
from panel.audit.models import AuditEvent, AuditPersonal
from panel.extensions import db
from panel.payments.models import TimeRecord
from panel.rounds import services as rounds
from tests.builders import people
from tests.builders.payments import ACADEMIC, LIVED, member_id, paid_round
from tests.support.web import submit

SLUG = "test-round"
NOTE = "NOTE-CANARY I read it twice at the library"
# £23.17 an hour for 1,234 minutes: 1234 × 2317 / 60 = 47,652.97p → £476.53.
RATE, MINUTES, PAY = "23.17", "1234", "476.53"
# The member's own values (the group's rate is the round's, and the auditor's kit may
# hold it; no report or panel page shows it either).
PERSONAL = (NOTE, "NOTE-CANARY", PAY, "47653", MINUTES)
SECRETS = (*PERSONAL, RATE, "2317")


def _paid_and_scored(app, mailbox, officer, phase: str = "decided"):
    """Lived experience paid £23.17 an hour; the lived member corrects A1 to 1,234
    minutes with NOTE, chooses not to be paid, sends A1; the officer approves; the round
    moves on to ``phase``."""
    round_ = paid_round("draft", hourly=None, meeting_fee=None)
    submit(officer, f"/rounds/{SLUG}/setup/payment/lived_experience",
           {"hourly": RATE, "per_application": "", "meeting_fee": ""})
    round_.phase = "scoring"
    db.session.commit()
    lived = app.test_client()
    people.sign_in_by_link(lived, mailbox, LIVED)
    submit(lived, f"/my-time/{SLUG}/sheets/A1", {"minutes": MINUTES, "note": NOTE})
    page = lived.get(f"/my-rounds/{SLUG}/A1/all").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    submit(lived, f"/my-rounds/{SLUG}/A1/all", {"c_q": "4", "c_n": "3", "comment": "",
                                                "version": version, "action": "send"})
    mine = lived.get(f"/my-time/{SLUG}").get_data(as_text=True)
    assert f"£{PAY} so far" in mine, re.sub(r"\s+", " ", mine)[1500:3500]
    submit(lived, f"/my-time/{SLUG}/choice", {"choice": "declined"})
    rounds.change_phase(None, round_, "moderation", system="tests")
    db.session.commit()
    page = f"/rounds/{SLUG}/payments/{member_id(round_, LIVED)}"
    assert submit(officer, page, action=f"{page}/approve").status_code == 302
    for step in ("decided", "published")[:("decided", "published").index(phase) + 1]:
        rounds.change_phase(None, round_, step, system="tests")
        db.session.commit()
    return round_, lived


def _leaks(text: str, secrets: tuple[str, ...] = SECRETS) -> list[str]:
    """The secrets in ``text``, each standing alone (not inside a longer number or a
    hexadecimal hash, where a few digits may turn up by chance)."""
    return [secret for secret in secrets if re.search(
        rf"(?<![0-9a-fA-F]){re.escape(secret)}(?![0-9a-fA-F])", text)]


def test_time_and_pay_never_reach_the_reports_the_public_or_the_kits(app, mailbox, officer):
    round_, lived = _paid_and_scored(app, mailbox, officer, "published")
    pages = ["/rounds/test-round/report", "/rounds/test-round/report.csv",
             "/rounds/test-round/report/for-panel", "/rounds/test-round/report/summary",
             "/rounds/test-round/report/summary.csv", "/rounds/test-round/ranking"]
    for page in pages:
        response = officer.get(page)
        assert response.status_code == 200, page
        assert _leaks(response.get_data(as_text=True)) == [], page
    # The panel's own pages: another panellist, and the lived member's report page.
    academic = app.test_client()
    people.sign_in_by_link(academic, mailbox, ACADEMIC)
    for client in (academic, lived):
        page = client.get("/rounds/test-round/report/for-panel").get_data(as_text=True)
        assert _leaks(page) == []
    assert _leaks(academic.get(f"/my-time/{SLUG}").get_data(as_text=True)) == []
    assert academic.get(f"/rounds/{SLUG}/payments").status_code == 403
    # The verification kit (auditors) and the public kit hold the trail's hashed fields:
    # the member's minutes, note, pay and choice are sealed out of them.
    for kit in (build_kit(round_), build_public_kit(round_)):
        assert kit is not None
        trail = trail_of(kit)
        assert _leaks(trail, PERSONAL) == []
    assert "payment.approved" in trail_of(build_kit(round_))


def trail_of(kit: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(kit)) as archive:
        return archive.read("trail.csv").decode()


def test_the_trail_seals_every_personal_payment_value(app, mailbox, officer):
    _paid_and_scored(app, mailbox, officer)
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("time.%") | AuditEvent.action.like("payment.%"))).all()
    personal = {"minutes", "measured_minutes", "note", "pay", "declined"}
    seen = set()
    for event in events:
        for side in (event.before or {}, event.after or {}):
            for key in personal & set(side):
                if side[key] not in (None, "", [], {}):
                    assert set(side[key]) == {"sealed"}, (event.action, key)
                    seen.add(key)
        assert _leaks(json.dumps([event.before, event.after]), PERSONAL) == [], event.action
    assert {"minutes", "note", "pay", "declined"} <= seen


def test_the_member_s_own_data_holds_their_time_and_choice(app, mailbox, officer):
    _, lived = _paid_and_scored(app, mailbox, officer)
    data = json.loads(lived.get("/account/my-data.json").get_data(as_text=True))
    [place] = data["panel_places"]
    pay = place["time_and_payment"]
    assert pay["chose_not_to_be_paid"] is True and pay["approved_pay_pence"] == 0
    [a1] = [t for t in pay["time"] if t["what"] == "A1"]
    assert (a1["your_minutes"], a1["your_note"]) == (1234, NOTE)
    corrected = [e for e in data["trail"] if e["action"] == "time.corrected"]
    assert corrected and corrected[0]["after"]["note"] == NOTE and corrected[0]["by"] == "you"
    page = lived.get("/account/my-data").get_data(as_text=True)
    assert "You chose not to be paid" in page and "NOTE-CANARY" in page


def test_erasing_the_member_empties_their_time_notes_and_sealed_values(app, mailbox,
                                                                       officer):
    round_, _ = _paid_and_scored(app, mailbox, officer)
    user = find_user(LIVED)
    erasure.erase(None, user, reason="Asked to be forgotten", system="tests")
    db.session.commit()
    notes = db.session.scalars(select(TimeRecord.note).where(
        TimeRecord.round_id == round_.id)).all()
    assert notes and all(note == "" for note in notes)
    assert db.session.scalars(select(TimeRecord.claimed_minutes)).all() == [1234]
    stored = db.session.scalars(select(AuditPersonal.value)).all()
    assert not [value for value in stored if "NOTE-CANARY" in value]
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.in_(("time.corrected", "payment.approved",
                               "payment.choice_changed")))).all()
    assert events and all(not db.session.scalars(select(AuditPersonal).where(
        AuditPersonal.event_id == e.id)).all() for e in events)
