"""Route guards: each route says once, with a decorator from here, who may open it and in
which phases; the rule itself is a function of :mod:`panel.policy`. A refused request
changes nothing.

How a refusal looks depends on what the person may know (DESIGN.md §4, §9):

- not signed in: the sign-in page, which brings them back afterwards;
- staff pages (:func:`staff`, :func:`officer_round`): 403 for the wrong kind of person,
  and for an officer, the round's "not in this phase" page (409);
- panel pages (:func:`panel_round`, :func:`member_assignment`, :func:`report_reader`,
  :func:`meeting_runner`, and :func:`summary_reader` before publication): 404 for anyone off the panel, as if there were no such round,
  because even knowing a round or an application exists can say too much;
- a change to the meeting while it is not running (:func:`meeting_running`): back to the
  chair's page with a message.

Every decorator also writes what it checks on the view (``view.access``), so that
tests/web/test_access_matrix.py can refuse a route that declares nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from panel import policy
from panel.accounts.models import Role
from panel.extensions import login_manager
from panel.rounds.models import Phase
from panel.rounds.queries import round_by_slug
from panel.scoring import queries as scoring_queries
from panel.scoring.queries import member_assignment as find_assignment
from panel.scoring.queries import member_of
from panel.scoring.services import refusal


@dataclass(frozen=True)
class Rule:
    """What one guard checks: who, in words, and the phases it allows (empty: any)."""

    who: str
    phases: tuple[Phase, ...] = ()


def _declare(wrapped, rule: Rule):
    wrapped.access = (*getattr(wrapped, "access", ()), rule)
    return wrapped


def public(view):
    """Anyone, signed in or not (sign-in pages, links sent by e-mail, /healthz)."""
    return _declare(view, Rule("anyone"))


def signed_in(view):
    """Anyone signed in; the page itself shows only their own things."""
    return _declare(wraps(view)(login_required(view)), Rule("signed in"))


def staff(*roles: Role):
    """Signed in and holding at least one of ``roles``; else sign-in page or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            return _refusal(roles) or view(*args, **kwargs)

        return _declare(wrapped, Rule(" or ".join(roles)))

    return decorator


def _refusal(roles: tuple[Role, ...]):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not any(policy.has_role(current_user, role) for role in roles):
        g.page_for = roles  # the 403 page says whom it is for (:func:`staff_refusal`)
        abort(403)
    return None


@dataclass(frozen=True)
class Refusal:
    """What the 403 page says: whom the page is for, and what the reader can use."""

    title: str
    message: str
    link: tuple[str, str] | None = None  # (words, URL)


# The 403 page's title for a staff page meant for one role, in the reader's language.
PAGE_FOR = {Role.AUDITOR: _l("This page is for auditors"),
            Role.OFFICER: _l("This page is for programme officers"),
            Role.ADMIN: _l("This page is for admins")}
GENERAL = Refusal(_l("You cannot see this page"),
                  _l("Your account does not have access to this page. If you think it "
                     "should, contact the programme officer for your round."))


def staff_refusal(page_for: tuple[Role, ...] | None, user) -> Refusal:
    """The 403 page for ``user`` refused a staff page meant for ``page_for`` (None:
    a page that did not say, or not a staff page): staff are told whom the page is for
    and where their own work is, rather than to ask the programme officer."""
    if not page_for or len(page_for) != 1 or not any(
            policy.has_role(user, role) for role in Role):
        return GENERAL
    needed = page_for[0]
    title = str(PAGE_FOR[needed])
    ask = _("If you need it, ask an admin to give your account the %(role)s role.",
            role=needed.value)
    if needed == Role.AUDITOR and policy.has_role(user, Role.OFFICER):
        return Refusal(title, _("The audit pages are for checking a panel's work afterwards: "
                                "they show every round's decision trail, read-only. As a "
                                "programme officer you follow each round from its own pages "
                                "instead: its conflicts, assignments, ranking and report, and "
                                "its bundle export. %(ask)s", ask=ask),
                       (_("Go to your rounds"), url_for("rounds.index")))
    if needed == Role.OFFICER and policy.has_role(user, Role.AUDITOR):
        return Refusal(title, _("Programme officers set up and run rounds. As an auditor you "
                                "can read every round's decisions and its trail on the audit "
                                "pages. %(ask)s", ask=ask),
                       (_("Go to the audit pages"), url_for("audit.index")))
    return Refusal(title, _("Your account does not hold the %(role)s role. %(ask)s",
                            role=needed.value, ask=ask))


def on_a_panel(view):
    """Signed in and on at least one round's panel; else 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not policy.is_on_a_panel(current_user):
            abort(403)
        return view(*args, **kwargs)

    return _declare(wrapped, Rule("on a panel"))


def officer_round(*phases: Phase):
    """A view of one round for programme officers: ``/<slug>/…`` becomes ``round_``.

    With ``phases``, the view only works while the round is in one of them; otherwise
    the officer sees why (409) and nothing changes."""

    def decorator(view):
        @wraps(view)
        def wrapped(slug: str, *args, **kwargs):
            refused = _refusal((Role.OFFICER,))
            if refused:
                return refused
            round_ = round_by_slug(slug) or abort(404)
            if phases and round_.phase not in phases:
                return render_template("rounds/wrong_phase.html", round=round_,
                                       phases=phases), 409
            return view(round_, *args, **kwargs)

        return _declare(wrapped, Rule("officer", tuple(phases)))

    return decorator


def panel_round(view):
    """A page of one round for its panel: ``slug`` becomes ``round_`` and ``member``
    (the signed-in person's membership). Anyone off the panel: 404."""

    @wraps(view)
    @login_required
    def wrapped(slug: str, *args, **kwargs):
        round_ = round_by_slug(slug) or abort(404)
        member = member_of(current_user, round_) or abort(404)
        return view(round_, member, *args, **kwargs)

    return _declare(wrapped, Rule("the round's panel"))


def member_assignment(view):
    """``/my-rounds/<slug>/<reference>/…`` becomes the signed-in member's assignment,
    only while scoring is open. Not a member, not assigned, or the round not in scoring:
    404, so nothing about the application leaks."""

    @wraps(view)
    @login_required
    def wrapped(slug: str, reference: str, *args, **kwargs):
        assignment = find_assignment(current_user, slug, reference)
        if assignment is None or assignment.application.round.phase not in policy.SCORING:
            abort(404)
        return view(assignment, *args, **kwargs)

    return _declare(wrapped, Rule("the member assigned to it", policy.SCORING))


def may_score(view):
    """After :func:`member_assignment`: only while the member can still score (answered
    "No" to the connection question, not stepped out, not passed, not submitted);
    otherwise back to where the application stands for them. The view is given the
    member's ``standing`` (:func:`panel.scoring.queries.standing`)."""

    @wraps(view)
    def wrapped(assignment, *args, **kwargs):
        standing = scoring_queries.standing(assignment)
        slug, reference = assignment.application.round.slug, assignment.application.reference
        if refusal(assignment, standing):
            return redirect(url_for("scoring.overview", slug=slug, reference=reference))
        if assignment.connection_answer != "none":
            return redirect(url_for("scoring.connection", slug=slug, reference=reference))
        return view(assignment, *args, standing=standing, **kwargs)

    return _declare(wrapped, Rule("while they may still score it", policy.SCORING))


def report_reader(view):
    """``slug`` becomes ``round_`` for someone who may read its report
    (:func:`policy.can_read_report`); anyone else gets 404, as if there were no report."""

    @wraps(view)
    @login_required
    def wrapped(slug: str):
        round_ = round_by_slug(slug)
        if round_ is None or not policy.can_read_report(current_user, round_,
                                                        member_of(current_user, round_)):
            abort(404)
        return view(round_)

    return _declare(wrapped, Rule("who may read the report"))


def summary_reader(view):
    """Like :func:`report_reader`, but anyone, signed in or not, once the round is
    published (:func:`policy.can_read_summary`). Before that, someone not signed in gets
    404 too: the public learns nothing about a round that is not published."""

    @wraps(view)
    def wrapped(slug: str):
        round_ = round_by_slug(slug)
        member = member_of(current_user, round_) if round_ and current_user.is_authenticated \
            else None
        if round_ is None or not policy.can_read_summary(current_user, round_, member):
            abort(404)
        return view(round_)

    return _declare(wrapped, Rule("anyone once published; before, who may read the report"))


def meeting_runner(view):
    """The round's chair, or a programme officer (:func:`policy.can_run_meeting`):
    ``slug`` becomes ``round_``. Panellists of the round get 403, anyone else 404."""

    @wraps(view)
    @login_required
    def wrapped(slug: str, *args, **kwargs):
        round_ = round_by_slug(slug) or abort(404)
        member = member_of(current_user, round_)
        if not policy.can_run_meeting(current_user, member):
            abort(404 if member is None else 403)
        return view(round_, *args, **kwargs)

    return _declare(wrapped, Rule("the chair or an officer"))


def meeting_running(view):
    """A change to the meeting: only in moderation, only once it has started; otherwise
    back to the chair's page, saying nothing was changed. Adds the ``meeting``."""
    # Here, when the meeting's views are declared: the meeting's module imports pandas,
    # which a command that shows no page does not need (issue 17).
    from panel.moderation.meeting import meeting_of

    @wraps(view)
    def wrapped(round_, *args, **kwargs):
        meeting = meeting_of(round_)
        if round_.phase not in policy.MEETING or meeting is None:
            flash(_("The meeting is not running, so nothing was changed."), "error")
            return redirect(url_for("meeting.chair", slug=round_.slug))
        return view(round_, meeting, *args, **kwargs)

    return _declare(wrapped, Rule("while the meeting runs", policy.MEETING))
