"""The report's pages, section by section, built from the report dict alone (plus the
panel's headcount): the full report (:func:`report_page`) and the public summary
(:func:`summary_page`), which is never handed the report dict, so it cannot show a
rationale, a name or an identifying field. :mod:`voice_text` words the figures and
:mod:`voice_charts` draws them."""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from panel.extensions import db
from panel.moderation.models import outcome_label
from panel.reports import voice_text as words
from panel.reports.voice_charts import (
    BarChart,
    SlopeChart,
    SlopeRow,
    bars_from_zero,
    diverging_bars,
    shown_rows,
    slope_chart,
)
from panel.reports.voice_gaps import Apart, apart, application_gaps, criterion_apart
from panel.rounds.models import Application, Group, MemberRole, PanelMember, Round
from panel.spreadsheets import CsvWriter


@dataclass
class Headline:
    applications: int
    scored: int
    funded: int
    funded_asked: float
    final: int
    final_asked: float
    budget: float
    sentence: str


@dataclass
class PanelRow:
    label: str
    panellists: int
    scored: int | None  # applications with a counting sheet of the group
    sheets: int | None  # counting final sheets of the group


@dataclass
class GroupVoice:
    """What one group's scores did to the ranking (sections b and c)."""

    key: str
    label: str
    sentence: str  # the projects it brought in and moved out, named
    chart: SlopeChart
    rows: list[dict]  # the applications shown, in rank order
    total: int
    funded_because: list[dict]
    displaced_by: list[dict]
    moves: list[dict] = field(default_factory=list)  # the chart as a list, for phones


@dataclass
class Agreement:
    label_g: str
    label_h: str
    spearman: float | None
    kendall: float | None
    words: str | None
    sentence: str
    applications: int | None = None  # scored by both groups; None: not counted here
    interval: tuple[float, float] | None = None  # 95 %, Fisher's z


@dataclass
class Movement:
    """Who moved toward whom in the meeting: (label g, label h, moved_toward) rows."""

    sentence: str
    rows: list[tuple[str, str, float | None]]
    chart: BarChart | None


@dataclass
class CriterionGap:
    name: str
    apart: Apart  # over applications: the typical gap and who scored higher
    mean_gap: float | None  # DESIGN.md §3's gap: g's mean minus h's, in scale points


@dataclass
class Gaps:
    """How far apart two groups scored: per criterion (scale points) and per application
    (0–100), as a typical size and a direction, never as signed means that cancel."""

    label_g: str
    label_h: str
    sentence: str
    chart: BarChart
    rows: list[CriterionGap]
    scale_range: int
    applications_sentence: str
    applications: list[dict]  # reference, title, g's score, h's score, the gap
    # How many applications both groups scored; a large round lists only the
    # WIDEST_GAPS where they were furthest apart (the downloads have them all).
    applications_total: int = 0


@dataclass
class Meeting:
    """Initial against final, and the panel's decisions that override the scores."""

    sentence: str
    chart: SlopeChart
    rows: list[dict]  # the applications shown, in rank order
    overrides_sentence: str
    overrides: list[dict]
    moves: list[dict] = field(default_factory=list)  # the chart as a list, for phones


@dataclass
class NotShown:
    """The panel's report only (DESIGN.md §4, small groups): the applications whose group
    scores are kept back, each group's line in words, and why."""

    sentence: str
    why: str
    labels: list[str]  # the groups, in the round's order
    rows: list[dict]  # reference, title, lines: one per group, in words
    left_out: str  # what the figures over many applications leave out


@dataclass
class ReportPage:
    report: dict
    headline: Headline
    panel: list[PanelRow]
    chairs: int
    voice_sentences: list[str]  # each group's funding story, the projects named
    voices: list[GroupVoice]
    agreement: list[Agreement]
    movement: Movement
    gaps: list[Gaps]
    meeting: Meeting
    not_shown: NotShown | None = None  # None: the full report, nothing kept back


def report_page(round_: Round, report: dict[str, Any],
                criterion_values: pd.DataFrame | None = None) -> ReportPage:
    """The sections of the report page, from the report dict (plus the panel's
    headcount, which the dict does not hold, and the counting sheets' criterion values
    the dict was made from, for how far apart the groups scored each criterion)."""
    apps = report["applications"]
    panel, chairs = _panel(round_, report)
    held = words.meeting_held(report["round"]["phase"],
                              any(a["initial"]["score"] != a["score"] for a in apps))
    voices = [_group_voice(report, g) for g in report["groups"]]
    return ReportPage(
        report=report, headline=_headline(report), panel=panel, chairs=chairs,
        voice_sentences=[voice.sentence for voice in voices], voices=voices,
        agreement=_agreement(report, counted=True), movement=_movement(report, held),
        gaps=_gaps(report, criterion_values), meeting=_meeting(report, held),
        not_shown=_not_shown(report))


def _not_shown(report: dict[str, Any]) -> NotShown | None:
    k = report["round"].get("min_group_size")
    if k is None:
        return None
    groups = report["round"]["groups"]
    kept = [a for a in report["applications"] if a["not_shown"]]
    rows = [{"reference": a["reference"], "title": a["title"],
             "lines": [words.not_shown(a["not_shown"][g["key"]]) if g["key"] in a["not_shown"]
                       else _("No scores") for g in groups]} for a in kept]
    if kept:
        sentence = ngettext("The group scores of %(count)s application are not shown "
                            "separately.",
                            "The group scores of %(count)s applications are not shown "
                            "separately.", len(kept), count=f"{len(kept):,}")
    else:
        sentence = _("Every group score is shown: on every application, each group that "
                     "scored had at least %(k)s members scoring.", k=k)
    why = _("This is %(why)s. On these applications the scores with and without each group "
            "are not shown either, because together they would give the small group's score "
            "away.", why=words.why_not_shown(k))
    return NotShown(sentence, why, [g["label"] for g in groups], rows,
                    words.left_out_note(len(kept), k))


def _headline(report: dict[str, Any]) -> Headline:
    apps = report["applications"]
    funded = [a for a in apps if a["funded"]]
    final = [a for a in apps if a["final_funded"]]
    asked = sum(a["requested_amount"] for a in funded)
    final_asked = sum(a["requested_amount"] for a in final)
    budget = report["round"]["budget"]
    return Headline(
        # Ranked, not "with a score": the panel's report hides the combined score of an
        # application that one small group scored alone (DESIGN.md §4).
        applications=len(apps), scored=sum(1 for a in apps if a["rank"] is not None),
        funded=len(funded), funded_asked=asked, final=len(final), final_asked=final_asked,
        budget=budget, sentence=words.funded_sentence(len(funded), asked, budget, len(final),
                                                      final_asked, bool(report["overrides"])))


def _panel(round_: Round, report: dict[str, Any]) -> tuple[list[PanelRow], int]:
    """Panellists per group (one query: the dict counts sheets, not people), with the
    applications each group scored and its counting sheets; and how many chairs."""
    counts = db.session.execute(
        select(PanelMember.role, Group.key, func.count(PanelMember.id))
        .outerjoin(Group, PanelMember.group_id == Group.id)
        .where(PanelMember.round_id == round_.id)
        .group_by(PanelMember.role, Group.key)).all()
    panellists = {key: n for role, key, n in counts if role == MemberRole.PANELLIST}
    apps = report["applications"]
    rows = [PanelRow(voice["label"], panellists.get(g, 0),
                     sum(1 for a in apps if a["sheets"][g]), sum(a["sheets"][g] for a in apps))
            for g, voice in report["groups"].items()]
    if panellists.get(None):
        rows.append(PanelRow(_("Not in a group"), panellists[None], None, None))
    return rows, sum(n for role, _, n in counts if role == MemberRole.CHAIR)


def _public_voice_sentences(report: dict[str, Any]) -> list[str]:
    """Each group's funding story as the public may read it: the funded projects named,
    the others counted (:func:`words.public_funding_story`)."""
    funded = {a["reference"]: _name(a) for a in report["applications"] if a["final_funded"]}
    sentences = []
    for voice in report["groups"].values():
        named = [funded[ref] for ref in voice["funded_because"] if ref in funded]
        sentences.append(words.public_funding_story(
            voice["label"], named, len(voice["funded_because"]) - len(named),
            len(voice["displaced_by"])))
    return sentences


def _group_voice(report: dict[str, Any], g: str) -> GroupVoice:
    voice, apps = report["groups"][g], report["applications"]
    titled = {a["reference"]: a for a in apps}
    rows = [SlopeRow(a["reference"], a["rank"], a["without"][g]["rank"], a["funded"],
                     a["without"][g]["funded"], a["title"] or "") for a in apps]
    because = [titled[ref] for ref in voice["funded_because"]]
    displaced = [titled[ref] for ref in voice["displaced_by"]]
    return GroupVoice(
        key=g, label=voice["label"],
        sentence=words.funding_story(voice["label"], [_name(a) for a in because],
                                     [_name(a) for a in displaced]),
        # Each heading is two lines (first, second) under one side of the chart.
        chart=slope_chart(shown_rows(rows), (_("Rank with"), _("every group")),
                          (_("Rank without"), voice["label"])),
        rows=_shown(apps, rows), total=len(apps), funded_because=because,
        displaced_by=displaced,
        moves=_moves(shown_rows(rows),
                     lambda before, after: _("Rank %(before)s → %(after)s without %(group)s",
                                             before=before, after=after,
                                             group=voice["label"]),
                     lambda r: words.shift(_difference(r))))


def _name(application: dict) -> str:
    return application["title"] or application["reference"]


def _difference(row: SlopeRow) -> int | None:
    if row.left_rank is None or row.right_rank is None:
        return None
    return row.right_rank - row.left_rank


def _moves(rows: list[SlopeRow], line, change) -> list[dict]:
    """A slope chart as a list for a phone: "Rank 3 → 7 without Lived experience"
    (``line(before, after)`` says it whole, in the reader's language)."""
    return [{"title": r.title or r.reference, "reference": r.reference,
             "line": line(words.rank(r.left_rank), words.rank(r.right_rank)
                          if r.right_rank is not None else _("no score")),
             "change": change(r), "kind": r.kind}
            for r in sorted((r for r in rows if r.left_rank is not None),
                            key=lambda r: r.left_rank)]


def _shown(apps: list[dict], rows: list[SlopeRow]) -> list[dict]:
    shown = {r.reference for r in shown_rows(rows)}
    return [a for a in apps if a["reference"] in shown]


def _pairs(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Each pair of groups once, in the round's order."""
    keys = list(report["groups"])
    return [(g, h) for n, g in enumerate(keys) for h in keys[n + 1:]]


def _agreement(report: dict[str, Any], counted: bool = False) -> list[Agreement]:
    """Each pair's agreement; ``counted``: with how many applications both groups scored,
    the 95 % interval and "too few applications to tell" (the report page)."""
    groups = report["groups"]
    found = []
    for g, h in _pairs(report):
        figures = groups[g]["agreement"][h]
        label_g, label_h = groups[g]["label"], groups[h]["label"]
        rho = figures["spearman"]
        n = _both_scored(report, g, h) if counted else None
        found.append(Agreement(label_g, label_h, rho, figures["kendall"],
                               words.agreement_words(rho, n),
                               words.agreement_sentence(label_g, label_h, rho, n), n,
                               None if n is None else words.spearman_interval(rho, n)))
    return found


def _both_scored(report: dict[str, Any], g: str, h: str) -> int:
    """The applications with a (shown) score from both groups: those agreement is over."""
    return sum(1 for a in report["applications"]
               if a["group_scores"][g] is not None and a["group_scores"][h] is not None)


def _movement(report: dict[str, Any], held: bool) -> Movement:
    groups = report["groups"]
    rows = [(groups[g]["label"], groups[h]["label"], value)
            for g in groups for h, value in groups[g]["moved_toward"].items()]
    chart = diverging_bars(
        ((_("The %(g)s group, toward the %(h)s group", g=g, h=h), value, words.moved(value))
         for g, h, value in rows),
        _("\u2190\u00a0Moved away"), _("Moved toward\u00a0\u2192"), limit=100) if rows else None
    return Movement(words.movement_sentence(held, rows), rows, chart)


def _gaps(report: dict[str, Any], values: pd.DataFrame | None) -> list[Gaps]:
    groups, criteria = report["groups"], report["round"]["criteria"]
    scale = report["round"]["scale"]
    span = scale["max"] - scale["min"]
    keys = [c["key"] for c in criteria]
    names = {c["key"]: c["name"] for c in criteria}
    scores = pd.DataFrame([{g: a["group_scores"][g] for g in groups}
                           for a in report["applications"]],
                          index=[a["reference"] for a in report["applications"]], dtype=float)
    found = []
    for g, h in _pairs(report):
        label_g, label_h = groups[g]["label"], groups[h]["label"]
        typical = (criterion_apart(values, g, h, keys) if values is not None
                   else {c: Apart(0, None, 0, 0) for c in keys})
        rows = [CriterionGap(names[c], typical[c], groups[g]["criterion_gap"][h].get(c))
                for c in keys]
        chart = bars_from_zero(((row.name, row.apart.typical, words.size_of(
            row.apart.typical, 2, span)) for row in rows), span)
        gaps = application_gaps(scores, g, h)
        scored = gaps.dropna()
        listed = set(_listed(gaps))
        overall = apart(gaps)
        found.append(Gaps(
            label_g, label_h, words.widest_gap_sentence(
                label_g, label_h, [(row.name, row.apart.applications, row.apart.typical,
                                    row.apart.g_higher, row.apart.h_higher) for row in rows],
                scale), chart, rows, span,
            words.typical_sentence(label_g, label_h, overall.applications, overall.typical,
                                   overall.g_higher, overall.h_higher),
            [{"reference": a["reference"], "title": a["title"],
              "g": a["group_scores"][g], "h": a["group_scores"][h],
              "gap": words.higher(label_g, label_h, gaps[a["reference"]])}
             for a in report["applications"] if a["reference"] in listed],
            len(scored)))
    return found


WIDEST_GAPS = 100  # a larger round's page lists the applications with the widest gaps


def _listed(gaps: pd.Series) -> pd.Index:
    """The applications the page lists the gap of: every one both groups scored, or in a
    larger round the :data:`WIDEST_GAPS` where they were furthest apart."""
    scored = gaps.dropna()
    if len(scored) <= WIDEST_GAPS:
        return scored.index
    return scored.abs().nlargest(WIDEST_GAPS, keep="first").index


def _meeting(report: dict[str, Any], held: bool) -> Meeting:
    apps = report["applications"]
    rows = [SlopeRow(a["reference"], a["initial"]["rank"], a["rank"], a["initial"]["funded"],
                     a["funded"], a["title"] or "") for a in apps]
    titles = {a["reference"]: a["title"] for a in apps}
    return Meeting(
        sentence=words.meeting_change_sentence(
            held, sum(1 for a in apps if a["initial"]["rank"] != a["rank"]),
            sum(1 for a in apps if a["funded"] and not a["initial"]["funded"]),
            sum(1 for a in apps if a["initial"]["funded"] and not a["funded"])),
        chart=slope_chart(shown_rows(rows), (_("Rank before"), _("the meeting")),
                          (_("Rank after"), _("the meeting"))),
        rows=_shown(apps, rows), overrides_sentence=_overrides_sentence(report),
        moves=_moves(shown_rows(rows),
                     lambda before, after: _("Rank %(before)s → %(after)s after the meeting",
                                             before=before, after=after),
                     lambda r: words.moved_places(r.left_rank, r.right_rank)),
        overrides=[{**o, "title": titles[o["reference"]],
                    "decision_label": outcome_label(o["decision"])}
                   for o in report["overrides"]])


def _overrides_sentence(report: dict[str, Any]) -> str:
    overrides = report["overrides"]
    return words.overrides_sentence(sum(1 for o in overrides if o["final_funded"]),
                                    sum(1 for o in overrides if not o["final_funded"]))


# The public summary --------------------------------------------------------------------------

@dataclass
class SummaryPage:
    """What may be published: counts, the funded list, the headline sentences and the
    agreement figures. No names, e-mails, comments, identifying fields or rationales:
    the template is not even given the report dict, which holds the rationales."""

    headline: Headline
    panel: list[PanelRow]
    chairs: int
    funding_rule: str
    weighting: str
    funded: list[dict]
    voice_sentences: list[str]
    agreement: list[Agreement]
    overrides_sentence: str
    left_out: str  # what the agreement figures leave out (small groups), or ""
    # The columns the funder publishes (Round.public_columns), shown for funded
    # applications only; each funded dict has their values under "published".
    public_columns: list[str] = field(default_factory=list)


# Never published, whatever a round says: they name or reach a person.
NEVER_PUBLIC = ("applicant_name", "contact_email")


def published_values(round_: Round) -> tuple[list[str], dict[str, list[str]]]:
    """The round's public columns and, per reference, their values: the columns a funder
    publishes for funded applications (e.g. organisation), never a person's name or
    e-mail address."""
    columns = [c for c in round_.public_columns or [] if c not in NEVER_PUBLIC]
    if not columns:
        return columns, {}
    # Three columns, not every application whole (20,000 of them on a large round).
    rows = db.session.execute(select(Application.reference, Application.organisation,
                                     Application.extra)
                              .where(Application.round_id == round_.id))
    values = {reference: [str(organisation if c == "organisation" else
                              (extra or {}).get(c, "") or "") for c in columns]
              for reference, organisation, extra in rows}
    return columns, values


def summary_page(round_: Round, report: dict[str, Any]) -> SummaryPage:
    panel, chairs = _panel(round_, report)
    summary = report["round"]
    columns, values = published_values(round_)
    return SummaryPage(
        headline=_headline(report), panel=panel, chairs=chairs,
        funding_rule=str(words.FUNDING_RULES.get(summary["funding_rule"],
                                                 summary["funding_rule"])),
        weighting=str(words.WEIGHTINGS.get(summary["weighting"], summary["weighting"])),
        funded=[{**a, "published": values.get(a["reference"], [])}
                for a in report["applications"] if a["final_funded"]],
        voice_sentences=_public_voice_sentences(report), agreement=_agreement(report),
        overrides_sentence=_overrides_sentence(report),
        left_out=words.left_out_note(sum(1 for a in report["applications"]
                                         if a.get("not_shown")),
                                     summary.get("min_group_size", 0)),
        public_columns=columns)


def funded_csv(report: dict[str, Any],
               published: tuple[list[str], dict[str, list[str]]] = ([], {})) -> str:
    """The summary's funded list: reference, title, amount (whole pounds, as on the page)
    and how it was chosen, and the columns the funder publishes (``published``, from
    :func:`published_values`)."""
    columns, values = published
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(["reference", "title", "requested_amount", "chosen_by", *columns])
    for a in report["applications"]:
        if a["final_funded"]:
            writer.writerow([a["reference"], a["title"], words.whole_pounds(a["requested_amount"]),
                             "scores" if a["funded"] else "panel decision",
                             *values.get(a["reference"], [])])
    return out.getvalue()
