"""The pages a public body must offer: the privacy notice and the accessibility
statement (issue 19), open to anyone and linked from every page's footer. Who runs the
site and whom to ask come from the settings (ORGANISATION_NAME, PRIVACY_CONTACT,
PRIVACY_RETENTION, ACCESSIBILITY_CONTACT)."""
from __future__ import annotations

from flask import current_app, render_template

from panel import access


def _settings() -> dict[str, str]:
    config = current_app.config
    return {"organisation": config["ORGANISATION_NAME"],
            "privacy_contact": config["PRIVACY_CONTACT"],
            "retention": config["PRIVACY_RETENTION"],
            "accessibility_contact": config["ACCESSIBILITY_CONTACT"] or config["PRIVACY_CONTACT"]}


@access.public
def privacy():
    return render_template("home/privacy.html", **_settings())


@access.public
def accessibility():
    return render_template("home/accessibility.html", **_settings())
