"""Who may see and do what, and in which phase (DESIGN.md §1, §2, §4, §6), in one place.

A person holds roles two ways: staff roles on their account (admin, officer, auditor:
:class:`~panel.accounts.models.Role`), and a panel membership on each round they sit on
(panellist or chair: :class:`~panel.rounds.models.MemberRole`). A round moves through
phases (:class:`~panel.rounds.models.Phase`).

Everything that decides access asks here: the route decorators of :mod:`panel.access`
(each route declares its rule and its phases once), the views, the templates (as
``policy.…``) and the navigation. tests/web/test_access_matrix.py holds every route to
these rules, person by person and phase by phase.

The functions take the signed-in user (or an anonymous one) and, for panel rules, the
user's membership of the round (None when they are not on its panel); they never touch
the database.
"""
from __future__ import annotations

from typing import Any

from panel.accounts.models import Role
from panel.rounds.models import PanelMember, Phase, Round

# Phases, named for what happens in them -------------------------------------------------

SETTING_UP = (Phase.DRAFT,)  # the rubric, applications, panel: only while in draft
ASSIGNING = (Phase.DRAFT, Phase.SCORING)  # who reviews what
SCORING = (Phase.SCORING,)  # panellists score; reminders go out
MEETING = (Phase.MODERATION,)  # the chair runs the meeting; scores may be revised
AFTER_SCORING = (Phase.MODERATION, Phase.DECIDED, Phase.PUBLISHED)
MEETING_OVER = (Phase.DECIDED, Phase.PUBLISHED)
BEFORE_MEETING = (Phase.DRAFT, Phase.SCORING)
CONFLICTS_OPEN = (Phase.DRAFT, Phase.SCORING, Phase.MODERATION)  # fixed once decided
CAN_MOVE_ON = (Phase.DRAFT, Phase.SCORING, Phase.MODERATION, Phase.DECIDED)
CAN_MOVE_BACK = (Phase.SCORING, Phase.MODERATION)
# Whether the round works out how sure its ranking is (DESIGN.md §3a): until decided.
RANK_MODEL_OPEN = (Phase.DRAFT, Phase.SCORING, Phase.MODERATION)
PUBLISHED = (Phase.PUBLISHED,)


# Staff ---------------------------------------------------------------------------------------

def has_role(user: Any, role: Role) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(role)


def can_manage_rounds(user: Any) -> bool:
    """Programme officers set up and run every round."""
    return has_role(user, Role.OFFICER)


def can_audit(user: Any) -> bool:
    """Auditors read every decision and the trail behind it."""
    return has_role(user, Role.AUDITOR)


def can_administer(user: Any) -> bool:
    """Admins look after accounts and staff roles."""
    return has_role(user, Role.ADMIN)


def is_staff(user: Any) -> bool:
    """Staff sign in with a password and have an account page."""
    return any(has_role(user, role) for role in Role)


def can_follow_job(user: Any, job: Any) -> bool:
    """A background job's page: whoever started it, officers for a round's jobs (they
    see them on its Background work page) and admins (the Jobs page)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (job.user_id == user.id or can_administer(user)
            or (job.round_id is not None and can_manage_rounds(user)))


def can_download_job_file(user: Any, job: Any) -> bool:
    """The file an export job made: only for the person who asked for it (their export
    is what the trail records)."""
    return bool(getattr(user, "is_authenticated", False)) and job.user_id == user.id


# The panel -------------------------------------------------------------------------------

def is_chair(member: PanelMember | None) -> bool:
    return member is not None and member.is_chair


def can_run_meeting(user: Any, member: PanelMember | None) -> bool:
    """The round's chair, or a programme officer."""
    return can_manage_rounds(user) or is_chair(member)


def can_follow_meeting(member: PanelMember | None) -> bool:
    """Everyone on the round's panel follows the meeting on their own screen."""
    return member is not None


def member_reads_report(round_: Round, member: PanelMember | None) -> bool:
    """The round's chair from moderation on; its whole panel once published."""
    if member is None:
        return False
    return round_.phase in PUBLISHED or (member.is_chair and round_.phase in AFTER_SCORING)


def can_read_report(user: Any, round_: Round, member: PanelMember | None) -> bool:
    """Programme officers and auditors in any phase, and the panel as
    :func:`member_reads_report` says."""
    return can_manage_rounds(user) or can_audit(user) or member_reads_report(round_, member)


def can_read_summary(user: Any, round_: Round, member: PanelMember | None) -> bool:
    """Anyone, signed in or not, once the round is published (the summary is made to be
    published); before that, whoever may read the report."""
    return round_.phase in PUBLISHED or can_read_report(user, round_, member)


def is_on_a_panel(user: Any) -> bool:
    """The person sits on at least one round's panel (My rounds, My connections)."""
    return bool(getattr(user, "is_authenticated", False)) and bool(user.memberships)
