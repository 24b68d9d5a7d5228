"""The plan page's outline (rows numbered as MS Project numbers them, with WBS codes) and its "why" texts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from certprep.planning.explain import outline, why


def test_each_task_follows_its_parent_with_a_wbs_code():
    stored = [(1, None), (2, 1), (3, None), (4, 2), (5, 1), (6, 3)]
    assert outline(stored) == [(1, "1"), (2, "1.1"), (4, "1.1.1"), (5, "1.2"), (3, "2"), (6, "2.1")]


def test_a_task_stored_before_its_parent_still_goes_below_it():
    assert outline([(5, 9), (9, None)]) == [(9, "1"), (5, "1.1")]


def test_a_loop_of_parents_is_shown_rather_than_lost():
    assert [code for _pk, code in outline([(1, None), (2, 3), (3, 2)])] == ["1", "2", "2.1"]


@given(st.lists(st.tuples(st.integers(1, 40), st.one_of(st.none(), st.integers(1, 40))), unique_by=lambda t: t[0]))
def test_every_task_gets_one_row_and_a_unique_code(stored):
    rows = outline(stored)
    assert sorted(pk for pk, _code in rows) == sorted(pk for pk, _parent in stored)
    assert len({code for _pk, code in rows}) == len(rows)


def test_a_generated_task_says_why_in_figures():
    text = why("template.maturity", {"base": 10, "factor": 1.2, "maturity": 30, "days": 12})
    assert "10" in text
    assert "1.2" in text
    assert "30%" in text
    assert "12 days" in text
    assert "not assessed" in why("process.gap", {"base": 5, "factor": 1, "gap": 50, "maturity": 0, "days": 5}).lower()
    assert "3 requirements" in why("topic", {"requirements": 3, "days": 11})
    assert why("", {}) == ""
