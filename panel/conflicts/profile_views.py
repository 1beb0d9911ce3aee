"""The panellist's connections (DESIGN.md §5): /my-connections.

A panel member lists the groups and people they are close to, at any time, in any phase.
Saving updates every one of their memberships and quietly re-runs matching
(:mod:`panel.conflicts.suggestions`). This page never says whether anything matched.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from panel import access
from panel.conflicts import suggestions
from panel.conflicts.profile_forms import ConnectionsForm
from panel.rounds.models import PanelMember
from panel.transactions import change


def current_connections(memberships: list[PanelMember]) -> list[str]:
    """Everything listed on any membership, first appearance first, no repeats."""
    seen, connections = set(), []
    for member in memberships:
        for entry in member.affiliations or []:
            if entry.casefold() not in seen:
                seen.add(entry.casefold())
                connections.append(entry)
    return connections


@access.on_a_panel
def connections():
    memberships = sorted(current_user.memberships, key=lambda m: m.id)
    form = ConnectionsForm()
    if form.validate_on_submit():
        with change():
            suggestions.save_connections(current_user, memberships, form.entries())
        flash(_("Your connections have been saved. Thank you."), "success")
        return redirect(url_for(".connections"))
    if not form.is_submitted():
        form.connections.data = "\n".join(current_connections(memberships))
    return render_template("conflicts/profile/connections.html", form=form)
