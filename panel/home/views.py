"""Where each person lands after signing in: one home page per role."""
from __future__ import annotations

from flask import jsonify, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from panel import access, health
from panel.rounds import queries
from panel.scoring import queries as scoring
from panel.web import nav_items

AREA_DESCRIPTIONS = {
    "home.my_rounds": _l("Score the applications you have been asked to review."),
    "profile.connections": _l("Tell us which groups and people you are close to."),
    "rounds.index": _l("Set up rounds, import applications and panellists, and follow "
                       "progress."),
    "audit.index": _l("Read the decision trail and check that nothing was changed "
                      "afterwards."),
    "admin.people": _l("Invite people and give or remove staff roles."),
    "admin.jobs": _l("Follow the work done in the background, such as sending e-mail."),
    "accounts.account": _l("Your password and two-step sign-in."),
}
# Beside a person's real work, not a job of its own: never the reason for a choice page.
SIDE_AREAS = ("profile.connections", "accounts.account", "admin.jobs")


@access.public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.sign_in"))
    areas = nav_items()
    main_areas = [area for area in areas if area[1] not in SIDE_AREAS]
    if len(main_areas) == 1:
        return redirect(main_areas[0][2])
    return render_template("home/index.html", areas=areas, descriptions=AREA_DESCRIPTIONS)


@access.public
def healthz():
    """For load balancers, monitors and the load benchmark's ceiling: 200 when every part
    FairPanel needs answers, 503 naming the part that does not (panel/health.py)."""
    healthy, answer = health.check()
    return jsonify(answer), 200 if healthy else 503


@access.signed_in
def my_rounds():
    rounds = queries.member_rounds(current_user)
    # Where each open round stands for them, and the next application to do.
    progress = {r.member.id: scoring.progress(r.member) for r in rounds
                if r.round.scoring_open}
    return render_template("home/my_rounds.html", rounds=rounds, progress=progress)
