"""The form of the panellist's connections page, written for a reading age of about 9
to 11. No database access: the view saves what :meth:`ConnectionsForm.entries` returns."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, ValidationError

from panel.forms import one_line_problem

MAX_ENTRIES = 50
MAX_ENTRY_LENGTH = 200


def split_entries(text: str | None) -> list[str]:
    """One connection a line, spaces tidied, blank lines and repeats left out."""
    entries, seen = [], set()
    for line in (text or "").splitlines():
        entry = " ".join(line.split())
        if entry and entry.casefold() not in seen:
            seen.add(entry.casefold())
            entries.append(entry)
    return entries


class ConnectionsForm(FlaskForm):
    connections = TextAreaField(
        _l("Your connections"),
        description=_l("Write one on each line. For example: a group you help at, a place "
                       "you work, or a person you know well. You can leave this empty."),
        validators=[Length(max=MAX_ENTRIES * (MAX_ENTRY_LENGTH + 2),
                           message=_l("Write %(lines)s lines or fewer, each of %(letters)s "
                                      "letters or fewer", lines=MAX_ENTRIES,
                                      letters=MAX_ENTRY_LENGTH))],
    )

    def validate_connections(self, field) -> None:
        entries = split_entries(field.data)
        if len(entries) > MAX_ENTRIES:
            raise ValidationError(ngettext(
                "Write %(most)s connections or fewer. You wrote %(num)d.",
                "Write %(most)s connections or fewer. You wrote %(num)d.",
                len(entries), most=MAX_ENTRIES))
        for number, line in enumerate((field.data or "").splitlines(), start=1):
            if len(" ".join(line.split())) > MAX_ENTRY_LENGTH:
                raise ValidationError(_("Line %(number)s is too long. Keep each line to "
                                        "%(letters)s letters or fewer.", number=number,
                                        letters=MAX_ENTRY_LENGTH))
            if problem := one_line_problem(" ".join(line.split())):
                raise ValidationError(_("Line %(number)s: %(problem)s", number=number,
                                        problem=problem))

    def entries(self) -> list[str]:
        return split_entries(self.connections.data)
