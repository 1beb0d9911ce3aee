"""panellists.csv may name a group by its label ("Lived experience") as well as by its
key, whatever the capitals and spaces (issue 20); a value that names no group, or two,
is refused with the values that would do."""
from __future__ import annotations

from panel.bundle import check_panellists, read_table

ROUND = {"groups": [{"key": "academic", "label": "Academic", "weight": 1},
                    {"key": "lived_experience", "label": "Lived experience", "weight": 1}]}


def _check(group: str, round_=ROUND):
    data = ("email,name,group,role\n"
            f"ann@example.org,Ann Lee,{group},panellist\n").encode()
    table, problems = read_table(data, "panellists.csv", label="panellists.csv")
    assert problems == []
    return check_panellists(table, round_)


def test_a_group_named_by_its_label_is_that_group(app):
    rows, problems = _check("Lived experience")
    assert problems == []
    assert rows[0]["group"] == "lived_experience"


def test_capitals_spaces_and_underscores_do_not_matter(app):
    for written in ("lived experience", "LIVED  EXPERIENCE", " Lived_Experience ",
                    "lived_experience"):
        rows, problems = _check(written)
        assert (problems, rows[0]["group"]) == ([], "lived_experience"), written


def test_an_unknown_group_is_told_the_labels_and_keys_it_may_use(app):
    rows, problems = _check("Community")
    assert rows == []
    assert [(p.row, p.column) for p in problems] == [(2, "group")]
    assert problems[0].message == ('There is no group called "Community" in this round. '
                                   "Write one of: Academic, Lived experience "
                                   "(or lived_experience).")


def test_a_label_that_is_another_groups_key_is_refused_as_ambiguous(app):
    crossed = {"groups": [{"key": "academic", "label": "Researchers", "weight": 1},
                          {"key": "community", "label": "Academic", "weight": 1}]}
    rows, problems = _check("Academic", crossed)
    assert rows == []
    assert problems[0].message == ('"Academic" could mean more than one group (academic, '
                                   "community). Write the group's key instead: "
                                   "academic, community.")
    rows, problems = _check("researchers", crossed)
    assert (problems, rows[0]["group"]) == ([], "academic")
