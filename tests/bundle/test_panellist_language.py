"""panellists.csv's optional language column (issue 21, docs/bundles.md): the language a
person new to FairPanel starts in until they choose; refused clearly when it names no
language FairPanel is written in; written back by the export when anyone has one."""
from __future__ import annotations

import pytest

from panel.bundle import Problem, export_bundle, import_bundle
from panel.extensions import db
from tests.builders import people
from tests.builders.bundles import demo_bundle, problems_of

HEADER = "email,name,group,role,affiliations,language\n"


def with_languages(folder, rows: str):
    (folder / "panellists.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder


def test_new_members_start_in_the_language_the_officer_gave(app, tmp_path):
    folder = with_languages(demo_bundle(tmp_path), (
        "amira@panel.example,Amira Hussain,Lived experience,panellist,,Cymraeg\n"
        "prof.okafor@panel.example,Grace Okafor,academic,panellist,,en\n"
        "sam@panel.example,Sam Reid,lived_experience,panellist,, WELSH \n"
        "chair@panel.example,Chris Chair,,chair,,\n"))
    import_bundle(None, folder, system="tests")
    db.session.commit()
    assert {email: people.user_named(email).language for email in (
        "amira@panel.example", "prof.okafor@panel.example", "sam@panel.example",
        "chair@panel.example")} == {"amira@panel.example": "cy",
                                    "prof.okafor@panel.example": "en",
                                    "sam@panel.example": "cy", "chair@panel.example": None}


def test_someone_with_an_account_keeps_their_own_choice(app, tmp_path):
    people.panellist("amira@panel.example")
    folder = with_languages(demo_bundle(tmp_path), (
        "amira@panel.example,Amira Hussain,Lived experience,panellist,,cy\n"
        "chair@panel.example,Chris Chair,,chair,,\n"))
    import_bundle(None, folder, system="tests")
    db.session.commit()
    assert people.user_named("amira@panel.example").language is None


def test_the_export_writes_the_column_when_anyone_has_chosen(app, tmp_path):
    folder = with_languages(demo_bundle(tmp_path), (
        "amira@panel.example,Amira Hussain,Lived experience,panellist,,cy\n"
        "chair@panel.example,Chris Chair,,chair,,\n"))
    round_ = import_bundle(None, folder, system="tests")
    db.session.commit()
    export_bundle(round_, tmp_path / "out", system="tests")
    assert (tmp_path / "out" / "panellists.csv").read_text(encoding="utf-8") == (
        'email,name,group,role,affiliations,language\n'
        '"amira@panel.example","Amira Hussain","lived_experience","panellist","","cy"\n'
        '"chair@panel.example","Chris Chair","","chair","",""\n')


@pytest.mark.parametrize("written", ["Klingon", "fr", "cy-GB"])
def test_a_language_fairpanel_is_not_written_in_is_refused(app, tmp_path, written):
    folder = with_languages(demo_bundle(tmp_path), (
        f"amira@panel.example,Amira Hussain,Lived experience,panellist,,{written}\n"
        "chair@panel.example,Chris Chair,,chair,,\n"))
    assert problems_of(folder) == [Problem(
        "panellists.csv", 2, "language",
        f'"{written}" is not a language FairPanel is written in. Write en (English) or cy '
        "(Cymraeg, Welsh), or leave it empty.")]
