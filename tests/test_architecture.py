"""The house plan of docs/architecture.md, held by tests: which package may import which,
no import cycles, no view of one domain used by another, every route declaring who may
open it, and no template deciding access by comparing a phase or a role literally."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PANEL = ROOT / "panel"

# The domains from the bottom up: a domain's services, queries, views… may import the
# domains below it. Anything may import a domain's models and rules (the bottom layer).
LAYERS = ["jobs", "mail", "accounts", "rounds", "conflicts", "scoring", "moderation", "payments",
          "reports", "bundle", "auditor", "admin", "home", "demo"]
WRITER = "audit"  # the audit writer: a leaf every domain records through
BOTTOM = re.compile(r"^(models|rules|rules_\w+)$")  # tables and pure rules
VIEWS = re.compile(r"^(views|\w+_views|blueprint)$")
# Shared modules at the top of panel/: the foundation (importable by anything, importing
# no domain but its models) and the app layer (which may import the domains).
FOUNDATION = {"extensions", "psycopg_cursor", "models", "pages", "spreadsheets", "forms",
              "transactions", "policy", "paths", "logs", "health", "static_files", "i18n"}
APP = {"__init__", "access", "web", "cli", "gunicorn_conf"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PANEL.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = modules()


def imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """The panel modules ``path`` imports (``from panel.x import y`` counts as panel.x.y
    when y is a module). Imports under ``if TYPE_CHECKING`` are for type hints only."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("panel"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("panel")}
    if not top_level_only:
        checking = [n for n in ast.walk(tree)
                    if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)]
        for block in checking:
            for node in ast.walk(block):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found.discard(node.module)
                    found -= {f"{node.module}.{a.name}" for a in node.names}
    return {name for name in found if name in MODULES}


def place(module: str) -> tuple[str, str]:
    """(domain, module name) of ``panel.<domain>.<module>``; ("", name) for panel/*.py."""
    parts = module.split(".")
    if len(parts) == 2 and f"panel.{parts[1]}" in MODULES and not MODULES[module].name == "__init__.py":
        return "", parts[1]
    if len(parts) == 1:
        return "", "__init__"
    return parts[1], parts[2] if len(parts) > 2 else "__init__"


EDGES = [(source, target) for source, path in MODULES.items() for target in imports(path)]


def test_every_domain_is_on_the_plan():
    domains = {place(m)[0] for m in MODULES} - {""}
    assert domains == {*LAYERS, WRITER}, "add the new package to LAYERS and docs/architecture.md"


def test_no_module_imports_another_domain_s_views():
    # Only the app (panel/__init__.py registers every blueprint) puts views together.
    found = [(s, t) for s, t in EDGES if place(s)[0] and place(t)[0]
             and place(s)[0] != place(t)[0] and VIEWS.match(place(t)[1])]
    assert found == []


def test_domains_import_only_downwards_or_the_bottom_layer():
    found = []
    for source, target in EDGES:
        (s_dom, _), (t_dom, t_mod) = place(source), place(target)
        if not s_dom or not t_dom or s_dom == t_dom or t_dom == WRITER or BOTTOM.match(t_mod):
            continue
        if s_dom == WRITER or LAYERS.index(t_dom) > LAYERS.index(s_dom):
            found.append((source, target))
    assert found == []


def test_models_and_rules_import_only_models_and_rules():
    found = [(s, t) for s, t in EDGES
             if BOTTOM.match(place(s)[1]) and place(s)[0]
             and not (BOTTOM.match(place(t)[1]) or place(t) == ("", "extensions"))]
    assert found == []


def test_the_audit_writer_and_the_foundation_import_no_domain_but_its_models():
    found = []
    for source, target in EDGES:
        (s_dom, s_mod), (t_dom, t_mod) = place(source), place(target)
        lower = s_dom == WRITER or (not s_dom and s_mod in FOUNDATION)
        if lower and t_dom and t_dom != WRITER and not BOTTOM.match(t_mod):
            found.append((source, target))
    assert found == []


def test_every_shared_module_is_on_the_plan():
    shared = {place(m)[1] for m in MODULES if not place(m)[0]}
    assert shared <= FOUNDATION | APP, "say in docs/architecture.md where the module belongs"


def test_no_import_cycles():
    graph = {m: imports(p, top_level_only=True) for m, p in MODULES.items()}
    seen, path = set(), []

    def visit(module):
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join(path[path.index(module):]
                                                             + [module]))
        if module in seen:
            return
        path.append(module)
        for target in sorted(graph[module]):
            visit(target)
        path.pop()
        seen.add(module)

    for module in sorted(graph):
        visit(module)
    assert seen == set(graph)  # every module walked, and none of them on a cycle


def test_no_test_module_imports_another():
    """Builders shared by several test files live in tests/builders/, helpers in
    tests/support/: a test module is never a library for another."""
    found = []
    for path in (ROOT / "tests").rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            module = getattr(node, "module", None) or ""
            if isinstance(node, ast.ImportFrom) and re.search(r"(^|\.)test_\w+$", module):
                found.append((str(path.relative_to(ROOT)), module))
    assert found == []


# Access -------------------------------------------------------------------------------------

def test_every_route_declares_who_may_open_it(app):
    """Each view carries the rule its panel.access guard declared (DESIGN.md §9: role and
    phase checks on every route); a new route without a guard fails here."""
    undeclared = sorted(endpoint for endpoint, view in app.view_functions.items()
                        if endpoint != "static" and not getattr(view, "access", None))
    assert undeclared == []


TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
LITERAL_CHECKS = [
    re.compile(r"""phase\s*(==|!=)\s*["']"""),
    re.compile(r"""phase\s+(not\s+)?in\s*[(\[]\s*["']"""),
    re.compile(r"""role\s*(==|!=)\s*["']"""),
    re.compile(r"""has_role\("""),
    re.compile(r"""viewer\s*(==|!=)"""),
]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_ask_the_policy_instead_of_comparing_phases_and_roles(template):
    text = template.read_text(encoding="utf-8")
    found = [m.group(0) for check in LITERAL_CHECKS for m in check.finditer(text)]
    assert found == [], "use a Round predicate (round.scoring_open…) or policy.…"


def test_the_template_check_catches_a_literal_comparison(tmp_path):
    for text in ('{% if round.phase == "scoring" %}', "{% if r.round.phase in ('draft',) %}",
                 '{% if member.role == "chair" %}', '{% if current_user.has_role("officer") %}'):
        assert any(check.search(text) for check in LITERAL_CHECKS), text
