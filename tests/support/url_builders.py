"""Each route's URL builders compiled once per test process, not once per app.

For every route of every app, Werkzeug writes two small functions that build its URLs
(``Rule._compile_builder``: an AST, then ``compile``). That is about 80 ms of the 90 ms an
app takes to make, and the suite makes an app for each of its thousands of tests, with
the same routes every time. The functions Werkzeug writes depend only on the rule's
parts, its defaults and whether unknown arguments are appended; they reach the rule's
converters through the ``self`` they are bound to, so one function serves every app's
copy of the rule. A rule this cannot read (Werkzeug's internals changed) is compiled as
before.
"""
from __future__ import annotations

from werkzeug.routing.rules import Rule

_original = Rule._compile_builder
_compiled: dict[tuple, object] = {}


def _key(rule: Rule, append_unknown: bool) -> tuple:
    defaults = rule.defaults or {}
    resolved = tuple((name, rule._converters[name].to_url(value)
                      if name in rule._converters else None)
                     for name, value in defaults.items())
    return rule.rule, tuple(rule._trace), resolved, append_unknown


def _compile_builder(self: Rule, append_unknown: bool = True):
    try:
        key = _key(self, append_unknown)
    except (AttributeError, TypeError):
        return _original(self, append_unknown)
    builder = _compiled.get(key)
    if builder is None:
        builder = _compiled[key] = _original(self, append_unknown)
    return builder


def share() -> None:
    Rule._compile_builder = _compile_builder
