"""The built wheel is self-contained (issue 16): installed into a fresh virtual
environment and run from a folder outside the checkout, ``fairpanel db upgrade`` migrates
a new database and gunicorn serves a page and its stylesheet.

No network: the fresh environment gets only the wheel (``--no-deps``); its dependencies
come from the test environment's site-packages through a .pth file. Nothing of the
checkout may leak in (no PYTHONPATH, another working directory), so a template, static
file, migration or setting left out of the wheel fails here."""
from __future__ import annotations

import http.client
import os
import subprocess
import sys
import sysconfig
import time
import venv
import zipfile
from pathlib import Path

import pytest

from config import Config
from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
# Both tests on one worker, so the wheel is built and installed once.
pytestmark = pytest.mark.xdist_group("wheel")
# Which panel runs, where it writes, and whether a top-level config or wsgi is importable.
WHERE = """
import importlib.util, panel, panel.paths
print(panel.__file__)
print(panel.paths.instance_dir())
print(importlib.util.find_spec("config"), importlib.util.find_spec("wsgi"))
"""


def run(args, timeout=120, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, check=False, capture_output=True, text=True, timeout=timeout,
                          **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("hatchling", reason="pip install -e '.[test]' installs hatchling, "
                                            "which builds the wheel offline")
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)])
    (built,) = out.glob("fairpanel-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtual environment holding only the wheel."""
    home = tmp_path_factory.mktemp("fresh") / "venv"
    venv.create(home, with_pip=False)
    python = home / "bin" / "python"
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                  env=outside_env()).stdout.strip()
    Path(purelib, "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)])
    return home / "bin"


def outside_env(**settings: str) -> dict[str, str]:
    """The environment of an operator's shell: no PYTHONPATH pointing at the checkout, and
    none of FairPanel's settings (`make test` exports BASE_URL for the development server,
    and --env-file, like python-dotenv, never overrides what the environment already has)."""
    ours = {name for name in dir(Config) if name.isupper()}
    keep = {k: v for k, v in os.environ.items()
            if k not in {"PYTHONPATH", "FLASK_APP", "VIRTUAL_ENV"} | ours and not k.startswith(
                ("FAIRPANEL_", "DATABASE_URL", "MAIL_"))}
    return {**keep, **settings}


def test_the_wheel_carries_templates_static_migrations_and_settings_in_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"panel", wheel.name.split("-py3")[0] + ".dist-info"}, "no config.py, wsgi.py"
    for folder in ("templates", "static", "migrations"):
        carried = {n.removeprefix("panel/") for n in names if n.startswith(f"panel/{folder}/")}
        in_checkout = {str(p.relative_to(ROOT)) for p in (ROOT / folder).rglob("*")
                       if p.is_file() and "__pycache__" not in p.parts}
        assert carried == in_checkout, folder
    assert "panel/settings.py" in names
    assert "panel/audit/verify_trail.py" in names  # the verification kit copies it
    assert "fairpanel = panel.cli:main" in zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()


def test_installed_outside_the_checkout_it_migrates_and_serves_a_page(installed, tmp_path):
    here = tmp_path / "elsewhere"
    here.mkdir()
    instance = tmp_path / "instance"
    # As on a server (deploy/fairpanel.env.example): the settings in a file that the
    # command line reads with --env-file and systemd hands to gunicorn as its environment.
    settings = {"FAIRPANEL_CONFIG": "production", "FAIRPANEL_INSTANCE": str(instance),
                "SECRET_KEY": "packaging-test-" + "x" * 40, "TOTP_ENCRYPTION_KEY": "k" * 48,
                "BASE_URL": "https://panel.example.org",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'fairpanel.sqlite3'}"}
    env_file = tmp_path / "fairpanel.env"
    env_file.write_text("".join(f"{key}={value}\n" for key, value in settings.items()))
    env = outside_env(**settings)

    where = run([str(installed / "python"), "-c", WHERE], cwd=here, env=env)
    package, instance_dir, top_level = where.stdout.splitlines()
    assert package.startswith(str(installed.parent)) and instance_dir == str(instance)
    assert top_level == "None None"

    upgraded = run([str(installed / "fairpanel"), "--env-file", str(env_file), "db", "upgrade"],
                   cwd=here, env=outside_env())
    assert "Running upgrade" in upgraded.stdout + upgraded.stderr

    port = free_port()
    server = subprocess.Popen(
        [str(installed / "python"), "-m", "gunicorn", "-c", "python:panel.gunicorn_conf",
         "--workers", "1", "--no-control-socket", "--bind", f"127.0.0.1:{port}",
         "panel:create_app()"],
        cwd=here, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        status, page = get(port, "/sign-in", server)
        assert status == 200 and "Sign in to FairPanel" in page
        assert "/static/css/fairpanel.css" in page
        status, css = get(port, "/static/css/fairpanel.css", server)
        assert status == 200 and css == (ROOT / "static/css/fairpanel.css").read_text()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
    assert instance.is_dir(), "the instance folder is FAIRPANEL_INSTANCE"
    assert not list(installed.parent.rglob("*instance*")), "nothing written into the venv"


def get(port: int, path: str, server: subprocess.Popen) -> tuple[int, str]:
    """(status, text) once gunicorn answers, within 30 seconds."""
    deadline = time.monotonic() + 30
    while True:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{server.stderr.read()}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
        finally:
            connection.close()
