"""Who may do what, route by route (DESIGN.md §1, §2, §9): the explicit table that
tests/web/test_access_matrix.py holds the whole app to. Every endpoint of ``app.url_map`` has
a row; a route without one fails the test, so a new route is decided on purpose.

A row says, for each kind of person and, where it matters, each phase of the round, what
they get when they open the route (GET) or send its form (POST):

- ``ALLOW``: the page (2xx) or a redirect within the page's own flow. A POST sends only
  a CSRF token and placeholder values, so a form that refuses them (400) also counts;
- ``SIGN_IN``: a redirect to a sign-in page;
- ``FORBIDDEN`` (403): signed in, but the page is for another kind of person;
- ``NOT_FOUND`` (404): as if there were no such page — used where even knowing that
  the round or application exists would say too much (panel pages, the report);
- ``WRONG_PHASE`` (409): the officer's "You cannot do that now" page;
- ``SENT_BACK``: a redirect away with an error message: the meeting pages' way of
  saying "not now" (the meeting is not running) or "not you" (the chair scores nothing);
- ``GONE`` (410): an expired or unknown e-mailed link.

The people (``ROLES``): someone not signed in; an academic and a lived-experience
panellist and the chair of round R; a programme officer, an auditor and an admin (staff,
on no panel); and a panellist of another round. URL variables are filled from the world
built in tests/web/test_access_matrix.py (round R, application A1 or A3, …)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ALLOW = "allowed"
SIGN_IN = "sign-in redirect"
FORBIDDEN = "forbidden (403)"
NOT_FOUND = "not found (404)"
WRONG_PHASE = "wrong phase (409)"
SENT_BACK = "redirect away with a message"
GONE = "link expired (410)"
OUTCOMES = (ALLOW, SIGN_IN, FORBIDDEN, NOT_FOUND, WRONG_PHASE, SENT_BACK, GONE)

ROLES = ("anonymous", "academic", "lived_experience", "chair", "officer", "auditor", "admin",
         "other_member")
PHASES = ("draft", "scoring", "moderation", "decided", "published")
# Shorthands for several roles at once.
GROUPS = {
    "panellists": ("academic", "lived_experience"),
    "panel": ("academic", "lived_experience", "chair"),
    "staff": ("officer", "auditor", "admin"),
    "signed_in": ROLES[1:],
}

Cell = str | Mapping[str, str]  # one outcome, or an outcome per phase


@dataclass(frozen=True)
class Row:
    who: Mapping[str, Cell] = field(default_factory=dict)
    exempt: str = ""  # why the walk does not call this route (then ``who`` is empty)

    def expected(self, role: str, phase: str) -> str:
        cell = self.who[role]
        return cell if isinstance(cell, str) else cell[phase]


def people(default: Cell, *, anonymous: Cell = SIGN_IN, **roles: Cell) -> dict[str, Cell]:
    """``default`` for every signed-in person, ``anonymous`` for someone who is not, and
    the exceptions in ``roles`` (a role, or a group of :data:`GROUPS`; later wins)."""
    who: dict[str, Cell] = {"anonymous": anonymous, **{role: default for role in ROLES[1:]}}
    for name, cell in roles.items():
        for role in GROUPS.get(name, (name,)):
            who[role] = cell
    return who


def during(*phases: str, inside: str = ALLOW, otherwise: str = WRONG_PHASE) -> dict[str, str]:
    """``inside`` while the round is in one of ``phases``, else ``otherwise``."""
    return {phase: inside if phase in phases else otherwise for phase in PHASES}


def everyone(outcome: str) -> Row:
    return Row(people(outcome, anonymous=outcome))


def staff_only(cell: Cell = ALLOW) -> Row:
    return Row(people(FORBIDDEN, staff=cell))


def admin_only() -> Row:
    return Row(people(FORBIDDEN, admin=ALLOW))


def officer_only(cell: Cell = ALLOW) -> Row:
    return Row(people(FORBIDDEN, officer=cell))


def auditor_only() -> Row:
    return Row(people(FORBIDDEN, auditor=ALLOW))


OPEN_CONFLICTS = ("draft", "scoring", "moderation")  # conflicts are fixed once decided

# A panellist's own scoring pages (/my-rounds/<slug>/<reference>/…): only their own
# assignment, only while scoring is open; anything else is 404 so that nothing about
# an application leaks. The chair is given no applications to score.
SCORING = Row(people(NOT_FOUND, panellists=during("scoring", otherwise=NOT_FOUND)))

# The chair and programme officers run the meeting. Panellists (who know the round) are
# refused; anyone off the panel is told there is no such page.
RUNS_MEETING = Row(people(NOT_FOUND, panellists=FORBIDDEN, chair=ALLOW, officer=ALLOW))
# …and may change it only while it runs: in moderation (else a message, nothing changed).
CHANGES_MEETING = Row(people(NOT_FOUND, panellists=FORBIDDEN,
                             chair=during("moderation", otherwise=SENT_BACK),
                             officer=during("moderation", otherwise=SENT_BACK)))
# A panellist revises their own score (the start screen, each question, the check screen)
# only during the meeting; the chair scores nothing.
REVISES = Row(people(NOT_FOUND, panellists=during("moderation", otherwise=SENT_BACK),
                     chair=SENT_BACK))

# The community-voice report and its downloads: officers and auditors in any phase, the
# chair from moderation on, panellists once published; anyone else 404.
REPORT = Row(people(NOT_FOUND, officer=ALLOW, auditor=ALLOW,
                    chair=during("moderation", "decided", "published", otherwise=NOT_FOUND),
                    panellists=during("published", otherwise=NOT_FOUND)))

# The public summary and its CSV: anyone, signed in or not, once the round is published;
# before that, as the report (and someone not signed in gets 404, not the sign-in page).
SUMMARY = Row(people(during("published", otherwise=NOT_FOUND),
                     anonymous=during("published", otherwise=NOT_FOUND),
                     officer=ALLOW, auditor=ALLOW,
                     chair=during("moderation", "decided", "published", otherwise=NOT_FOUND),
                     panellists=during("published", otherwise=NOT_FOUND)))

TABLE: dict[str, Row] = {
    "static": Row(exempt="files from static/: the same for everyone, no data"),

    # Home -----------------------------------------------------------------------------
    "home.index": Row(people(ALLOW)),  # each person's own area (a redirect or a choice)
    "home.healthz": everyone(ALLOW),
    "home.my_rounds": Row(people(ALLOW)),  # staff on no panel see an empty list
    "home.privacy": everyone(ALLOW),
    "home.accessibility": everyone(ALLOW),
    # A person's own data: anyone signed in, for themselves.
    "accounts.my_data": Row(people(ALLOW)),
    "accounts.my_data_download": Row(people(ALLOW)),

    # Signing in and out ---------------------------------------------------------------
    "accounts.sign_in": everyone(ALLOW),  # signed in already: sent home
    "accounts.check_email": everyone(ALLOW),
    "accounts.staff_sign_in": everyone(ALLOW),
    "accounts.sign_in_with_link": everyone(GONE),  # called with an unknown token
    "accounts.invitation": everyone(GONE),  # called with an unknown token
    # Without a password just given, the second step sends everyone to sign in again.
    "accounts.sign_in_code": everyone(SIGN_IN),
    "accounts.sign_in_recovery_code": everyone(SIGN_IN),
    "accounts.keep_alive": Row(people(ALLOW)),
    # The language switch on every page: anyone, signed in or not (issue 21). The walk
    # posts no language, so each is sent back to the page with "choose English or
    # Cymraeg" (tests/i18n/test_language_switch.py switches for real).
    "accounts.choose_language": everyone(SENT_BACK),
    "accounts.sign_out": Row(exempt="ends every session of the person, which the walk goes "
                                    "on using; tests/accounts/test_accounts.py signs out"),

    # A staff member's own account ----------------------------------------------------
    "accounts.account": staff_only(),
    "accounts.change_password": staff_only(),
    "accounts.set_up_second_factor": staff_only(),
    "accounts.new_recovery_codes": staff_only(),

    # People and roles -----------------------------------------------------------------
    "admin.people": admin_only(),
    "admin.invite": admin_only(),
    "admin.person": admin_only(),
    "admin.person_action": admin_only(),
    "admin.reset_second_factor": admin_only(),
    "admin.erase": admin_only(),
    "admin.jobs": admin_only(),
    # A background job's page and figures: who started it (the officer, in the walk's
    # world), officers for a round's job, admins; anyone else 404. Its file: the
    # person who asked for it only.
    "jobs.page": Row(people(NOT_FOUND, officer=ALLOW, admin=ALLOW)),
    "jobs.status": Row(people(NOT_FOUND, officer=ALLOW, admin=ALLOW)),
    "jobs.download": Row(people(NOT_FOUND, officer=ALLOW)),

    # Rounds: the officer's pages ------------------------------------------------------
    "rounds.index": officer_only(),
    "round_setup.create": officer_only(),
    "round_bundle.import_bundle": officer_only(),
    # No upload is waiting, so the officer is sent back to upload again.
    "round_bundle.confirm_bundle": officer_only(SENT_BACK),
    "round_bundle.export_bundle": officer_only(),
    "round_setup.overview": officer_only(),  # readable in every phase
    "round_setup.details": officer_only(during("draft")),
    "round_setup.scale": officer_only(during("draft")),
    "round_setup.scale_descriptors": officer_only(during("draft")),
    "round_setup.funding": officer_only(during("draft")),
    "round_setup.rank_model": officer_only(during("draft", "scoring", "moderation")),
    "round_setup.blind": officer_only(during("draft")),
    "round_setup.publishing": officer_only(),  # what to publish: any phase
    "round_setup.retention": officer_only(),  # how long personal data is kept: any phase
    "round_setup.criteria": officer_only(during("draft")),
    "round_setup.new_criterion": officer_only(during("draft")),
    "round_setup.criterion": officer_only(during("draft")),
    "round_setup.remove_criterion": officer_only(during("draft")),
    "round_setup.move_criterion": officer_only(during("draft")),
    "round_setup.groups": officer_only(during("draft")),
    "round_setup.new_group": officer_only(during("draft")),
    "round_setup.group": officer_only(during("draft")),
    "round_setup.remove_group": officer_only(during("draft")),
    # Readable in every phase; an upload outside draft only shows the page again.
    "round_import.applications": officer_only(),
    "round_import.panellists": officer_only(),
    "round_import.applications_template": officer_only(),  # headings and an example row
    "round_import.panellists_template": officer_only(),
    # In draft no upload is waiting, so the officer is sent back to upload again.
    "round_import.confirm_applications": officer_only(during("draft", inside=SENT_BACK)),
    "round_import.confirm_panellists": officer_only(during("draft", inside=SENT_BACK)),
    "round_progress.dashboard": officer_only(),
    "round_progress.reminders": officer_only(during("scoring")),
    "round_progress.background": officer_only(),  # readable in every phase
    "round_progress.assignments": officer_only(during("draft", "scoring")),
    "round_progress.reviewers": officer_only(during("draft", "scoring")),
    "round_progress.phase": officer_only(),
    "round_progress.phase_forward": officer_only(during(*PHASES[:-1])),
    "round_progress.phase_back": officer_only(during("scoring", "moderation")),
    "scoring.assisted": officer_only(during("scoring")),
    "ranking.ranking": officer_only(),
    # Reviewers named beside their leniency: officers and auditors only (DESIGN.md §4).
    "ranking.leniency": Row(people(FORBIDDEN, officer=ALLOW, auditor=ALLOW)),

    # Conflicts: the officer's review ---------------------------------------------------
    "conflict_review.queue": officer_only(),
    "conflict_review.matrix": officer_only(),
    "conflict_review.export": officer_only(),
    "conflict_review.confirm": officer_only(during(*OPEN_CONFLICTS)),
    "conflict_review.dismiss": officer_only(during(*OPEN_CONFLICTS)),
    "conflict_review.level": officer_only(during(*OPEN_CONFLICTS)),
    "conflict_review.add": officer_only(during(*OPEN_CONFLICTS)),

    # The auditor's pages --------------------------------------------------------------
    "audit.index": auditor_only(),
    "audit.trail_page": auditor_only(),
    "audit.trail_csv": auditor_only(),
    "audit.round_page": auditor_only(),
    "audit.application_page": auditor_only(),
    "audit.verify": auditor_only(),

    # Panel members -----------------------------------------------------------------------
    # A round's page for its own panel in every phase ("not started yet" in draft).
    "scoring.applications": Row(people(NOT_FOUND, panel=ALLOW)),
    "scoring.my_reviews": Row(people(NOT_FOUND, panel=ALLOW)),
    "scoring.overview": SCORING,
    "scoring.connection": SCORING,
    "scoring.connection_kind": SCORING,
    "scoring.application": SCORING,
    "scoring.question": SCORING,
    "scoring.comment": SCORING,
    "scoring.whole_sheet": SCORING,
    "scoring.check": SCORING,
    "scoring.pass_on": SCORING,
    "scoring.save": SCORING,
    # Anyone on any panel lists their connections; staff on no panel have none to list.
    "profile.connections": Row(people(ALLOW, staff=FORBIDDEN)),

    # The meeting ----------------------------------------------------------------------
    "meeting.chair": RUNS_MEETING,  # outside moderation: how to start it, or that it ended
    "meeting.agenda": RUNS_MEETING,  # before the meeting: back to the chair's page
    "meeting.screen": RUNS_MEETING,
    "meeting.start": CHANGES_MEETING,
    "meeting.agenda_change": CHANGES_MEETING,
    "meeting.outcome": CHANGES_MEETING,
    "meeting.skip": CHANGES_MEETING,
    "meeting.move_on": CHANGES_MEETING,
    "meeting.comment": CHANGES_MEETING,
    # The draw near the funding line (§3a): officers prepare it, the chair (or an officer)
    # draws. Both pages open in every phase and say why they cannot be used now; a refused
    # form changes nothing (400).
    "meeting.prepare_draw": officer_only(),
    "meeting.draw": RUNS_MEETING,
    # Every member of the round follows the meeting on their phone, in every phase.
    "meeting.follow": Row(people(NOT_FOUND, panel=ALLOW)),
    # Panellists revise only during the meeting; the chair scores nothing.
    "meeting.revise": REVISES,
    "meeting.revise_question": REVISES,
    "meeting.revise_check": REVISES,

    # Paying panellists for their time (docs/payments.md) ------------------------------------
    # The officer: how each group is paid (changes until the meeting), every record, the
    # approval (once scoring has closed) and the downloads.
    "payments.setup": officer_only(),
    "payments.rate": officer_only(during("draft", "scoring")),
    "payments.records": officer_only(),
    "payments.member": officer_only(),
    "payments.approve": officer_only(during("moderation", "decided", "published")),
    # Withdrawing the approval the walk has just given (approve comes first in its order).
    "payments.withdraw": officer_only(during("moderation", "decided", "published")),
    "payments.export_csv": officer_only(),
    "payments.export_xlsx": officer_only(),
    # A member's own record, on any round they sit on. In the walk's world lived
    # experience is paid and academics are not: an unpaid member (and the chair, in no
    # group) is sent back with a message. Time is corrected once scoring (or the
    # meeting) has begun.
    "payments.my_record": Row(people(NOT_FOUND, panel=ALLOW)),
    "payments.my_choice": Row(people(NOT_FOUND, panel=SENT_BACK, lived_experience=ALLOW)),
    "payments.my_sheet_time": Row(people(NOT_FOUND, panel=SENT_BACK,
                                         lived_experience=during(*PHASES[1:],
                                                                 otherwise=SENT_BACK))),
    "payments.my_meeting_time": Row(people(NOT_FOUND, panel=SENT_BACK,
                                           lived_experience=during(*PHASES[2:],
                                                                   otherwise=SENT_BACK))),

    # The community-voice report ----------------------------------------------------------
    "voice.report": REPORT,
    "voice.report_as_csv": REPORT,
    "voice.report_as_xlsx": REPORT,
    "voice.for_panel": REPORT,  # the panel's page in plain words: the report's readers
    "voice.board_pack": REPORT,
    "voice.prepare_download": REPORT,  # a large round's download made by a job
    "voice.work_out_rank_model": officer_only(),  # queues the rank model (a job)
    "voice.summary": SUMMARY,
    "voice.summary_as_csv": SUMMARY,
    # The public kit: the published result's records in full, every other one sealed.
    "voice.public_kit": Row(people(during("published", otherwise=NOT_FOUND),
                                   anonymous=during("published", otherwise=NOT_FOUND))),
    # The verification kit holds the trail's hashed fields, e-mail addresses included:
    # auditors only, once the round is decided (anchored); before that there is none.
    "voice.verification_kit": Row(people(FORBIDDEN, auditor=during(
        "decided", "published", otherwise=NOT_FOUND))),
}


def check_table() -> list[str]:
    """What is wrong with the table itself: a role or phase missing, an unknown outcome."""
    problems = []
    for endpoint, row in TABLE.items():
        if row.exempt:
            continue
        if set(row.who) != set(ROLES):
            problems.append(f"{endpoint}: give an outcome for every role in ROLES")
            continue
        for role, cell in row.who.items():
            cells = [cell] if isinstance(cell, str) else list(cell.values())
            if not isinstance(cell, str) and set(cell) != set(PHASES):
                problems.append(f"{endpoint}, {role}: give an outcome for every phase")
            problems.extend(f"{endpoint}, {role}: unknown outcome {c!r}" for c in cells
                            if c not in OUTCOMES)
    return problems
