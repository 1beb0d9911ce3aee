"""How sure the ranking is (DESIGN.md §3a), computed in the background and kept per
round version: :func:`request` queues the job (``flask round rank-model``, and pages
that offer it), the job runs the model (:mod:`panel.scoring.rank_model`) on the round's
final counting sheets and keeps a :class:`~panel.scoring.models.RankModelResult`; the
report and the ranking page read it with :func:`kept`.

A kept result holds while what the model was given is unchanged (the counting sheets,
the weighting, the funding line: :func:`~panel.scoring.rank_model.inputs_digest`), so an
export recorded on the trail, which moves the round's version, does not lose it.
"""
from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, select

from panel.extensions import db
from panel.jobs.models import QUEUED, RUNNING, Job
from panel.jobs.progress import JobRefused, report
from panel.jobs.queue import job
from panel.moderation.lottery import lottery_of
from panel.moderation.meeting import version
from panel.rounds.models import RANK_MODEL_FROM, Application, Round
from panel.rounds.queries import round_by_slug
from panel.scoring import rank_model
from panel.scoring.figures import (
    RANKING,
    Figures,
    made_once,
    round_figures,
    sheet_blocks,
)
from panel.scoring.grey_zone import provisional_line_size
from panel.scoring.models import RankModelResult

KIND = "reports.rank_model"
KEPT_PER_ROUND = 5  # the newest results of a round kept; older ones go
REPORT_KEYS = ("expected_rank", "rank_interval_50", "rank_interval_90", "grey_zone")
NOTHING = dict.fromkeys(REPORT_KEYS)


def is_on(round_: Round, applications: int | None = None) -> bool:
    """Whether ``round_`` runs the model: its choice, or with ``auto`` (the default) from
    RANK_MODEL_FROM applications up."""
    if round_.rank_model != "auto":
        return round_.rank_model == "on"
    if round_.funding_rule == "lottery":  # its draw needs the model's grey zone
        return True
    if applications is None:
        applications = db.session.scalar(select(db.func.count(Application.id))
                                          .where(Application.round_id == round_.id))
    return applications >= RANK_MODEL_FROM


@dataclass(frozen=True)
class Inputs:
    """What the model is given, from a round's figures."""

    digest: str
    line: int  # L: how many the score-based funding line funds


def inputs_of(found: Figures, round_: Round | None = None) -> Inputs:
    """What the model is given. ``L`` is the score-based line before any draw: once the
    lots are drawn under the rule lottery, the funded set is the draw's, but the model
    (and the grey zone it marks) stays the one the draw was prepared from."""
    line = int(found.final.table["funded"].sum())
    if round_ is not None and round_.funding_rule == "lottery":
        lottery = lottery_of(round_)
        if lottery is not None and lottery.drawn:
            line = provisional_line_size(round_)
    # The applications and their sheets as the digest takes them, kept from one version
    # of the figures to the next (a revision changes neither the applications nor most
    # applications' sheets).
    references = made_once(found.applications, "model references",
                           lambda: sorted(map(str, found.applications["reference"].tolist())))
    return Inputs(rank_model.inputs_digest(
        found.counting, references, found.rules.weighting, found.rules.group_weights, line,
        blocks=sheet_blocks(found)), line)


# Computing ----------------------------------------------------------------------------------

def compute(round_: Round) -> RankModelResult:
    """Run the model on ``round_`` as it is now and keep its result (in the caller's
    transaction), keyed by the round's version."""
    report(_("Reading the round's sheets"), 0, 3)
    found = round_figures(round_, RANKING)
    inputs = inputs_of(found, round_)
    report(_("Working out the ranks and their intervals"), 1, 3)
    started = time.perf_counter()
    model = rank_model.rank_model(found.counting, found.applications["reference"],
                                  found.rules.weighting, found.rules.group_weights)
    seconds = time.perf_counter() - started
    report(_("Keeping the result"), 2, 3)
    at = version(round_)
    kept_row = db.session.scalar(select(RankModelResult).where(
        RankModelResult.round_id == round_.id, RankModelResult.version == at))
    if kept_row is None:
        kept_row = RankModelResult(round_id=round_.id, version=at)
        db.session.add(kept_row)
    kept_row.inputs, kept_row.seconds = inputs.digest, seconds
    kept_row.result = as_json(model, inputs.line)
    db.session.flush()
    _forget_old(round_)
    return kept_row


@job(KIND, _l("Working out how sure the ranking is"), max_retries=3)
def run(row, *, slug: str) -> str:
    round_ = round_by_slug(slug)
    if round_ is None:
        raise JobRefused(_("That round is no longer there."))
    kept_row = compute(round_)
    count = len(kept_row.result["applications"]["reference"])
    return ngettext("Expected rank worked out for %(count)s application in %(seconds)s s.",
                    "Expected ranks worked out for %(count)s applications in %(seconds)s s.",
                    count, count=f"{count:,}", seconds=f"{kept_row.seconds:.1f}")


def request(round_: Round, started_by: int | None = None) -> Job:
    """Queue the model for ``round_`` (sent after the caller's commit), unless a job for
    it is already waiting or running: that one is returned."""
    waiting = db.session.scalar(select(Job).where(
        Job.kind == KIND, Job.round_id == round_.id, Job.state.in_((QUEUED, RUNNING))))
    return waiting or run.enqueue(round_id=round_.id, started_by=started_by, slug=round_.slug)


def _forget_old(round_: Round) -> None:
    newest = select(RankModelResult.id).where(RankModelResult.round_id == round_.id) \
        .order_by(RankModelResult.version.desc()).limit(KEPT_PER_ROUND)
    db.session.execute(delete(RankModelResult).where(
        RankModelResult.round_id == round_.id,
        RankModelResult.id.not_in(newest.scalar_subquery())))


# The kept result ----------------------------------------------------------------------------

def as_json(model: rank_model.RankModel, line: int) -> dict[str, Any]:
    """The kept form of ``model``: columns, not rows (a round can hold 20,000
    applications), absent values None."""
    table = model.applications
    grey = rank_model.grey_zone(table, line)
    scored = table["expected_rank"].notna().to_numpy()

    def interval(name: str) -> list:
        low, high = _ints(table[f"rank_{name}_low"]), _ints(table[f"rank_{name}_high"])
        return [[lo, hi] if lo is not None else None for lo, hi in zip(low, high)]

    reviewers = model.reviewers
    return {
        "line": line, "draws": model.draws,
        "applications": {
            "reference": [str(ref) for ref in table.index],
            "score": _floats(table["score"], 6),
            "expected_rank": _floats(table["expected_rank"], 3),
            "rank_interval_50": interval("50"), "rank_interval_90": interval("90"),
            "grey_zone": [bool(g) if s else None for g, s in zip(grey.tolist(), scored)],
        },
        "reviewers": {
            "member": [int(m) if isinstance(m, (int, np.integer)) else str(m)
                       for m in reviewers.index],
            "group": [str(g) for g in reviewers["group"]],
            "sheets": [int(n) for n in reviewers["sheets"]],
            "leniency": _floats(reviewers["leniency"], 3),
            "leniency_90": [[lo, hi] for lo, hi in zip(_floats(reviewers["leniency_low"], 3),
                                                       _floats(reviewers["leniency_high"], 3))],
        },
        "groups": {str(g): {key: (round(float(v), 3) if isinstance(v, float) else int(v))
                            for key, v in row.items()}
                   for g, row in model.groups.to_dict("index").items()},
    }


def _floats(values, places: int) -> list:
    return [None if math.isnan(v) else round(v, places) for v in values.astype(float).tolist()]


def _ints(values) -> list:
    return [None if v is None else int(v)
            for v in values.astype(object).where(values.notna(), None).tolist()]


def kept(round_: Round, found: Figures | None = None) -> dict[str, Any] | None:
    """The kept result for ``round_`` as it is now (``found``: its figures, if the
    caller has them), or None: the model is off, or not yet worked out for these
    sheets."""
    on = is_on(round_, None if found is None else len(found.applications))
    digest = ""  # matches no result: the same one statement either way, whatever the round
    if on and found is not None:
        # Hashing 100,000 sheets takes about a second: once per version of the figures
        # (pages share them: panel.moderation.meeting.shown_figures), not per request.
        digest = made_once(found.final, "rank model inputs",
                           lambda: inputs_of(found, round_).digest)
    elif on:
        digest = inputs_of(round_figures(round_, RANKING), round_).digest
    found_id = db.session.scalar(select(RankModelResult.id).where(
        RankModelResult.round_id == round_.id, RankModelResult.inputs == digest)
        .order_by(RankModelResult.version.desc()).limit(1))
    if found_id is None:
        return None
    return _read_kept(found_id, digest)


_READ_GUARD = threading.Lock()
READ_KEPT = 8  # results each app keeps read (one is 1.6 MB of JSON at 20,000)


def _read_kept(row_id: int, digest: str) -> dict[str, Any]:
    """The result of row ``row_id``, read once per process: at 20,000 applications it is
    1.6 MB of JSON, and pages read it on every request. A row is only ever rewritten with
    the same inputs, whose result is the same (the model is seeded from its sheets), so
    (row, inputs) names one result. Kept with the app (a database of its own). Callers
    must not change what they are given."""
    key = (row_id, digest)
    with _READ_GUARD:
        read = current_app.extensions.setdefault("fairpanel.rank_model_read", OrderedDict())
        if key in read:
            read.move_to_end(key)
            return read[key]
    result = db.session.scalar(select(RankModelResult.result)
                               .where(RankModelResult.id == row_id))
    with _READ_GUARD:
        read[key] = result
        while len(read) > READ_KEPT:
            read.popitem(last=False)
    return result


def kept_and_on(round_: Round, found: Figures | None = None
                ) -> tuple[dict[str, Any] | None, bool]:
    """The kept result (as :func:`kept`) and whether the model is on for ``round_``: the
    source :mod:`panel.scoring.rank_intervals` reads, registered at start-up."""
    return kept(round_, found), is_on(round_, None if found is None else
                                      len(found.applications))


def for_report(round_: Round, found: Figures) -> dict[str, dict[str, Any]]:
    """Per application reference, the report's four keys (each None when the model is
    off or not yet worked out)."""
    result = kept(round_, found)
    if result is None:
        return {}
    columns = result["applications"]
    return {ref: dict(zip(REPORT_KEYS, values)) for ref, *values in zip(
        columns["reference"], *(columns[key] for key in REPORT_KEYS))}


def grey_zone_now(round_: Round) -> list[str] | None:
    """The grey zone the kept result marks for ``round_`` as it is now, or None when the
    model has not been worked out for these scores (or is off for the round): the source
    :mod:`panel.scoring.grey_zone` reads, registered at start-up."""
    result = kept(round_)
    if result is None:
        return None
    columns = result["applications"]
    return [ref for ref, grey in zip(columns["reference"], columns["grey_zone"]) if grey]
