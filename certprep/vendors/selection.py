"""The weighted selection of a vendor, as pure rules (no Django): weights normalized over the criteria, price
scored from the normalized 3-year totals (cheaper scores higher), a ranking that shows every criterion's
contribution, a recommendation refused when price would decide alone, and the sensitivity of the winner to
each weight.

Scores run from 1 to 5. The price criterion's score is 5 x cheapest total / this total: the cheapest offer
scores 5, one twice as dear 2.5. It depends only on the ratios of the totals, so converting every total to
another currency at one rate changes no score and no rank. A criterion not scored for a vendor contributes
nothing (and is listed as missing). Arithmetic is exact (fractions); pages round for display only.

Sensitivity: with the other weights kept, a vendor's weighted total compares with the winner's through a
linear function of the one weight moved (the common denominator is positive), so the smallest move that lets a
rival score strictly above the winner is found exactly, up and down, within 0-100 points.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

MAX_SCORE = 5
MAX_WEIGHT = 100


@dataclass(frozen=True, kw_only=True)
class WeightedCriterion[C: Hashable]:
    key: C
    weight: int  # points, 0-100
    is_price: bool = False


class NoRecommendation(StrEnum):
    NO_VENDORS = "no_vendors"
    NO_WEIGHT = "no_weight"  # every weight is zero
    PRICE_ALONE = "price_alone"  # only the price criterion carries weight


@dataclass(frozen=True, kw_only=True)
class Standing[V: Hashable, C: Hashable]:
    vendor: V
    total: Fraction  # 0-5
    contributions: dict[C, Fraction]  # normalized weight x score; they add up to `total`
    missing: list[C] = field(default_factory=list)  # criteria with weight the vendor has no score for


@dataclass(frozen=True, kw_only=True)
class Ranking[V: Hashable, C: Hashable]:
    standings: list[Standing[V, C]]  # best first; ties keep the vendors' given order
    shares: dict[C, Fraction]  # each criterion's normalized weight (they add up to 1 when any weight is set)
    refused: NoRecommendation | None

    @property
    def recommended(self) -> V | None:
        return None if self.refused or not self.standings else self.standings[0].vendor


def price_scores[V: Hashable](totals: Mapping[V, Decimal]) -> dict[V, Fraction]:
    """5 x cheapest / total for each vendor's normalized total (a total of zero is the cheapest, scoring 5)."""
    if not totals:
        return {}
    cheapest = min(totals.values())
    return {
        vendor: Fraction(MAX_SCORE) if total == 0 else MAX_SCORE * Fraction(cheapest) / Fraction(total)
        for vendor, total in totals.items()
    }


def _shares[C: Hashable](criteria: Sequence[WeightedCriterion[C]]) -> dict[C, Fraction]:
    whole = sum(criterion.weight for criterion in criteria)
    return {c.key: Fraction(c.weight, whole) if whole else Fraction(0) for c in criteria}


def _refusal[C: Hashable](
    criteria: Sequence[WeightedCriterion[C]], vendors: Sequence[object]
) -> NoRecommendation | None:
    if not vendors:
        return NoRecommendation.NO_VENDORS
    if not any(c.weight for c in criteria):
        return NoRecommendation.NO_WEIGHT
    if not any(c.weight for c in criteria if not c.is_price):
        return NoRecommendation.PRICE_ALONE
    return None


def rank[V: Hashable, C: Hashable](
    criteria: Sequence[WeightedCriterion[C]],
    vendors: Sequence[V],
    scores: Mapping[tuple[V, C], Fraction | int],
) -> Ranking[V, C]:
    """Rank `vendors` by their weighted totals. `scores` holds every score, the price criterion's included
    (price_scores); a missing one contributes nothing."""
    shares = _shares(criteria)
    standings = []
    for vendor in vendors:
        contributions = {c.key: shares[c.key] * Fraction(scores.get((vendor, c.key), 0)) for c in criteria}
        missing = [c.key for c in criteria if c.weight and (vendor, c.key) not in scores]
        standings.append(
            Standing(
                vendor=vendor,
                total=sum(contributions.values(), Fraction(0)),
                contributions=contributions,
                missing=missing,
            )
        )
    standings.sort(key=lambda standing: -standing.total)  # stable: ties keep the given order
    return Ranking(standings=standings, shares=shares, refused=_refusal(criteria, vendors))


@dataclass(frozen=True, kw_only=True)
class Sensitivity[V: Hashable, C: Hashable]:
    """How many points the criterion's weight must rise (`up`) or fall (`down`, a positive number) for
    another vendor to overtake the winner, and who then leads; None: no change within 0-100."""

    criterion: C
    up: int | None
    down: int | None
    winner_up: V | None = None
    winner_down: V | None = None


def _totals_at[V: Hashable, C: Hashable](
    criteria: Sequence[WeightedCriterion[C]], vendors: Sequence[V], scores: Mapping[tuple[V, C], Fraction | int]
) -> list[V]:
    return [standing.vendor for standing in rank(criteria, vendors, scores).standings]


def _with_weight[C: Hashable](
    criteria: Sequence[WeightedCriterion[C]], key: C, weight: int
) -> list[WeightedCriterion[C]]:
    return [WeightedCriterion(key=c.key, weight=weight, is_price=c.is_price) if c.key == key else c for c in criteria]


def _crossings[V: Hashable, C: Hashable](
    criteria: Sequence[WeightedCriterion[C]],
    moved: WeightedCriterion[C],
    winner: V,
    vendors: Sequence[V],
    scores: Mapping[tuple[V, C], Fraction | int],
) -> tuple[int | None, int | None]:
    """The weights nearest to the moved criterion's own at which some rival scores strictly above the winner."""

    def score(vendor: V, key: C) -> Fraction:
        return Fraction(scores.get((vendor, key), 0))

    rest_weight = sum(c.weight for c in criteria if c.key != moved.key)
    up: int | None = None
    down: int | None = None
    for rival in vendors:
        if rival == winner:
            continue
        # winner's lead x total weight = rest + w x slope; the rival leads where that is negative
        rest = sum(c.weight * (score(winner, c.key) - score(rival, c.key)) for c in criteria if c.key != moved.key)
        slope = score(winner, moved.key) - score(rival, moved.key)
        if slope < 0:
            first = math.floor(rest / -slope) + 1
            if moved.weight < first <= MAX_WEIGHT:
                up = first if up is None else min(up, first)
        elif slope > 0:
            last = math.ceil(-rest / slope) - 1
            if 0 <= last < moved.weight and (last > 0 or rest_weight > 0):
                down = last if down is None else max(down, last)
    return up, down


def sensitivity[V: Hashable, C: Hashable](
    criteria: Sequence[WeightedCriterion[C]],
    vendors: Sequence[V],
    scores: Mapping[tuple[V, C], Fraction | int],
) -> list[Sensitivity[V, C]]:
    """For each criterion, the smallest rise and fall of its weight (other weights kept) that changes the winner."""
    if len(vendors) < 2 or not any(c.weight for c in criteria):
        return [Sensitivity(criterion=c.key, up=None, down=None) for c in criteria]
    winner = _totals_at(criteria, vendors, scores)[0]
    found = []
    for moved in criteria:
        up_at, down_at = _crossings(criteria, moved, winner, vendors, scores)
        winner_up = (
            _totals_at(_with_weight(criteria, moved.key, up_at), vendors, scores)[0] if up_at is not None else None
        )
        winner_down = (
            _totals_at(_with_weight(criteria, moved.key, down_at), vendors, scores)[0] if down_at is not None else None
        )
        found.append(
            Sensitivity(
                criterion=moved.key,
                up=None if up_at is None else up_at - moved.weight,
                down=None if down_at is None else moved.weight - down_at,
                winner_up=winner_up,
                winner_down=winner_down,
            )
        )
    return found


def as_decimal(value: Fraction, places: int = 2) -> Decimal:
    """A fraction for display, rounded half-up to `places` decimals."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP
    )
