"""Where FairPanel finds its templates, static files, migrations and settings, and where
it writes (its instance folder: the default SQLite file, the development outbox).

Two layouts, told apart by whether the package carries its own ``templates/``:

- **the checkout** (``make run``, the tests, ``pip install -e .``): ``templates/``,
  ``static/``, ``migrations/``, ``config.py`` and ``instance/`` sit at the repository root;
- **an installed wheel**: the build (pyproject.toml, ``force-include``) carries them into
  the package as ``panel/templates``, ``panel/static``, ``panel/migrations`` and
  ``panel/settings.py`` (root ``config.py``), so no top-level ``config`` module is
  installed. The instance folder is ``FAIRPANEL_INSTANCE``, else where Flask puts an
  installed package's (``<prefix>/var/panel-instance``), never inside site-packages.

``FAIRPANEL_INSTANCE`` moves the instance folder in the checkout too.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent
INSTALLED = (PACKAGE / "templates").is_dir()
RESOURCES = PACKAGE if INSTALLED else PACKAGE.parent

TEMPLATES = RESOURCES / "templates"
STATIC = RESOURCES / "static"
MIGRATIONS = RESOURCES / "migrations"
SETTINGS_MODULE = "panel.settings" if INSTALLED else "config"


def instance_dir() -> Path:
    """The folder the app writes to: ``FAIRPANEL_INSTANCE`` when set."""
    chosen = os.environ.get("FAIRPANEL_INSTANCE")
    if chosen:
        return Path(chosen).resolve()
    if INSTALLED:
        return Path(sys.prefix) / "var" / "panel-instance"
    return RESOURCES / "instance"


def settings() -> ModuleType:
    """The settings module (``CONFIGS`` and the classes): root config.py in the checkout,
    ``panel.settings`` when installed."""
    return importlib.import_module(SETTINGS_MODULE)
