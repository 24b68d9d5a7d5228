"""The arithmetic of the gap analysis, without the database: the capability level the N/P/L/F attribute
ratings achieve (checked as properties over every combination hypothesis tries), the gap, the priority of a
requirement and its band, and the weighted readiness of a group of requirements."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from certprep.gaps.rules import (
    ATTRIBUTE_KEYS,
    ATTRIBUTES,
    capability_level,
    clean_attributes,
    documentation_gap,
    gap,
    priority_band,
    priority_points,
    readiness,
    scale_max,
    summarize,
)

RANK = {"N": 0, "P": 1, "L": 2, "F": 3}
LEVEL_OF = {key: level for key, level, _name in ATTRIBUTES}

ratings_of_attributes = st.dictionaries(st.sampled_from(ATTRIBUTE_KEYS), st.sampled_from("NPLF"))
some_ratings = st.dictionaries(st.sampled_from(ATTRIBUTE_KEYS), st.sampled_from("NPLF"), min_size=1)


def value(attributes: dict[str, str], key: str) -> str:
    return attributes.get(key, "N")  # an attribute not rated counts as not achieved


def keys_of(level: int) -> list[str]:
    return [key for key in ATTRIBUTE_KEYS if LEVEL_OF[key] == level]


def achieved(attributes: dict[str, str], level: int) -> bool:
    """What ISO/IEC 33020 says, written independently: own attributes at least L, every lower one F."""
    own = all(value(attributes, key) in ("L", "F") for key in keys_of(level))
    lower = all(value(attributes, key) == "F" for key in ATTRIBUTE_KEYS if LEVEL_OF[key] < level)
    return own and lower


# --- capability: properties ------------------------------------------------------------------------


@given(some_ratings)
def test_every_attribute_below_the_reported_level_is_fully_achieved(attributes):
    level = capability_level(attributes)
    assert level is not None
    assert 0 <= level <= 5
    for key in ATTRIBUTE_KEYS:
        if LEVEL_OF[key] < level:
            assert attributes.get(key) == "F", (attributes, level, key)


@given(some_ratings)
def test_the_attributes_of_the_reported_level_are_largely_or_fully_achieved(attributes):
    level = capability_level(attributes)
    assert level is not None
    for key in keys_of(level):  # level 0 has no attributes of its own
        assert attributes.get(key) in ("L", "F"), (attributes, level, key)


@given(some_ratings)
def test_the_next_level_is_not_achieved(attributes):
    level = capability_level(attributes)
    assert level is not None
    if level < 5:
        assert not achieved(attributes, level + 1), (attributes, level)


@given(some_ratings)
def test_the_level_is_the_highest_level_whose_condition_holds_for_every_level_up_to_it(attributes):
    expected = 0
    for candidate in range(1, 6):
        if not achieved(attributes, candidate):
            break
        expected = candidate
    assert capability_level(attributes) == expected


@given(some_ratings, st.sampled_from(ATTRIBUTE_KEYS), st.sampled_from("NPLF"))
def test_raising_one_attribute_never_lowers_the_level(attributes, key, new):
    before = attributes.get(key)
    if before is not None and RANK[new] < RANK[before]:
        before, new = new, before
        attributes = {**attributes, key: before}
    raised = {**attributes, key: new}
    lower, higher = capability_level(attributes), capability_level(raised)
    assert lower is not None
    assert higher is not None
    assert higher >= lower, (attributes, raised)


@given(ratings_of_attributes, st.sampled_from(ATTRIBUTE_KEYS))
def test_rating_an_attribute_that_was_not_rated_never_lowers_the_level(attributes, key):
    assume(attributes and key not in attributes)
    before = capability_level(attributes)
    for achievement in "NPLF":
        after = capability_level({**attributes, key: achievement})
        assert before is not None
        assert after is not None
        assert after >= before


@given(
    ratings_of_attributes,
    st.dictionaries(
        st.text(min_size=1, max_size=6).filter(lambda k: k not in ATTRIBUTE_KEYS),
        st.one_of(st.sampled_from("NPLF"), st.text(max_size=3), st.integers(), st.none()),
        max_size=4,
    ),
    st.dictionaries(
        st.sampled_from(ATTRIBUTE_KEYS),
        st.one_of(st.sampled_from(["n", "f", "l", "X", "", "FF", " F"]), st.integers(0, 5), st.none(), st.booleans()),
        max_size=4,
    ),
)
def test_unknown_attribute_keys_and_values_are_ignored(attributes, unknown_keys, bad_values):
    bad_values = {k: v for k, v in bad_values.items() if k not in attributes}
    noisy = {**unknown_keys, **bad_values, **attributes}
    assert capability_level(noisy) == capability_level(attributes)
    assert clean_attributes(noisy) == attributes


def test_no_attribute_rated_means_no_level():
    assert capability_level({}) is None
    assert capability_level({"9.9": "F", "1.1": "x", "2.1": None}) is None


@pytest.mark.parametrize(
    ("attributes", "level"),
    [
        ({"1.1": "P"}, 0),
        ({"2.1": "F", "2.2": "F"}, 0),  # 1.1 not rated counts as N
        ({"1.1": "L"}, 1),
        ({"1.1": "L", "2.1": "F", "2.2": "F"}, 1),  # level 2 needs 1.1 fully achieved
        ({"1.1": "F", "2.1": "L", "2.2": "F"}, 2),
        ({"1.1": "F", "2.1": "L", "2.2": "F", "3.1": "F", "3.2": "F"}, 2),
        ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "L", "3.2": "L"}, 3),
        ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "L", "4.2": "P"}, 3),
        ({key: "F" for key in ATTRIBUTE_KEYS}, 5),
        ({key: "L" for key in ATTRIBUTE_KEYS}, 1),
    ],
)
def test_worked_examples_of_the_capability_level(attributes, level):
    assert capability_level(attributes) == level


def test_clean_attributes_keeps_known_keys_with_valid_values_in_level_order():
    assert clean_attributes({"3.1": "L", "zz": "F", "1.1": "F", "2.1": "f"}) == {"1.1": "F", "3.1": "L"}
    assert list(clean_attributes({"5.2": "N", "1.1": "F"})) == ["1.1", "5.2"]


# --- gap, priority, readiness ------------------------------------------------------------------------


def test_the_top_of_each_scale():
    assert scale_max("capability") == 5
    assert scale_max("compliance") == 3


@pytest.mark.parametrize(("level", "target", "expected"), [(None, 3, None), (0, 3, 3), (1, 3, 2), (3, 3, 0), (5, 3, 0)])
def test_gap_is_the_steps_below_the_target_and_never_negative(level, target, expected):
    assert gap(level, target) == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [("missing", 1), ("draft", 1), ("uncontrolled", 1), ("controlled", 0), ("not_needed", 0), ("", 0)],
)
def test_documentation_gap_counts_missing_draft_and_uncontrolled(status, expected):
    assert documentation_gap(status) == expected


@pytest.mark.parametrize(
    ("rating_gap", "documentation", "weight", "points"),
    [
        (2, "controlled", 1, 2),
        (2, "missing", 1, 3),
        (1, "draft", 2, 4),  # weight x (gap + documentation gap)
        (None, "missing", 3, 3),  # unrated: only its documentation gap counts
        (None, "", 2, 0),
        (0, "not_needed", 2, 0),
        (1, "uncontrolled", 0, 2),  # a weight below 1 counts as 1
    ],
)
def test_priority_points(rating_gap, documentation, weight, points):
    assert priority_points(rating_gap=rating_gap, documentation=documentation, weight=weight) == points


@pytest.mark.parametrize(
    ("points", "band"),
    [(0, None), (1, "low"), (2, "medium"), (3, "medium"), (4, "high"), (12, "high")],
)
def test_priority_band_boundaries_are_1_2_and_4(points, band):
    assert priority_band(points) == band


@pytest.mark.parametrize(
    ("level", "target", "share"),
    [(None, 3, None), (0, 3, 0.0), (2, 4, 0.5), (3, 3, 1.0), (5, 3, 1.0), (2, 0, 1.0)],
)
def test_readiness_is_the_share_of_the_target_reached(level, target, share):
    assert readiness(level, target) == share


def test_summarize_weights_each_requirement_by_its_weight():
    summary = summarize([(3, 3, 1), (0, 3, 3)])  # 1 x 100 % + 3 x 0 % over a weight of 4
    assert summary.percent == 25.0
    assert (summary.rated, summary.total, summary.gaps) == (2, 2, 1)


def test_summarize_counts_unrated_requirements_as_not_ready_with_the_coverage_beside():
    summary = summarize([(3, 3, 1), (None, 3, 5), (None, 3, 1), (1, 2, 1)])
    assert summary.percent == 18.8  # (1 + 0.5) / 8: the unrated weigh in as not ready
    assert summary.rated_percent == 75.0  # (1 + 0.5) / 2, over the rated ones only
    assert (summary.rated, summary.total, summary.gaps) == (2, 4, 1)
    assert summary.coverage == 50.0


def test_summarize_of_nothing_rated_is_not_ready():
    assert summarize([(None, 3, 1)]).percent == 0.0
    assert summarize([(None, 3, 1)]).rated_percent is None
    assert summarize([(None, 3, 1)]).coverage == 0.0
    empty = summarize([])
    assert (empty.percent, empty.total, empty.coverage) == (None, 0, 0.0)


def test_summarize_rounds_to_one_decimal_and_counts_a_weight_below_one_as_one():
    assert summarize([(1, 3, 0), (3, 3, 1)]).percent == 66.7
