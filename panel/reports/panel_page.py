"""The panel's own page of the report, in plain words (reading age 11 or below: no
statistics, no ranks, no scores): what happened, what the reader's group's scores
changed, and what the meeting changed.

It is built from the panel's report dict alone (:func:`panel.reports.report.round_report`
with ``panel``: the figures of :func:`panel.scoring.figures.for_panel`), so it can say
nothing the small-group rule keeps back; it names no group score at all, only which
projects were funded, which is the same for every reader. Project titles and the
panel's reasons are the applicants' and the panel's own words: the template marks them
(``data-own-words``) so that the reading-age test can leave them out.

Every sentence is one whole message in the reader's language (named placeholders, ngettext
plurals); a sentence naming a project is split around its title only after translation,
so that Welsh can put the title where Welsh puts it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import distinct, func, select

from panel.extensions import db
from panel.reports import voice_text as fmt
from panel.rounds.models import Application, Round
from panel.scoring.models import ScoreSheet, is_submitted, member_takes_part

MOST_NAMED = 3  # projects named per list (brought in, kept out); the full report has all
TITLE = "\x00"  # where the title goes in a translated sentence (see :func:`_named`)


@dataclass
class Named:
    """One sentence about one project: the words before and after its title."""

    before: str
    title: str
    after: str


@dataclass
class GroupChange:
    """What one group's scores changed: which projects they brought in or kept out."""

    label: str
    own: bool  # the reader's own group
    sentences: list[str]
    named: list[Named]
    more: str  # "…and 2 more", or ""


@dataclass
class Decision:
    """A decision of the panel that went against the scores, and the reason given."""

    sentence: Named
    reason: str


@dataclass
class PanelPage:
    finished: bool
    happened: list[str]
    funded_titles: list[str]
    groups: list[GroupChange]
    meeting: list[str]
    decisions_intro: str
    decisions: list[Decision] = field(default_factory=list)


def panel_page(round_: Round, report: dict[str, Any], group: str | None) -> PanelPage:
    """The plain page of ``report`` (the panel's report dict) for a reader in ``group``
    (a group key), or for a reader in no group (the chair, an officer's preview), who is
    told what every group's scores changed."""
    apps = report["applications"]
    keys = [group] if group in report["groups"] else list(report["groups"])
    return PanelPage(
        finished=report["round"]["phase"] == "published",
        happened=_happened(report),
        funded_titles=[_title(a) for a in apps if a["final_funded"]],
        groups=[_group_change(report, g, own=g == group) for g in keys],
        meeting=_meeting(report, people_who_changed_a_score(round_)),
        decisions_intro=_decisions_intro(report["overrides"]),
        decisions=[_decision(report, o) for o in report["overrides"]])


def people_who_changed_a_score(round_: Round) -> int:
    """How many panel members sent in a changed score in the meeting (a submitted
    revision that counts: not of an application they stepped out of)."""
    return db.session.scalar(
        select(func.count(distinct(ScoreSheet.member_id)))
        .join(Application, ScoreSheet.application_id == Application.id)
        .where(Application.round_id == round_.id, ScoreSheet.revision > 0, is_submitted(),
               member_takes_part())) or 0


def _title(application: dict[str, Any]) -> str:
    return application["title"] or application["reference"]


def _named(sentence: str, title: str) -> Named:
    """A translated sentence whose ``%(title)s`` was filled with :data:`TITLE`, split there."""
    before, _mark, after = sentence.partition(TITLE)
    return Named(before, title, after)


def _projects(number: int) -> str:
    return ngettext("%(num)d project", "%(num)d projects", number)


def _happened(report: dict[str, Any]) -> list[str]:
    apps = report["applications"]
    funded = [a for a in apps if a["final_funded"]]
    money = sum(a["requested_amount"] for a in funded)
    sentences = [ngettext("The panel looked at %(num)d project.",
                          "The panel looked at %(num)d projects.", len(apps)),
                 _("There was %(money)s to share.", money=fmt.money(report["round"]["budget"]))]
    if not funded:
        sentences.append(_("No project was funded."))
    else:
        sentences.append(ngettext("In the end, %(num)d project was funded. It gets %(money)s.",
                                  "In the end, %(num)d projects were funded. Together they get "
                                  "%(money)s.", len(funded), money=fmt.money(money)))
    over = money - report["round"]["budget"]
    if over > 0:  # the panel's decisions may fund beyond the budget (DESIGN.md §3)
        sentences.append(_("That is %(money)s more than there was to share.",
                           money=fmt.money(over)))
    return sentences + _too_close(report)


def _too_close(report: dict[str, Any]) -> list[str]:
    """How many projects the scores could not place either side of the line for money
    (the grey zone, DESIGN.md §3a; nothing while it is not worked out), and whether lots
    were drawn between them."""
    close = sum(bool(a.get("grey_zone")) for a in report["applications"])
    if not close:
        return []
    said = [ngettext("%(num)d project was too close to call: the scores could not tell if it "
                     "should get money or not.",
                     "%(num)d projects were too close to call: the scores could not tell if "
                     "they should get money or not.", close)]
    lottery = report.get("lottery")
    if lottery and lottery.get("order"):
        said.append(_("So lots were drawn in the meeting to choose between them."))
    return said


def _group_change(report: dict[str, Any], g: str, own: bool) -> GroupChange:
    voice = report["groups"][g]
    label = voice["label"]
    titles = {a["reference"]: _title(a) for a in report["applications"]}
    brought_in, kept_out = voice["funded_because"], voice["displaced_by"]
    if not brought_in and not kept_out:
        return GroupChange(label, own, [
            _("Your group's scores did not change which projects were funded.") if own else
            _("The %(group)s group's scores did not change which projects were funded.",
              group=label),
            _("Without them, the same projects would have been funded.")], [], "")
    if own:
        not_funded = _("Without your group's scores, %(title)s would not have been funded.",
                       title=TITLE)
        instead = _("Without your group's scores, %(title)s would have been funded instead.",
                    title=TITLE)
    else:
        not_funded = _("Without the %(group)s group's scores, %(title)s would not have been "
                       "funded.", group=label, title=TITLE)
        instead = _("Without the %(group)s group's scores, %(title)s would have been funded "
                    "instead.", group=label, title=TITLE)
    named = ([_named(not_funded, titles[ref]) for ref in brought_in[:MOST_NAMED]] +
             [_named(instead, titles[ref]) for ref in kept_out[:MOST_NAMED]])
    left = len(brought_in) + len(kept_out) - len(named)
    more = ""
    if left > 0:
        more = (ngettext("Your group's scores changed %(num)d more project. The full report "
                         "names them all.",
                         "Your group's scores changed %(num)d more projects. The full report "
                         "names them all.", left) if own else
                ngettext("The %(group)s group's scores changed %(num)d more project. The full "
                         "report names them all.",
                         "The %(group)s group's scores changed %(num)d more projects. The full "
                         "report names them all.", left, group=label))
    return GroupChange(label, own, [
        _("Your group's scores changed which projects were funded.") if own else
        _("The %(group)s group's scores changed which projects were funded.", group=label)],
        named, more)


def _meeting(report: dict[str, Any], changed: int) -> list[str]:
    if report["round"]["phase"] in ("draft", "scoring"):
        return [_("The meeting has not happened yet.")]
    apps = report["applications"]
    if not changed:
        sentences = [_("In the meeting, nobody changed a score.")]
    else:
        sentences = [_("In the meeting, the panel talked about the projects."),
                     ngettext("After that, %(num)d person changed a score.",
                              "After that, %(num)d people changed a score.", changed)]
    came_in = sum(1 for a in apps if a["funded"] and not a["initial"]["funded"])
    left = sum(1 for a in apps if a["initial"]["funded"] and not a["funded"])
    if came_in or left:
        sentences.append(_("Because of these changes, %(came_in)s got money and %(left)s lost "
                           "it.", came_in=_projects(came_in), left=_projects(left)))
    elif changed:
        sentences.append(_("These changes did not change which projects got money."))
    return sentences


def _decisions_intro(overrides: list[dict]) -> str:
    if not overrides:
        return _("The panel did not go against the scores for any project.")
    return ngettext("The panel went against the scores for %(num)d project. This is what they "
                    "chose, and why.",
                    "The panel went against the scores for %(num)d projects. This is what "
                    "they chose, and why.", len(overrides))


def _decision(report: dict[str, Any], override: dict[str, Any]) -> Decision:
    title = next(_title(a) for a in report["applications"]
                 if a["reference"] == override["reference"])
    if override["final_funded"]:
        sentence = _("The panel chose to fund %(title)s, though its scores were too low.",
                     title=TITLE)
    else:
        sentence = _("The panel chose not to fund %(title)s, though its scores were high "
                     "enough.", title=TITLE)
    return Decision(_named(sentence, title), (override["rationale"] or "").strip())
