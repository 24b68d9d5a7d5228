"""Weighted selection, worked by hand: four criteria (accreditation 30, competence 25, price 25, capacity 20),
two bodies; then properties against a brute-force walk of every weight."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from certprep.vendors.selection import (
    NoRecommendation,
    WeightedCriterion,
    as_decimal,
    price_scores,
    rank,
    sensitivity,
)

CRITERIA = [
    WeightedCriterion(key="accreditation", weight=30),
    WeightedCriterion(key="competence", weight=25),
    WeightedCriterion(key="price", weight=25, is_price=True),
    WeightedCriterion(key="capacity", weight=20),
]


def _scores() -> dict[tuple[str, str], Fraction | int]:
    prices = price_scores({"A": Decimal("100000.00"), "B": Decimal("80000.00")})
    return {
        ("A", "accreditation"): 5,
        ("A", "competence"): 4,
        ("A", "capacity"): 3,
        ("B", "accreditation"): 4,
        ("B", "competence"): 4,
        ("B", "capacity"): 5,
        ("A", "price"): prices["A"],
        ("B", "price"): prices["B"],
    }


def test_price_scores_five_for_the_cheapest_and_in_proportion_for_the_others():
    assert price_scores({"A": Decimal("100000.00"), "B": Decimal("80000.00")}) == {"A": 4, "B": 5}
    assert price_scores({"A": Decimal(0), "B": Decimal(10)}) == {"A": 5, "B": 0}


def test_the_ranking_by_hand_shows_each_criterion_contribution():
    ranking = rank(CRITERIA, ["A", "B"], _scores())
    # A: .30 x 5 + .25 x 4 + .25 x 4 + .20 x 3 = 4.10;  B: .30 x 4 + .25 x 4 + .25 x 5 + .20 x 5 = 4.45
    assert [(s.vendor, as_decimal(s.total)) for s in ranking.standings] == [
        ("B", Decimal("4.45")),
        ("A", Decimal("4.10")),
    ]
    assert ranking.recommended == "B"
    best = ranking.standings[0]
    assert best.contributions == {
        "accreditation": Fraction("1.2"),
        "competence": Fraction(1),
        "price": Fraction("1.25"),
        "capacity": Fraction(1),
    }
    assert ranking.shares["price"] == Fraction(1, 4)


def test_price_alone_never_makes_a_recommendation():
    only_price = [
        WeightedCriterion(key="price", weight=100, is_price=True),
        WeightedCriterion(key="capacity", weight=0),
    ]
    ranking = rank(only_price, ["A", "B"], _scores())
    assert ranking.refused == NoRecommendation.PRICE_ALONE
    assert ranking.recommended is None
    assert rank(CRITERIA, [], {}).refused == NoRecommendation.NO_VENDORS


def test_a_missing_score_contributes_nothing_and_is_listed():
    scores = _scores()
    del scores[("A", "capacity")]
    standing = next(s for s in rank(CRITERIA, ["A", "B"], scores).standings if s.vendor == "A")
    assert standing.missing == ["capacity"]
    assert as_decimal(standing.total) == Decimal("3.50")


def test_sensitivity_by_hand():
    found = {s.criterion: s for s in sensitivity(CRITERIA, ["A", "B"], _scores())}
    # accreditation: A leads where (65 - w) / ... < 0, i.e. from w = 66: 36 points up (at 65 they tie, B stays)
    assert (found["accreditation"].up, found["accreditation"].down) == (36, None)
    assert found["accreditation"].winner_up == "A"
    # capacity: B's lead is -5 + 2w, negative for w <= 2: 18 points down
    assert (found["capacity"].up, found["capacity"].down) == (None, 18)
    # price favours B and competence is tied: no change within 0-100
    assert (found["price"].up, found["price"].down) == (None, None)
    assert (found["competence"].up, found["competence"].down) == (None, None)


# Properties ----------------------------------------------------------------------------------------


def _winner_at(criteria, vendors, scores) -> str:
    return rank(criteria, vendors, scores).standings[0].vendor


def _brute_force(criteria, vendors, scores, key: str) -> tuple[int | None, int | None]:
    """Walk every integer weight of one criterion, totals computed afresh, and find the nearest at which a
    rival's total is strictly above the winner's."""
    base = next(c for c in criteria if c.key == key)
    winner = _winner_at(criteria, vendors, scores)

    def overtaken(weight: int) -> bool:
        moved = [
            WeightedCriterion(key=c.key, weight=weight, is_price=c.is_price) if c.key == key else c for c in criteria
        ]
        if not any(c.weight for c in moved):
            return False
        totals = {s.vendor: s.total for s in rank(moved, vendors, scores).standings}
        return any(total > totals[winner] for vendor, total in totals.items() if vendor != winner)

    up = next((w - base.weight for w in range(base.weight + 1, 101) if overtaken(w)), None)
    down = next((base.weight - w for w in range(base.weight - 1, -1, -1) if overtaken(w)), None)
    return up, down


@st.composite
def contests(draw: st.DrawFn):
    keys = [f"c{i}" for i in range(draw(st.integers(1, 4)))]
    criteria = [WeightedCriterion(key=k, weight=draw(st.integers(0, 100))) for k in keys]
    vendors = [f"v{i}" for i in range(draw(st.integers(2, 4)))]
    scores = {(v, k): draw(st.integers(1, 5)) for v in vendors for k in keys}
    return criteria, vendors, scores


@given(contests())
def test_sensitivity_agrees_with_walking_every_weight(contest):
    criteria, vendors, scores = contest
    if not any(c.weight for c in criteria):
        return
    for found in sensitivity(criteria, vendors, scores):
        assert (found.up, found.down) == _brute_force(criteria, vendors, scores, found.criterion)


@given(contests())
def test_contributions_add_up_to_the_total_and_the_total_stays_within_0_to_5(contest):
    criteria, vendors, scores = contest
    for standing in rank(criteria, vendors, scores).standings:
        assert sum(standing.contributions.values()) == standing.total
        assert 0 <= standing.total <= 5


@given(
    st.lists(st.decimals(min_value=1, max_value=10**9, places=2), min_size=2, max_size=6),
    st.decimals(min_value=Decimal("0.0001"), max_value=10**4, places=4),
)
def test_the_same_offers_in_another_currency_score_and_rank_the_same(totals, rate):
    """Converting every normalized total at one rate changes no price score."""
    here = {f"v{i}": total for i, total in enumerate(totals)}
    there = {vendor: total * rate for vendor, total in here.items()}
    assert price_scores(here) == price_scores(there)


@given(contests(), st.integers(2, 7))
def test_scaling_every_weight_changes_no_total(contest, factor):
    criteria, vendors, scores = contest
    scaled = [WeightedCriterion(key=c.key, weight=c.weight * factor) for c in criteria]
    before = [(s.vendor, s.total) for s in rank(criteria, vendors, scores).standings]
    assert [(s.vendor, s.total) for s in rank(scaled, vendors, scores).standings] == before
