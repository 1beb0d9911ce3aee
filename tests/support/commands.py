"""The real `flask` command, run in a subprocess as an operator would."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def flask(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``flask ARGS`` on ``database_url``; ``env`` adds to (or replaces) its environment."""
    return subprocess.run(_flask_command(*args), cwd=ROOT,
                          env={**_flask_env(database_url), **env},
                          capture_output=True, text=True, timeout=120, check=False)


def python(database_url: str, code: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """``python -c CODE ARGS`` in the checkout, with the environment ``flask`` gets."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT,
                          env={**_flask_env(database_url), **env},
                          capture_output=True, text=True, timeout=120, check=False)


def modules_imported(result: subprocess.CompletedProcess) -> set[str]:
    """The modules a command run with ``PYTHONPROFILEIMPORTTIME=1`` imported, as Python
    itself listed them on its stderr (one ``import time:`` line each)."""
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and line.count("|") == 2
            and not line.endswith("| imported package")}


def flask_started(database_url: str, *args: str) -> subprocess.Popen:
    """The same command, started and left running (``communicate()`` waits for it)."""
    return subprocess.Popen(_flask_command(*args), cwd=ROOT, env=_flask_env(database_url),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _flask_env(database_url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "FAIRPANEL_CONFIG": "development",
            "MAIL_OUTBOX_DIR": "/dev/null/never-used"}


def _flask_command(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("flask")), *args]


def run_verifier(folder: Path) -> subprocess.CompletedProcess:
    """``python3 verify_trail.py`` in an unzipped kit's ``folder``, with nothing of
    FairPanel reachable (isolated mode, no PYTHONPATH)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return subprocess.run([sys.executable, "-I", "verify_trail.py"], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def kit_rows(folder: Path) -> list[dict]:
    """An unzipped kit's trail.csv, row by row."""
    import csv

    with open(folder / "trail.csv", newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def write_kit_rows(folder: Path, rows: list[dict]) -> None:
    """Write ``rows`` back as the kit's trail.csv (to edit a kit as a forger would)."""
    import csv

    from panel.audit.kit import COLUMNS

    with open(folder / "trail.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
