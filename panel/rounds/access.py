"""Loading a round for a view, with the role and phase checks declared once per route."""
from __future__ import annotations

from functools import wraps

from flask import abort, render_template

from panel.accounts.auth import role_required
from panel.rounds.queries import round_by_slug



def officer_round(*phases: str):
    """A view of one round for programme officers: ``/<slug>/…`` becomes ``round_``.

    With ``phases``, the view only works while the round is in one of them; otherwise
    the officer sees why (409) and nothing changes."""

    def decorator(view):
        @wraps(view)
        @role_required("officer")
        def wrapped(slug: str, *args, **kwargs):
            round_ = round_by_slug(slug) or abort(404)
            if phases and round_.phase not in phases:
                return render_template("rounds/wrong_phase.html", round=round_,
                                       phases=phases), 409
            return view(round_, *args, **kwargs)

        return wrapped

    return decorator
