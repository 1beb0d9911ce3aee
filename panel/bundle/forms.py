"""Forms for importing applications and panellists in the browser."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import InputRequired


class UploadForm(FlaskForm):
    file = FileField(
        _l("Upload a file"),
        description=_l("A CSV file or an Excel workbook (.xlsx). The first row must name the "
                       "columns."),
        validators=[
            FileRequired(_l("Choose a CSV or Excel file to upload")),
            FileAllowed(["csv", "xlsx"],
                        _l("The file must be a CSV file or an Excel workbook (.xlsx)")),
        ],
    )


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[InputRequired()])
