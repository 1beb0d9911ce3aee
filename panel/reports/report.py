"""The report of a round (DESIGN.md §3, §8): the round's figures
(:mod:`panel.scoring.figures`, with community voice) shaped as the report dict, a CSV or
an Excel workbook. The page, the downloads and ``flask round report`` all start here."""
from __future__ import annotations

import io
from typing import IO, Any

import pandas as pd

from panel.audit.anchors import round_anchor
from panel.moderation.lottery import lottery_of
from panel.reports import voice_text as words
from panel.reports.rank_model_jobs import NOTHING, for_report
from panel.rounds.models import Round
from panel.scoring.figures import REPORT, Figures, for_panel, round_figures
from panel.spreadsheets import escape_frame, frame_csv

# The report dict ------------------------------------------------------------------------------

def round_report(round_: Round, panel: bool = False) -> dict[str, Any]:
    """The report of DESIGN.md §8 for ``round_``: JSON-ready, absent values None.

    With ``panel``, the report as panellists and the public may read it (DESIGN.md §4,
    small groups; :func:`panel.scoring.figures.for_panel`): the hidden figures are None,
    the round says its ``min_group_size``, and each application says in ``not_shown``
    how many members of each group whose figures it hides counted there."""
    return report_and_figures(round_, panel)[0]


def report_and_figures(round_: Round, panel: bool = False) -> tuple[dict[str, Any], Figures]:
    """:func:`round_report` and the figures it was made from, as its reader may see them
    (the report page shows some the report does not hold)."""
    found = round_figures(round_, REPORT)
    if panel:
        found = for_panel(found, round_.min_group_size)
    return build_report(round_, found), found


def build_report(round_: Round, result: Figures) -> dict[str, Any]:
    groups = result.rules.groups
    final = result.final.table
    order = list(result.final.in_rank_order().index) + sorted(
        str(ref) for ref in final.index[final["rank"].isna()])
    report = {
        "round": _round_summary(round_),
        "applications": _applications(result, order, groups),
        "groups": {g: _group(result, g, round_) for g in groups},
        "overrides": result.overrides,
        "warnings": result.warnings,
        "anchor": _anchor(round_),
        "lottery": _lottery(round_, result),
    }
    # How sure the ranking is (DESIGN.md §3a): None while the model is off or not yet
    # worked out for these sheets.
    uncertainty = for_report(round_, result)
    for application in report["applications"]:
        application.update(uncertainty.get(application["reference"], NOTHING))
    if result.guarded is not None:  # the panel's report: say what it leaves out
        report["round"]["min_group_size"] = round_.min_group_size
        for application, hidden in zip(report["applications"],
                                       _not_shown(result, order, groups)):
            application["not_shown"] = hidden
    return report


def _not_shown(result: Figures, order: list[str], groups: list[str]) -> list[dict[str, int]]:
    """Per application in ``order``: the groups whose figures on it are hidden, each with
    how many of its members counted there (a group with none has no figure to hide)."""
    guarded = result.guarded.reindex(order, fill_value=False).to_numpy(dtype=bool)
    final = result.final.sheets.reindex(index=order, columns=groups)
    initial = result.initial.sheets.reindex(index=order, columns=groups)
    counted = final.where(final >= initial, initial).to_numpy().tolist()
    return [{g: n for g, n in zip(groups, row) if n > 0} if hidden else {}
            for hidden, row in zip(guarded, counted)]


def _lottery(round_: Round, result: Figures) -> dict[str, Any] | None:
    """The draw near the funding line (DESIGN.md §3a), as its two public records on the
    trail hold it: null unless the round's rule is lottery and the draw was prepared; the
    secret, the public input, the order and who the draw funded once it was made."""
    lottery = lottery_of(round_) if round_.funding_rule == "lottery" else None
    if lottery is None:
        return None
    drawn = lottery.drawn
    funded = result.final.table["funded"] if drawn else None
    return {
        "commitment": lottery.commitment,
        "grey_zone": list(lottery.grey_zone),
        "budget_left": float(lottery.budget_left),
        "committed_event_id": lottery.committed_event_id,
        "drawn": drawn,
        "public_input": lottery.public_input if drawn else None,
        "secret": lottery.secret if drawn else None,  # published on the trail by the draw
        "order": list(lottery.order) if drawn else None,
        "funded": ([ref for ref in lottery.order if ref in funded.index and bool(funded[ref])]
                   if drawn else None),
    }


def _anchor(round_: Round) -> dict[str, Any] | None:
    """The head of the audit chain recorded when the round was decided, if it was."""
    anchor = round_anchor(round_)
    if anchor is None:
        return None
    return {"event_id": anchor.event_id, "event_hash": anchor.event_hash,
            "recorded_at": anchor.recorded_at.isoformat(timespec="seconds") + "Z"}


def _round_summary(round_: Round) -> dict[str, Any]:
    return {
        "slug": round_.slug, "title": round_.title, "phase": round_.phase,
        "scale": {"min": round_.scale_min, "max": round_.scale_max},
        "budget": float(round_.budget), "funding_rule": round_.funding_rule,
        "weighting": round_.weighting,
        "groups": [{"key": g.key, "label": g.label, "weight": g.weight} for g in round_.groups],
        "criteria": [{"key": c.key, "name": c.name, "weight": c.weight}
                     for c in round_.criteria],
    }


def _applications(result: Figures, order: list[str], groups: list[str]) -> list[dict]:
    """One dict per application in ``order``, each figure read from a column made once
    (a round can hold 20,000 applications: no lookup per cell)."""
    final, decisions = result.final, result.decisions
    about = result.applications.set_index("reference").reindex(order)
    titles = _column(about["title"])
    amounts = [None if amount is None else float(amount)
               for amount in _column(about["requested_amount"])]
    position, initial = _positions(final.table, order), _positions(result.initial.table, order)
    running = _column(final.table["running_total"].reindex(order))
    group_scores = _records(final.group_scores, order, groups)
    sheets = _records(final.sheets, order, groups)
    without = _by_group({g: _positions(result.without[g].table, order, tie=False)
                         for g in groups}, len(order))
    rank_shift = _by_group({g: _column(result.voice[g]["rank_shift"].reindex(order))
                            for g in groups}, len(order))
    chosen = decisions.reindex(order)
    return [{
        "reference": ref, "title": title, "requested_amount": amount, **position[n],
        "running_total": running[n], "group_scores": group_scores[n], "sheets": sheets[n],
        "initial": initial[n], "without": without[n], "rank_shift": rank_shift[n],
        "decision": decision, "rationale": rationale, "final_funded": bool(final_funded),
    } for n, (ref, title, amount, decision, rationale, final_funded) in enumerate(zip(
        order, titles, amounts, chosen["decision"].tolist(), chosen["rationale"].tolist(),
        chosen["final_funded"].tolist()))]


def _positions(table: pd.DataFrame, order: list[str], tie: bool = True) -> list[dict]:
    """Per application in ``order``: its score, rank, whether funded (and tied)."""
    rows = table.reindex(order)
    columns = [_column(rows["score"]), _column(rows["rank"]),
               [bool(x) for x in rows["funded"].tolist()]]
    keys = ["score", "rank", "funded"]
    if tie:
        columns.append([bool(x) for x in rows["tie"].tolist()])
        keys.append("tie")
    return [dict(zip(keys, values)) for values in zip(*columns)]


def _records(frame: pd.DataFrame, order: list[str], groups: list[str]) -> list[dict]:
    """Per application in ``order``: {group: its value}, JSON-ready."""
    rows = frame.reindex(index=order, columns=groups)
    return _by_group({g: _column(rows[g]) for g in groups}, len(order))


def _by_group(columns: dict[str, list], size: int) -> list[dict]:
    """{group: column} turned into one {group: value} per row."""
    return [dict(zip(columns, values)) for values in zip(*columns.values())] \
        if columns else [{} for _ in range(size)]


def _column(values: pd.Series) -> list:
    """A column as JSON-ready values: None where missing (NaN, NA), Python numbers
    (floats stay floats, whole ranks ints)."""
    return values.astype(object).where(values.notna(), None).tolist()


def _group(result: Figures, g: str, round_: Round) -> dict[str, Any]:
    voice = result.voice[g]
    label = next((x.label for x in round_.groups if x.key == g), g)
    return {"label": label, "funded_because": voice["funded_because"],
            "displaced_by": voice["displaced_by"], "agreement": voice["agreement"],
            "moved_toward": voice["moved_toward"], "criterion_gap": voice["criterion_gap"]}


# CSV and Excel ----------------------------------------------------------------------------------

def applications_table(report: dict[str, Any]) -> pd.DataFrame:
    """One row per application, nested keys flattened as ``initial.score``. The panel's
    report (:func:`round_report` with ``panel``) leaves a hidden figure's cell empty and
    says why in a last column, ``note``."""
    rows = [{key: value for key, value in a.items() if key != "not_shown"}
            for a in report["applications"]]
    table = pd.json_normalize(rows, sep=".")
    if "min_group_size" in report["round"]:
        table["note"] = [_note(report, a.get("not_shown", {})) for a in report["applications"]]
    return table


def _note(report: dict[str, Any], not_shown: dict[str, int]) -> str:
    if not not_shown:
        return ""
    labels = {g["key"]: g["label"] for g in report["round"]["groups"]}
    return words.not_shown_note([(labels.get(g, g), n) for g, n in not_shown.items()],
                                report["round"]["min_group_size"])


def groups_table(report: dict[str, Any]) -> pd.DataFrame:
    rows = []
    for g, voice in report["groups"].items():
        row = {"group": g, "label": voice["label"],
               "funded_because": " ".join(voice["funded_because"]),
               "displaced_by": " ".join(voice["displaced_by"])}
        for h, figures in voice["agreement"].items():
            row[f"agreement.{h}.spearman"] = figures["spearman"]
            row[f"agreement.{h}.kendall"] = figures["kendall"]
            row[f"moved_toward.{h}"] = voice["moved_toward"][h]
            for criterion, gap in voice["criterion_gap"][h].items():
                row[f"criterion_gap.{h}.{criterion}"] = gap
        if "min_group_size" in report["round"]:
            row["note"] = words.left_out_note(_guarded_count(report),
                                              report["round"]["min_group_size"])
        rows.append(row)
    return escape_frame(pd.DataFrame(rows))


def _guarded_count(report: dict[str, Any]) -> int:
    return sum(1 for a in report["applications"] if a.get("not_shown"))


def report_csv(report: dict[str, Any]) -> str:
    return frame_csv(applications_table(report))


def write_xlsx(report: dict[str, Any], target: str | IO[bytes]) -> None:
    overrides = escape_frame(pd.DataFrame(report["overrides"],
                                   columns=["reference", "decision", "rationale", "funded",
                                            "final_funded"]))
    warnings = escape_frame(pd.DataFrame({"warning": report["warnings"]}, dtype=object))
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        escape_frame(applications_table(report)).to_excel(writer, sheet_name="Applications", index=False)
        groups_table(report).to_excel(writer, sheet_name="Groups", index=False)
        overrides.to_excel(writer, sheet_name="Overrides", index=False)
        warnings.to_excel(writer, sheet_name="Warnings", index=False)


def report_xlsx(report: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    return buffer.getvalue()
