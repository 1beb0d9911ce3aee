"""Hatchling build hook (pyproject.toml): the wheel carries the root folders the checkout
keeps (templates/, static/, migrations/) inside the package, and config.py as
panel/settings.py, so an installed FairPanel finds them (panel/paths.py) and installs no
top-level `config` or `wsgi` module.

Only the wheel proper: an editable install (`make install`) keeps reading them from the
checkout, and hatchling would otherwise copy them into site-packages as well."""
from __future__ import annotations

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CARRIED = {
    "templates": "panel/templates",
    "static": "panel/static",
    "migrations": "panel/migrations",
    "config.py": "panel/settings.py",
}


class CarryIntoPackage(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if version == "standard":
            build_data["force_include"].update(CARRIED)
