"""The panel's own page of the report, in plain words (reading age 11 or below: no
statistics, no ranks, no scores): what happened, what the reader's group's scores
changed, and what the meeting changed.

It is built from the panel's report dict alone (:func:`panel.reports.report.round_report`
with ``panel``: the figures of :func:`panel.scoring.figures.for_panel`), so it can say
nothing the small-group rule keeps back; it names no group score at all, only which
projects were funded, which is the same for every reader. Project titles and the
panel's reasons are the applicants' and the panel's own words: the template marks them
(``data-own-words``) so that the reading-age test can leave them out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import distinct, func, select

from panel.extensions import db
from panel.reports import voice_text as fmt
from panel.rounds.models import Application, Round
from panel.scoring.models import ScoreSheet, is_submitted, member_takes_part

MOST_NAMED = 3  # projects named per list (brought in, kept out); the full report has all


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


def _projects(number: int) -> str:
    return fmt.count(number, "project")


def _happened(report: dict[str, Any]) -> list[str]:
    apps = report["applications"]
    funded = [a for a in apps if a["final_funded"]]
    money = sum(a["requested_amount"] for a in funded)
    sentences = [f"The panel looked at {_projects(len(apps))}.",
                 f"There was {fmt.money(report['round']['budget'])} to share."]
    if not funded:
        sentences.append("No project was funded.")
    elif len(funded) == 1:
        sentences.append(f"In the end, 1 project was funded. It gets {fmt.money(money)}.")
    else:
        sentences.append(f"In the end, {len(funded):,} projects were funded. "
                         f"Together they get {fmt.money(money)}.")
    over = money - report["round"]["budget"]
    if over > 0:  # the panel's decisions may fund beyond the budget (DESIGN.md §3)
        sentences.append(f"That is {fmt.money(over)} more than there was to share.")
    return sentences + _too_close(report)


def _too_close(report: dict[str, Any]) -> list[str]:
    """How many projects the scores could not place either side of the line for money
    (the grey zone, DESIGN.md §3a; nothing while it is not worked out), and whether lots
    were drawn between them."""
    close = sum(bool(a.get("grey_zone")) for a in report["applications"])
    if not close:
        return []
    said = ["1 project was too close to call: the scores could not tell if it should get "
            "money or not." if close == 1 else
            f"{close:,} projects were too close to call: the scores could not tell if they "
            f"should get money or not."]
    lottery = report.get("lottery")
    if lottery and lottery.get("order"):
        said.append("So lots were drawn in the meeting to choose between them.")
    return said


def _group_change(report: dict[str, Any], g: str, own: bool) -> GroupChange:
    voice = report["groups"][g]
    titles = {a["reference"]: _title(a) for a in report["applications"]}
    whose = "your group's" if own else f"the {voice['label']} group's"
    brought_in, kept_out = voice["funded_because"], voice["displaced_by"]
    if not brought_in and not kept_out:
        return GroupChange(voice["label"], own, [
            f"{whose.capitalize()} scores did not change which projects were funded.",
            "Without them, the same projects would have been funded."], [], "")
    named = ([Named(f"Without {whose} scores, ", titles[ref], " would not have been funded.")
              for ref in brought_in[:MOST_NAMED]] +
             [Named(f"Without {whose} scores, ", titles[ref], " would have been funded instead.")
              for ref in kept_out[:MOST_NAMED]])
    left = len(brought_in) + len(kept_out) - len(named)
    more = (f"{whose.capitalize()} scores changed {left:,} more "
            f"{'project' if left == 1 else 'projects'}. The full report names them all."
            ) if left > 0 else ""
    return GroupChange(voice["label"], own, [
        f"{whose.capitalize()} scores changed which projects were funded."],
        named, more)


def _meeting(report: dict[str, Any], changed: int) -> list[str]:
    if report["round"]["phase"] in ("draft", "scoring"):
        return ["The meeting has not happened yet."]
    apps = report["applications"]
    if not changed:
        sentences = ["In the meeting, nobody changed a score."]
    else:
        who = "1 person" if changed == 1 else f"{changed:,} people"
        sentences = ["In the meeting, the panel talked about the projects.",
                     f"After that, {who} changed a score."]
    came_in = sum(1 for a in apps if a["funded"] and not a["initial"]["funded"])
    left = sum(1 for a in apps if a["initial"]["funded"] and not a["funded"])
    if came_in or left:
        sentences.append(
            f"Because of these changes, {_projects(came_in)} got money "
            f"and {_projects(left)} lost it.")
    elif changed:
        sentences.append("These changes did not change which projects got money.")
    return sentences


def _decisions_intro(overrides: list[dict]) -> str:
    if not overrides:
        return "The panel did not go against the scores for any project."
    return (f"The panel went against the scores for {_projects(len(overrides))}. "
            f"This is what they chose, and why.")


def _decision(report: dict[str, Any], override: dict[str, Any]) -> Decision:
    title = next(_title(a) for a in report["applications"]
                 if a["reference"] == override["reference"])
    if override["final_funded"]:
        sentence = Named("The panel chose to fund ", title, ", though its scores were too low.")
    else:
        sentence = Named("The panel chose not to fund ", title,
                         ", though its scores were high enough.")
    return Decision(sentence, (override["rationale"] or "").strip())
