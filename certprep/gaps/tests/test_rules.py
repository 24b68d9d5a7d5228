"""The arithmetic of the gap analysis, without the database: the capability level the N/P/L/F attribute
ratings achieve, the gap, the priority of a requirement and its band, and the weighted readiness of a group of
requirements.

The capability level is checked against an oracle written from ISO/IEC 33020 itself, in another form than
`gaps.rules.capability_level`: the standard's table of what each level needs (an attribute "largely or fully"
achieved means an achievement above 50 %, "fully" above 85 %) applied to achievement percentages, which the
standard's rating bands turn into the N/P/L/F letters the code reads. The attribute table and the hand-worked
cases are typed out here from the standard, not imported from the code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.gaps.rules import (
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

# --- capability: the definition (ISO/IEC 33020) ---------------------------------------------------------

# The process attributes of ISO/IEC 33020's process measurement framework, by the level they belong to.
STANDARD_ATTRIBUTES = {
    "1.1": 1,  # process performance
    "2.1": 2,  # performance management
    "2.2": 2,  # work product management
    "3.1": 3,  # process definition
    "3.2": 3,  # process deployment
    "4.1": 4,  # quantitative analysis
    "4.2": 4,  # quantitative control
    "5.1": 5,  # process innovation
    "5.2": 5,  # process innovation implementation
}

# The rating scale: each letter stands for a band of achievement, (lowest excluded, highest included) in %.
BANDS = {"N": (-1, 15), "P": (15, 50), "L": (50, 85), "F": (85, 100)}
LARGELY, FULLY = 50, 85  # "largely or fully achieved" = above 50 %; "fully achieved" = above 85 %

# The standard's table of the capability levels: what every attribute must exceed for the level to be
# achieved. Typed out row by row (not computed), as the standard prints it.
LEVELS = {
    1: {"1.1": LARGELY},
    2: {"1.1": FULLY, "2.1": LARGELY, "2.2": LARGELY},
    3: {"1.1": FULLY, "2.1": FULLY, "2.2": FULLY, "3.1": LARGELY, "3.2": LARGELY},
    4: {"1.1": FULLY, "2.1": FULLY, "2.2": FULLY, "3.1": FULLY, "3.2": FULLY, "4.1": LARGELY, "4.2": LARGELY},
    5: {
        "1.1": FULLY, "2.1": FULLY, "2.2": FULLY, "3.1": FULLY, "3.2": FULLY, "4.1": FULLY, "4.2": FULLY,
        "5.1": LARGELY, "5.2": LARGELY,
    },
}  # fmt: skip


def letter(percent: float) -> str:
    """The rating a measured achievement gets on the N/P/L/F scale."""
    return next(key for key, (low, high) in BANDS.items() if low < percent <= high)


def oracle_level(achievement: dict[str, float]) -> int:
    """The capability level from achievement percentages: the highest row of the table whose every threshold
    is exceeded, 0 when none is (an attribute that was not measured has achieved 0 %)."""
    return max(
        (level for level, needs in LEVELS.items() if all(achievement.get(k, 0) > t for k, t in needs.items())),
        default=0,
    )


percentages = st.one_of(st.sampled_from([0, 15, 50, 85, 100]), st.floats(min_value=0, max_value=100))


@st.composite
def measurements(draw) -> dict[str, float]:
    """Achievements around some level, so that every level up to 5 turns up: the attributes below it drawn
    above 85 %, its own above 50 %, the higher ones anywhere, each now and then replaced by any percentage
    (the bounds 15, 50 and 85 included) or left unrated; at least one attribute stays measured."""
    around = draw(st.integers(0, 5))
    achievement: dict[str, float] = {}
    for key, level in STANDARD_ATTRIBUTES.items():
        if draw(st.integers(0, 7)) == 0:  # noise
            value = draw(st.one_of(percentages, st.none()))
        elif level < around:
            value = draw(st.floats(min_value=FULLY, max_value=100, exclude_min=True))
        elif level == around:
            value = draw(st.floats(min_value=LARGELY, max_value=100, exclude_min=True))
        else:
            value = draw(percentages)
        if value is not None:
            achievement[key] = value
    return achievement or {"1.1": draw(percentages)}


# Ratings as an assessor types them: some attributes rated N/P/L/F, the others left empty.
ratings_of_attributes = st.dictionaries(st.sampled_from(sorted(STANDARD_ATTRIBUTES)), st.sampled_from("NPLF"))
some_ratings = st.dictionaries(st.sampled_from(sorted(STANDARD_ATTRIBUTES)), st.sampled_from("NPLF"), min_size=1)
RANK = {"N": 0, "P": 1, "L": 2, "F": 3}


def test_the_attributes_are_those_of_the_standard_at_their_levels():
    assert {key: level for key, level, _name in ATTRIBUTES} == STANDARD_ATTRIBUTES
    assert [key for key, _level, _name in ATTRIBUTES] == sorted(STANDARD_ATTRIBUTES)  # shown in level order


@pytest.mark.parametrize(
    ("percent", "expected"),
    [(0, "N"), (15, "N"), (15.5, "P"), (50, "P"), (50.5, "L"), (85, "L"), (85.5, "F"), (100, "F")],
)
def test_the_oracle_reads_the_rating_bands_of_the_standard(percent, expected):
    assert letter(percent) == expected


@given(measurements())
def test_the_level_from_the_letters_is_the_level_the_standard_gives_the_achievements(achievement):
    rated = {key: letter(percent) for key, percent in achievement.items()}
    assert capability_level(rated) == oracle_level(achievement), rated


# Worked by hand from the table above; each comment says why.
WORKED = [
    ({"1.1": "N"}, 0),  # level 1 needs 1.1 at least L
    ({"1.1": "P"}, 0),  # P is not enough for level 1
    ({"1.1": "L"}, 1),  # 1.1 largely achieved: performed
    ({"1.1": "F"}, 1),  # level 2 attributes not rated count as N
    ({"2.1": "F", "2.2": "F"}, 0),  # 1.1 not rated counts as N, so not even level 1
    ({"1.1": "L", "2.1": "F", "2.2": "F"}, 1),  # level 2 needs 1.1 fully, not largely
    ({"1.1": "F", "2.1": "L", "2.2": "P"}, 1),  # one attribute of level 2 only partially achieved
    ({"1.1": "F", "2.1": "L", "2.2": "L"}, 2),  # both level 2 attributes largely achieved
    ({"1.1": "F", "2.1": "L", "2.2": "F", "3.1": "F", "3.2": "F"}, 2),  # level 3 needs 2.1 fully
    ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "L", "3.2": "L"}, 3),
    ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "L", "3.2": "F", "4.1": "F", "4.2": "F"}, 3),  # 3.1 not F
    ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "L", "4.2": "P"}, 3),
    ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "L", "4.2": "L"}, 4),
    ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "F", "4.2": "F", "5.1": "L"}, 4),
    ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "F", "4.2": "F", "5.1": "L", "5.2": "L"}, 5),
    ({"1.1": "F", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "F", "4.2": "F", "5.1": "F", "5.2": "F"}, 5),
    ({"1.1": "L", "2.1": "L", "2.2": "L", "3.1": "L", "3.2": "L", "4.1": "L", "4.2": "L", "5.1": "L", "5.2": "L"}, 1),
    ({"1.1": "F", "2.1": "N", "2.2": "N", "3.1": "F", "3.2": "F", "4.1": "F", "4.2": "F", "5.1": "F", "5.2": "F"}, 1),
    ({"1.1": "P", "2.1": "F", "2.2": "F", "3.1": "F", "3.2": "F", "4.1": "F", "4.2": "F", "5.1": "F", "5.2": "F"}, 0),
]


@pytest.mark.parametrize(("attributes", "level"), WORKED)
def test_worked_examples_of_the_capability_level(attributes, level):
    assert capability_level(attributes) == level


@pytest.mark.parametrize(("attributes", "level"), WORKED)
def test_the_oracle_agrees_with_the_worked_examples(attributes, level):
    """The oracle itself is checked against the hand-worked table, each letter taken at the top of its band."""
    assert oracle_level({key: BANDS[value][1] for key, value in attributes.items()}) == level


# --- capability: properties that follow from the definition ---------------------------------------------


@given(some_ratings, st.sampled_from(sorted(STANDARD_ATTRIBUTES)), st.sampled_from("NPLF"))
def test_raising_one_attribute_never_lowers_the_level(attributes, key, new):
    before = attributes.get(key)
    if before is not None and RANK[new] < RANK[before]:
        before, new = new, before
        attributes = {**attributes, key: before}
    lower, higher = capability_level(attributes), capability_level({**attributes, key: new})
    assert lower is not None
    assert higher is not None
    assert higher >= lower, (attributes, key, new)


@given(some_ratings, st.sampled_from(sorted(STANDARD_ATTRIBUTES)))
def test_rating_an_attribute_that_was_not_rated_never_lowers_the_level(attributes, key):
    rest = {k: v for k, v in attributes.items() if k != key}
    if not rest:
        rest = {"1.1": "N"} if key != "1.1" else {"2.1": "N"}
    before = capability_level(rest)
    for achievement in "NPLF":
        after = capability_level({**rest, key: achievement})
        assert before is not None
        assert after is not None
        assert after >= before


@given(
    ratings_of_attributes,
    st.dictionaries(
        st.text(min_size=1, max_size=6).filter(lambda k: k not in STANDARD_ATTRIBUTES),
        st.one_of(st.sampled_from("NPLF"), st.text(max_size=3), st.integers(), st.none()),
        max_size=4,
    ),
    st.dictionaries(
        st.sampled_from(sorted(STANDARD_ATTRIBUTES)),
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
