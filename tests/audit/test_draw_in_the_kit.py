"""The standalone checker re-runs the draw near the funding line (DESIGN.md §3a) from a
round's public checking kit: the two lottery events are public records, shown in full,
and verify_trail.py (standard library only) checks sha256(r) against the commitment
and works the order out again."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from panel.audit import verify_trail
from panel.audit.anchors import anchor_round
from panel.audit.kit import build_public_kit
from panel.extensions import db
from panel.moderation import lottery
from tests.builders import people
from tests.support.commands import kit_rows, run_verifier


@pytest.fixture
def kit(lottery_round, tmp_path):
    officer = people.staff("officer@example.org", "officer")
    lottery.prepare_draw(officer, lottery_round)
    db.session.commit()
    drawn = lottery.draw(officer, lottery_round, "7 19 42")
    anchor_round(officer, lottery_round)
    db.session.commit()
    folder = tmp_path / "kit"
    zipfile.ZipFile(io.BytesIO(build_public_kit(lottery_round))).extractall(folder)
    return folder, drawn


def test_the_checker_re_runs_the_draw_from_the_public_kit(kit):
    folder, drawn = kit
    result = run_verifier(folder)
    assert result.returncode == 0, result.stdout
    assert (f"the draw at event {drawn.drawn_event_id} re-runs: "
            f"{', '.join(drawn.order)}") in result.stdout


def test_a_draw_that_does_not_re_run_is_named(kit):
    folder, _drawn = kit
    rows = kit_rows(folder)
    for row in rows:
        if row["action"] == "lottery.drawn":
            after = json.loads(row["after"])
            row["after"] = json.dumps({**after, "order": after["order"][::-1]})
    with pytest.raises(verify_trail.Broken, match="the draw re-runs as"):
        verify_trail.check_draws(rows)
    for row in rows:
        if row["action"] == "lottery.drawn":
            row["after"] = json.dumps({**json.loads(row["after"]), "secret": "00" * 32})
    with pytest.raises(verify_trail.Broken, match="does not match its commitment"):
        verify_trail.check_draws(rows)
