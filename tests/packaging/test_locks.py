"""The locks (issue 16): requirements/production.txt is what a server installs, with a
hash for every file, and nothing of the tests; requirements/test.txt adds the test tools;
both pin what constraints.txt pins (the versions `make install` and the tests run).
`make lock` regenerates all three."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)( ;)?", re.MULTILINE)
# pip freeze (constraints.txt) leaves setuptools out; only textstat, a test tool, needs it.
UNFROZEN = {"setuptools"}


def pins(path: Path, *, everywhere: bool = False) -> dict[str, str]:
    """Name → version; ``everywhere``: only what every platform and Python installs
    (no environment marker such as ``sys_platform == 'win32'``)."""
    return {canonicalize_name(name): version
            for name, version, marker in PIN.findall(path.read_text())
            if not (everywhere and marker)}


def names(requirements: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(text).name) for text in requirements}


PRODUCTION = pins(ROOT / "requirements/production.txt")
TEST = pins(ROOT / "requirements/test.txt")
CONSTRAINTS = pins(ROOT / "constraints.txt")


def test_production_holds_every_dependency_and_no_test_tool():
    assert names(PROJECT["dependencies"]) <= PRODUCTION.keys()
    test_only = names(PROJECT["optional-dependencies"]["test"]) - names(PROJECT["dependencies"])
    assert test_only & PRODUCTION.keys() == set()


def test_the_test_lock_is_production_plus_the_test_tools():
    assert names(PROJECT["optional-dependencies"]["test"]) <= TEST.keys()
    assert {name: TEST.get(name) for name in PRODUCTION} == PRODUCTION


def test_the_locks_pin_what_the_tests_run_run_make_lock_after_changing_a_dependency():
    locked = pins(ROOT / "requirements/test.txt", everywhere=True)
    differs = {name: (version, CONSTRAINTS.get(name)) for name, version in locked.items()
               if CONSTRAINTS.get(name) != version and name not in UNFROZEN}
    assert differs == {}


def test_every_pin_has_hashes():
    for lock in ("production", "test"):
        text = (ROOT / f"requirements/{lock}.txt").read_text()
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        unhashed = [entry.split()[0] for entry in entries
                    if PIN.match(entry) and "--hash=sha256:" not in entry]
        assert unhashed == [], lock
