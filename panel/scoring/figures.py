"""A round's figures (DESIGN.md §3), computed one way for every page, download and
command that shows them:

    frames = load(round_, options)      # from the database: three statements, any size
    found = figures(frames, options)    # pure: DataFrames in, Figures out
    found = round_figures(round_, options)   # both

The ranking page, the meeting, the report, ``flask round report`` and the benchmarks all
call these. Who counts is decided here once, in SQL (:mod:`panel.scoring.models`: only
submitted sheets, the initial and the final sheet of each member, never a member who
stepped out); the arithmetic is :mod:`panel.scoring.rules`, which knows no database.

:data:`RANKING` is what the ranking page and the meeting need (final and initial
rankings, the chair's decisions); :data:`REPORT` adds the rankings without each group and
what each group changed (community voice), which needs every criterion's score.
"""
from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

import numpy as np
import pandas as pd
from sqlalchemy import Select, case, func, select

from panel.extensions import db
from panel.moderation.models import Decision, Lottery
from panel.rounds.models import Application, Criterion, Group, PanelMember, Round
from panel.scoring import disclosure, rank_model, rules, rules_lottery, rules_voice
from panel.scoring.models import (
    CriterionScore,
    ScoreSheet,
    is_final_sheet,
    is_initial_sheet,
    member_takes_part,
)


@dataclass(frozen=True)
class Options:
    """Which figures to compute beyond the final and initial rankings and decisions."""

    community_voice: bool = False  # the ranking without each group, and what each changed


T = TypeVar("T")

RANKING = Options()
REPORT = Options(community_voice=True)


@dataclass(frozen=True)
class Frames:
    """A round as :func:`figures` takes it.

    - ``applications``: ``reference``, ``title``, ``requested_amount``, by reference;
    - ``sheets``: the sheets that may count, one row each: ``sheet`` (id), ``member``,
      ``group`` (key, None for a member in no group), ``reference``, ``initial`` and
      ``final`` (which figures the sheet counts in) and ``score``, the sheet's S as stored
      when it was submitted (missing when it scored nothing); frames built by hand may
      give ``points`` = Σ w_c (s_c − min) and ``weight`` = Σ w_c instead
      (:func:`panel.scoring.rules.sheet_scores`);
    - ``criterion_values``: ``sheet``, ``criterion`` (key), ``value`` of every
      criterion of the final sheets, NaN where not scored (only with
      :attr:`Options.community_voice`, else None);
    - ``decisions``: ``reference``, ``outcome``, ``rationale``.
    """

    rules: rules.Rules
    applications: pd.DataFrame
    sheets: pd.DataFrame
    decisions: pd.DataFrame
    criterion_values: pd.DataFrame | None = None
    # Under the rule lottery, once drawn: the draw that funds the grey zone (§3a).
    drawn: rules_lottery.Drawn | None = None


@dataclass
class Figures:
    """Every figure of DESIGN.md §3 that ``options`` asked for."""

    rules: rules.Rules
    applications: pd.DataFrame  # as loaded: reference, title, requested_amount
    final: rules.Ranking
    initial: rules.Ranking
    counting: pd.DataFrame  # the final counting sheets: member, group, reference, score
    initial_counting: pd.DataFrame
    decisions: pd.DataFrame  # index reference: decision, rationale, final_funded
    overrides: list[dict]
    warnings: list[str]
    without: dict[str, rules.Ranking] = field(default_factory=dict)  # community voice only
    voice: dict[str, dict] = field(default_factory=dict)  # community voice only
    # The counting final sheets' criterion values with each sheet's group (community
    # voice only), from which the per-criterion figures are made.
    criterion_values: pd.DataFrame | None = None
    # Per application, True where a small group hides its group figures from panellists
    # and the public (:func:`for_panel`); None in the figures officers and auditors see.
    guarded: pd.Series | None = None

    @property
    def budget(self):
        return self.rules.budget


def round_figures(round_: Round, options: Options = RANKING) -> Figures:
    """The figures of ``round_`` as it is in the database now."""
    return figures(load(round_, options), options)


def figures(frames: Frames, options: Options = RANKING) -> Figures:
    """Final and initial rankings with the funding line, the chair's decisions against
    them and, with ``options.community_voice``, every group's counterfactual and voice."""
    settings = frames.rules
    apps = frames.applications
    sheets = frames.sheets
    if "score" not in sheets.columns:
        sheets = sheets.assign(score=rules.sheet_scores(sheets, settings))
    final_sheets = rules.counting_sheets(sheets, "final")
    initial_sheets = rules.counting_sheets(sheets, "initial")
    final = rules.ranking(final_sheets, apps, settings)
    if frames.drawn is not None:
        final = rules_lottery.applied(final, apps, settings.budget, frames.drawn)
    initial = rules.ranking(initial_sheets, apps, settings)
    outcome, overrides, warnings = rules.decide(final, frames.decisions, apps, settings)
    found = Figures(settings, apps, final, initial, final_sheets, initial_sheets, outcome,
                    overrides, warnings)
    if options.community_voice:
        found.without = {
            g: rules.ranking(final_sheets[final_sheets["group"] != g], apps, settings,
                             [h for h in settings.groups if h != g])
            for g in settings.groups}
        found.criterion_values = frames.criterion_values.merge(
            final_sheets[["sheet", "group", "reference"]], on="sheet")
        found.voice = _voice(found, found.criterion_values)
    return found


def updated_figures(found: Figures, round_: Round, application_ids: list[int]) -> Figures:
    """``found`` (:data:`RANKING`) after the sheets of ``application_ids`` changed (a sheet
    submitted or revised): their sheets read again with the same rules of who counts,
    their scores made again and every rank and funding line redrawn
    (:func:`rules.ranking_updated`); the same figures :func:`round_figures` would make,
    without reading the round's other sheets. The decisions are as ``found`` had them
    (:func:`with_decisions` lays the current ones over)."""
    sheets = _frame(_sheets(round_).where(ScoreSheet.application_id.in_(application_ids)),
                    plain=True).astype(SHEET_TYPES)
    changed = pd.Index(db.session.scalars(select(Application.reference).where(
        Application.id.in_(application_ids))).all(), name="reference")
    settings, apps = found.rules, found.applications
    final_sheets = rules.counting_sheets(sheets, "final")
    initial_sheets = rules.counting_sheets(sheets, "initial")
    final = rules.ranking_updated(found.final, final_sheets, changed, apps, settings)
    drawn = _drawn(round_)
    if drawn is not None:  # the chair's draw funds the grey zone, as in :func:`figures`
        final = rules_lottery.applied(final, apps, settings.budget, drawn)
    updated = replace(found, final=final,
                      counting=_replaced(found.counting, final_sheets, changed))
    _carried(found, updated, final_sheets, changed)
    if not _same_sheets(found.initial_counting, initial_sheets, changed):
        # A revision never changes the initial figures; a sheet submitted while scoring
        # is open does.
        updated.initial = rules.ranking_updated(found.initial, initial_sheets, changed, apps,
                                                settings)
        updated.initial_counting = _replaced(found.initial_counting, initial_sheets, changed)
    return updated


def _same_sheets(counting: pd.DataFrame, new: pd.DataFrame, changed: pd.Index) -> bool:
    old = counting[counting["reference"].isin(changed)]
    return sorted(zip(old["sheet"].tolist(), old["score"].tolist())) == sorted(
        zip(new["sheet"].tolist(), new["score"].tolist()))


def _replaced(counting: pd.DataFrame, new: pd.DataFrame, changed: pd.Index) -> pd.DataFrame:
    kept = counting[~counting["reference"].isin(changed)]
    if new.empty:
        return kept.reset_index(drop=True)
    return pd.concat([kept, new[kept.columns]], ignore_index=True)


def with_decisions(found: Figures, decisions: pd.DataFrame) -> Figures:
    """``found`` with the chair's ``decisions`` (``reference``, ``outcome``,
    ``rationale``) in place of those it was made with: the rankings are shared, only
    what the decisions decide is made again (a few milliseconds on any round)."""
    outcome, overrides, warnings = rules.decide(found.final, decisions, found.applications,
                                                found.rules)
    return replace(found, decisions=outcome, overrides=overrides, warnings=warnings)


_made: dict[tuple[int, str], tuple[weakref.ref, object]] = {}
_made_guard = threading.Lock()


def made_once(ranking: rules.Ranking, name: str, make: Callable[[], T]) -> T:
    """``make()``, made once per ``ranking`` of shared figures and kept as long as that
    ranking lives: pages that show a table drawn from a whole ranking (the agenda's
    standing, the ranking page in rank order) make it once per version of the scores,
    not once per request. ``ranking`` may be any part of the figures that is replaced,
    never changed, when they change (a ranking, the counting sheets)."""
    kept = _made_for(ranking, name)
    if kept is not None:
        return kept[0]
    made = make()
    _keep_made(ranking, name, made)
    return made


def _made_for(owner: object, name: str) -> tuple[object] | None:
    """What :func:`made_once` made for ``owner`` under ``name``, if it has (in a tuple)."""
    with _made_guard:
        kept = _made.get((id(owner), name))
    return (kept[1],) if kept is not None and kept[0]() is owner else None


def _keep_made(owner: object, name: str, made: object) -> None:
    key = (id(owner), name)
    with _made_guard:
        _made[key] = (weakref.ref(owner), made)
    weakref.finalize(owner, _made.pop, key, None)


def sheet_blocks(found: Figures) -> rank_model.SheetBlocks:
    """The final counting sheets of ``found`` as the model's inputs digest hashes them,
    made once per version of the sheets; :func:`updated_figures` carries them on,
    remaking only the changed applications' blocks."""
    return made_once(found.counting, SHEET_BLOCKS,
                     lambda: rank_model.SheetBlocks.of(found.counting))


SHEET_BLOCKS = "sheet blocks"


def per_application(found: Figures, name: str,
                    make: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    """``make(counting)`` over the final counting sheets of ``found``: one value per
    application of the round (index reference; NaN where ``make`` gives none), made once
    per version of the sheets. ``make`` must give each application's value from that
    application's own sheets alone: :func:`updated_figures` carries the values on,
    making only the changed applications' again."""
    _PER_APPLICATION[name] = make
    return made_once(found.counting, name,
                     lambda: make(found.counting).reindex(found.final.table.index))


_PER_APPLICATION: dict[str, Callable[[pd.DataFrame], pd.Series]] = {}


def _carried(found: Figures, updated: Figures, counting: pd.DataFrame,
             changed: pd.Index) -> None:
    """What was made once for the counting sheets of ``found``, made for ``updated``
    from the changed applications' counting sheets alone."""
    blocks = _made_for(found.counting, SHEET_BLOCKS)
    if blocks is not None:
        _keep_made(updated.counting, SHEET_BLOCKS, blocks[0].updated(counting, changed))
    for name, make in list(_PER_APPLICATION.items()):
        kept = _made_for(found.counting, name)
        if kept is not None:
            values = kept[0].copy()
            values.loc[changed] = make(counting).reindex(changed).to_numpy()
            _keep_made(updated.counting, name, values)


def load_decisions(round_: Round) -> pd.DataFrame:
    """The round's decisions as :class:`Frames` holds them: one statement."""
    return _frame(_decisions(round_))


def for_panel(found: Figures, min_group_size: int) -> Figures:
    """``found`` as panellists and the public may see it (:mod:`disclosure`): the group
    scores of guarded applications taken out of every ranking, their scores without a
    group too, and the figures over many applications made from the others alone."""
    k = min_group_size
    hidden = disclosure.guarded(found.final, found.initial, k)
    # An application scored by one small group alone has that group's score as its
    # combined score: kept from them too (its rank and funding stay).
    shown = replace(found, guarded=hidden,
                    final=_without_scores(found.final, hidden, disclosure.alone(found.final, k)),
                    initial=_without_scores(found.initial, hidden,
                                            disclosure.alone(found.initial, k)))
    if found.voice:
        shown.without = {g: _without_scores(ranking, hidden, hidden)
                         for g, ranking in found.without.items()}
        values = found.criterion_values
        shown.criterion_values = values[~values["reference"].isin(hidden.index[hidden])]
        shown.voice = _voice(shown, shown.criterion_values)
        for g, voice in shown.voice.items():  # ranks and funding are not scores: as found
            voice.update({key: found.voice[g][key]
                          for key in ("rank_shift", "funded_because", "displaced_by")})
    return shown


def _without_scores(ranking: rules.Ranking, hidden: pd.Series,
                    no_score: pd.Series) -> rules.Ranking:
    """``ranking`` with the group scores of ``hidden`` and the combined scores of
    ``no_score`` applications taken out; ranks and funding as they are."""
    table = ranking.table.copy()
    table.loc[no_score.reindex(table.index, fill_value=False), "score"] = float("nan")
    return disclosure.masked(rules.Ranking(table, ranking.group_scores, ranking.sheets), hidden)


def _voice(found: Figures, values: pd.DataFrame) -> dict[str, dict]:
    return rules_voice.community_voice(found.final, found.initial, found.without, values,
                                       found.rules.groups,
                                       list(found.rules.criterion_weights))


# Loading ---------------------------------------------------------------------------------

def load(round_: Round, options: Options = RANKING) -> Frames:
    """The frames of ``round_``: three statements, whatever the size of the round (the
    criterion values come with the sheets)."""
    return frames_of(round_, {name: _frame(statement, plain=name == "sheets")
                              for name, statement in statements(round_, options).items()},
                     options)


def statements(round_: Round, options: Options = RANKING) -> dict[str, Select]:
    """The statement of each table :func:`frames_of` takes, by name, for ``round_``."""
    return {
        "applications": select(Application.reference, Application.title,
                               Application.requested_amount)
        .where(Application.round_id == round_.id).order_by(Application.reference),
        "sheets": _sheets(round_, options.community_voice),
        "decisions": _decisions(round_),
    }


def _decisions(round_: Round) -> Select:
    return (select(Application.reference, Decision.outcome, Decision.rationale)
            .join(Application, Decision.application_id == Application.id)
            .where(Application.round_id == round_.id))


def frames_of(round_: Round, tables: dict[str, pd.DataFrame],
              options: Options = RANKING) -> Frames:
    """:class:`Frames` from the rows of :func:`statements` (one table each)."""
    sheets = tables["sheets"]
    values = None
    if options.community_voice:
        values = _criterion_values(sheets, [c.key for c in round_.criteria])
        sheets = sheets.drop(columns=[c for c in sheets.columns if c.startswith(CRITERION)])
    return Frames(rules=round_rules(round_), applications=tables["applications"],
                  sheets=sheets.astype(SHEET_TYPES), decisions=tables["decisions"],
                  criterion_values=values, drawn=_drawn(round_))


def _drawn(round_: Round) -> rules_lottery.Drawn | None:
    """The round's draw, when its rule is lottery and the chair has drawn."""
    if round_.funding_rule != "lottery":
        return None
    found = db.session.execute(select(Lottery.grey_zone, Lottery.order)
                               .where(Lottery.round_id == round_.id)).first()
    if found is None or found.order is None:
        return None
    return rules_lottery.Drawn(list(found.grey_zone), list(found.order))


# What the sheets' columns hold, whatever the database hands over for them.
SHEET_TYPES = {"initial": bool, "final": bool, "score": float}
CRITERION = "criterion_"  # the sheets' column of each criterion's value, by position


def round_rules(round_: Round) -> rules.Rules:
    """The settings of ``round_`` that the numbers depend on."""
    return rules.Rules(
        scale_min=round_.scale_min, scale_max=round_.scale_max, budget=round_.budget,
        funding_rule=round_.funding_rule, weighting=round_.weighting,
        group_weights={g.key: g.weight for g in round_.groups},
        criterion_weights={c.key: c.weight for c in round_.criteria})


def _counted(round_: Round) -> Select:
    """Ids of the round's sheets that may count: submitted, initial or final, and their
    member has not stepped out of the application."""
    is_initial, is_final = is_initial_sheet(), is_final_sheet()
    return (select(ScoreSheet.id.label("sheet"), is_initial.label("initial"),
                   is_final.label("final"))
            .join(Application, ScoreSheet.application_id == Application.id)
            .where(Application.round_id == round_.id, is_initial | is_final,
                   member_takes_part()))


def _sheets(round_: Round, criteria: bool = False) -> Select:
    """The sheets that may count with their stored score S; with ``criteria``, each
    criterion's value on the sheet too (one column each, in the rubric's order), read in
    the same pass."""
    by_criterion = [func.max(case((CriterionScore.criterion_id == c.id, CriterionScore.value)))
                    .label(f"{CRITERION}{n}") for n, c in enumerate(round_.criteria)
                    ] if criteria else []
    counted = _counted(round_).subquery()
    statement = (
        select(counted.c.sheet, ScoreSheet.member_id.label("member"), Group.key.label("group"),
               Application.reference, counted.c.initial, counted.c.final, ScoreSheet.score)
        .join(ScoreSheet, ScoreSheet.id == counted.c.sheet)
        .join(Application, ScoreSheet.application_id == Application.id)
        .join(PanelMember, ScoreSheet.member_id == PanelMember.id)
        .outerjoin(Group, PanelMember.group_id == Group.id)
        # Means add up in this order: initial sheets first, then revisions, each by id,
        # so that the last digit of a figure never depends on the database's plan.
        .order_by(ScoreSheet.revision, counted.c.sheet))
    if not criteria:
        return statement
    values = (select(CriterionScore.sheet_id, *by_criterion)
              .join(Criterion, CriterionScore.criterion_id == Criterion.id)
              .where(Criterion.round_id == round_.id, CriterionScore.value.is_not(None))
              .group_by(CriterionScore.sheet_id).subquery())
    return (statement.add_columns(*(values.c[column.name] for column in by_criterion))
            .outerjoin(values, values.c.sheet_id == counted.c.sheet))


def _criterion_values(sheets: pd.DataFrame, criteria: list[str]) -> pd.DataFrame:
    """``sheet``, ``criterion``, ``value`` of every criterion of the final sheets (value
    NaN where not scored), from the criterion columns of :func:`_sheets`. Their means are
    of whole numbers, exact in any order."""
    final = sheets[sheets["final"].astype(bool)].sort_values("sheet", kind="stable")
    values = final[[f"{CRITERION}{n}" for n in range(len(criteria))]].to_numpy(dtype=float)
    return pd.DataFrame({"sheet": np.repeat(final["sheet"].to_numpy(), len(criteria)),
                         "criterion": np.tile(np.array(criteria, dtype=object), len(final)),
                         "value": values.ravel()})


def _frame(statement, plain: bool = False) -> pd.DataFrame:
    """The rows of ``statement`` as a DataFrame. With ``plain``, straight from the
    driver's cursor, skipping SQLAlchemy's per-row processing: for the sheets, whose
    columns are ids, keys, flags and floats that the driver already hands over as
    such (:data:`SHEET_TYPES` then settles the flags)."""
    # These are plain columns: run through Core, not the ORM, and hand pandas plain
    # tuples (given Rows it probes each for a dtype and copies it), as a large round's
    # sheets are a hundred thousand rows.
    session = db.session
    if session.autoflush:  # as session.execute would, so pending changes are counted
        session.flush()
    result = session.connection().execute(statement)
    columns = list(result.keys())
    if plain:
        rows = result.cursor.fetchall()
        result.close()
    else:
        rows = list(map(tuple, result.fetchall()))
    return pd.DataFrame.from_records(rows, columns=columns)
