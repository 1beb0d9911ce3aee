"""Revising a score during the item (DESIGN.md §6), one question per screen as in scoring:

/meetings/<slug>/revise                  their answers now, in their scale's words, each
                                         with "Change"; with ``?since=`` the live region
                                         that says when the item has closed
/meetings/<slug>/revise/question/<n>     one question, Back and Next
/meetings/<slug>/revise/check            old → new answers, the reason asked once, save

Only for a panel member whose sheet counts on the current item
(:func:`services.revise_refusal`). Until it is saved, the new answers are a draft in the
Flask session for that item, so a reload or a dropped connection loses nothing. The draft
remembers which revision it started from: if another device saves first, the draft is
dropped and the member is shown what is saved now. Every form names the item it was
shown for, and a form sent after the chair moved on changes nothing."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from panel import access
from panel.moderation import forms, meeting, services
from panel.moderation.live import live_page
from panel.moderation.models import Meeting
from panel.moderation.services import SAVED_ELSEWHERE, MeetingError
from panel.rounds.models import Application, Criterion, PanelMember, Round
from panel.scoring.forms import in_words
from panel.scoring.models import ScoreSheet
from panel.scoring.services import UNABLE
from panel.transactions import change

DRAFTS = "revise_drafts"
MOVED_ON = _l("The chair has moved on to another application, so your score was not "
              "changed.")


@dataclass(frozen=True)
class Answer:
    """One question of the revise screens: what is saved, and what the draft says."""

    number: int
    criterion: Criterion
    saved: str  # "4" or "unable"
    now: str  # the draft's answer, else the saved one
    saved_words: str
    now_words: str

    @property
    def changed(self) -> bool:
        return self.saved != self.now


@dataclass(frozen=True)
class Item:
    """The current item as the member revising it sees it."""

    round: Round
    meeting: Meeting
    application: Application
    sheet: ScoreSheet  # the member's final sheet now
    answers: list[Answer]
    draft_dropped: bool  # another device saved since the draft began

    @property
    def changed(self) -> bool:
        return any(a.changed for a in self.answers)

    def draft_scores(self) -> dict[str, str]:
        return {a.criterion.key: a.now for a in self.answers}


# The screens ----------------------------------------------------------------------------

@access.panel_round
def revise(round_: Round, member: PanelMember):
    if "since" in request.args:
        return _live(round_)
    item = _item(round_, member)
    if not isinstance(item, Item):
        return item
    return _render("moderation/revise.html", item,
                   problems=[SAVED_ELSEWHERE] if item.draft_dropped else [])


@access.panel_round
def revise_question(round_: Round, member: PanelMember, number: int):
    item = _item(round_, member)
    if not isinstance(item, Item):
        return item
    if not 1 <= number <= len(item.answers):
        abort(404)
    answer = item.answers[number - 1]
    to_check = request.args.get("then") == "check"
    data = {"score": answer.now, "application": item.application.reference}
    if item.draft_dropped:  # show what is saved now, whatever was sent
        form = forms.revise_question_form(round_, answer.criterion, formdata=None, data=data)
    else:
        form = forms.revise_question_form(round_, answer.criterion, data=data)
    if not item.draft_dropped and form.validate_on_submit():
        _remember(item, {answer.criterion.key: form.score.data})
        if number < len(item.answers) and not to_check:
            return redirect(url_for("meeting.revise_question", slug=round_.slug,
                                    number=number + 1))
        return redirect(url_for("meeting.revise_check", slug=round_.slug))
    back = (url_for("meeting.revise_check", slug=round_.slug) if to_check
            else url_for("meeting.revise_question", slug=round_.slug, number=number - 1)
            if number > 1 else url_for("meeting.revise", slug=round_.slug))
    problems = [SAVED_ELSEWHERE] if item.draft_dropped else []
    status = 409 if problems and request.method == "POST" else 400 if form.errors else 200
    return _render("moderation/revise_question.html", item, form=form, problems=problems,
                   answer=answer, number=number, back=back, status=status)


@access.panel_round
def revise_check(round_: Round, member: PanelMember):
    item = _item(round_, member)
    if not isinstance(item, Item):
        return item
    form = forms.ReasonForm(data={"application": item.application.reference})
    problems = [SAVED_ELSEWHERE] if item.draft_dropped else []
    if not item.draft_dropped and form.validate_on_submit():
        with change(MeetingError) as done:
            sheet = services.revise_sheet(current_user, member, item.meeting,
                                          item.sheet.revision, item.draft_scores(),
                                          form.reason.data)
            saved = _in_words(round_, sheet)
        if not done.refused:
            _forget()
            flash(_("Your new score is saved: %(answers)s. Your first score stays on record.",
                    answers=saved), "success")
            return redirect(url_for("meeting.follow", slug=round_.slug))
        problems = [done.refusal]
        if done.refusal == SAVED_ELSEWHERE:
            # Another device saved first: drop this draft and show what is saved now.
            _forget()
            item = _item(round_, member)
            if not isinstance(item, Item):
                return item
    status = 409 if problems and request.method == "POST" else 400 if form.errors else 200
    return _render("moderation/revise_check.html", item, form=form, problems=problems,
                   status=status)


def _render(template: str, item: Item, status: int = 200, **context):
    return render_template(template, round=item.round, item=item,
                           application=item.application, version=meeting.version(item.round),
                           current=item.application.reference,
                           shown=item.application.reference, **context), status


def _live(round_: Round):
    """The live region: whether the item this page was opened for is still open."""
    running = meeting.meeting_of(round_)

    def build():
        current = running.current_application if running else None
        return {"current": current.reference if current else "",
                "shown": request.args.get("item", "")}

    return live_page(round_, "moderation/_revise_live.html",
                     "moderation/_revise_live.html", build)


# The item and its draft ------------------------------------------------------------------

def _item(round_: Round, member: PanelMember) -> Item | Response:
    """The current item with the member's answers, or a redirect to the meeting with why
    they cannot revise (a form sent for an item the chair has left: "moved on")."""
    running = meeting.meeting_of(round_)
    current = running.current_application if running else None
    follow = redirect(url_for("meeting.follow", slug=round_.slug))
    if request.method == "POST" and request.form.get("application") != (
            current.reference if current else None):
        _forget()
        flash(str(MOVED_ON), "error")
        return follow
    refusal = services.revise_refusal(member, running)
    if refusal:
        flash(refusal, "error")
        return follow
    sheet = services.latest_sheet(member.id, current.id)
    saved = services.sheet_values(sheet, round_)
    draft = session.get(DRAFTS, {}).get(str(current.id))
    dropped = draft is not None and draft.get("revision") != sheet.revision
    if dropped:
        _forget()
    now = {**saved, **(draft["scores"] if draft and not dropped else {})}
    answers = [Answer(n, c, saved[c.key], now[c.key], _words(round_, c, saved[c.key]),
                      _words(round_, c, now[c.key]))
               for n, c in enumerate(round_.criteria, start=1)]
    return Item(round_, running, current, sheet, answers, dropped)


def _remember(item: Item, scores: dict[str, str]) -> None:
    """Keep the member's new answers for this item only, with the revision they began
    from (the session is a cookie: one item's draft at a time keeps it small)."""
    session[DRAFTS] = {str(item.application.id): {
        "revision": item.sheet.revision, "scores": {**item.draft_scores(), **scores}}}


def _forget() -> None:
    session.pop(DRAFTS, None)


def _words(round_: Round, criterion: Criterion, answer: str) -> str:
    return in_words(round_, criterion, None if answer == UNABLE else int(answer))


def _in_words(round_: Round, sheet: ScoreSheet) -> str:
    """"Quality – Excellent – 5 of 5; Need – Good – 4 of 5" for the flash."""
    values = services.sheet_values(sheet, round_)
    return "; ".join(_("%(question)s – %(answer)s", question=c.name,
                       answer=_words(round_, c, values[c.key])) for c in round_.criteria)
