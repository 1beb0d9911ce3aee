"""The panel's own page of the report, in plain words (issue: panellists receive the
whole statistical report):

/rounds/<slug>/report/for-panel    what happened, what your group's scores changed,
                                   what the meeting changed

Who may open it is who may open the report (:func:`panel.access.report_reader`): the
round's panel once the report is open to them, and staff, who may preview it. Everyone
reads the panel's figures (:func:`panel.scoring.figures.for_panel`), officers included,
so a preview shows exactly what the panel will read. A panel member in a group reads
about their own group; a reader in no group (the chair, staff) about every group."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user

from panel import access
from panel.i18n import current_language
from panel.reports import kept
from panel.reports.panel_page import panel_page
from panel.rounds.models import Round
from panel.scoring.queries import member_of


@access.report_reader
def for_panel(round_: Round):
    member = member_of(current_user, round_)
    group = member.group.key if member is not None and member.group is not None else None
    return render_template("reports/for_panel.html", round=round_, member=member,
                           page=kept.made_of(
                               round_, True, f"for-panel-{group or 'all'}:{current_language()}",
                               lambda found: panel_page(round_, found, group)))
