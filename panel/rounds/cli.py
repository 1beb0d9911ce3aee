"""``flask round``: the command group for rounds. Its commands live with their domains:
``import`` and ``export`` in :mod:`panel.bundle.cli`, ``report`` in
:mod:`panel.reports.cli` (:mod:`panel.cli` loads them all)."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from panel.rounds.models import Round
from panel.rounds.queries import round_by_slug

group = AppGroup("round", help=_l("Round bundles and reports."))


def round_or_fail(slug: str) -> Round:
    """The round SLUG, or a clear message naming where the slugs are listed."""
    round_ = round_by_slug(slug)
    if round_ is None:
        raise click.ClickException(_("There is no round with the slug %(slug)s. The rounds "
                                     "are listed on the Rounds page.", slug=repr(slug)))
    return round_
