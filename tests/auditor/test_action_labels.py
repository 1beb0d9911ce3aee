"""Every action FairPanel writes to the trail has a plain-English label for the
auditor's pages and a family for the action filter: an unlabelled action would show its
code name ("round.over_budget_acknowledged") and could not be filtered on.

The actions are read from the source: every ``record("…")`` call in panel/, and the
calls of the helpers that hand their ``action`` parameter on to ``record`` (e.g.
``_change(actor, obj, "round.details_changed", …)``)."""
from __future__ import annotations

import ast
from pathlib import Path

from panel.auditor.trail import ACTION_LABELS, FAMILIES

PANEL = Path(__file__).resolve().parents[2] / "panel"


def _callee(call: ast.Call) -> str | None:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _strings(node: ast.AST | None) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def _argument(call: ast.Call, position: int, name: str) -> ast.AST | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[position] if position < len(call.args) else None


def written_actions() -> set[str]:
    actions: set[str] = set()
    for path in PANEL.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # name -> (position, parameter) of the helpers that pass a parameter to record()
        passing = {"record": (0, "action")}
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            params = [a.arg for a in function.args.args if a.arg not in ("self", "cls")]
            for call in ast.walk(function):
                if (isinstance(call, ast.Call) and _callee(call) == "record" and call.args
                        and isinstance(call.args[0], ast.Name) and call.args[0].id in params):
                    passing[function.name] = (params.index(call.args[0].id), call.args[0].id)
        for call in ast.walk(tree):
            if isinstance(call, ast.Call) and _callee(call) in passing:
                actions |= _strings(_argument(call, *passing[_callee(call)]))
    return actions


def test_the_source_is_read():
    actions = written_actions()
    # One from each kind of call: direct, either branch of a choice, through a helper.
    assert {"sheet.submitted", "meeting.comment_shown", "meeting.comment_hidden",
            "round.details_changed", "applications.imported"} <= actions


def test_every_action_written_has_a_label_and_a_family():
    prefixes = {prefix for _, kinds in FAMILIES.values() for prefix in kinds}
    actions = written_actions()
    assert sorted(actions - set(ACTION_LABELS)) == []
    assert sorted(a for a in actions if a.split(".")[0] not in prefixes) == []
