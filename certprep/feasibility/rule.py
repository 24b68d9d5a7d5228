"""The recommendation rule and the feasibility score: plain functions over plain data, no database.

The rule judges five criteria, each on its own: the weighted feasibility score, the lowest single rating, the
economics (net benefit and payback over the 3-year certificate cycle), the open high risks and the chance of
being ready by the booked stage 2 audit. Each criterion is "go", "go with conditions" or "no-go" by the
thresholds below, and the recommendation is the weakest of the five: one no-go criterion makes a no-go, any
criterion short of go makes a go with conditions. Only the ratings and the risks can say no-go; the economics and
the schedule can only set conditions (benefits nobody priced yet, an audit date to move). A missing input
(nothing rated, no budget, no risk run) can never give a go: it counts as "go with conditions", and the condition
is to supply it.

Every threshold is a named constant, shown to the reader on the page as it is here. Because each criterion only
improves as its input improves and the outcome is their minimum, a better rating, a lower risk or a higher
benefit never worsens the recommendation (feasibility/tests/test_scheme_rule.py proves it with generated inputs)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import IntEnum

# The thresholds of the rule (what the page shows as "the rule").
GO_SCORE = Decimal("3.50")  # weighted score from which the score speaks for a go
CONDITIONAL_SCORE = Decimal("2.50")  # below it the score speaks for a no-go
GO_LOWEST = 3  # every rating at least "adequate" for a go
CONDITIONAL_LOWEST = 2  # one rating "very weak" (1) is a no-go
PAYBACK_LIMIT_YEARS = Decimal(3)  # the certificate cycle: the investment should pay back within it
GO_HIGH_RISKS = 0  # no open high risk for a go
NO_GO_HIGH_RISKS = 3  # this many open high risks is a no-go
# Chance of being ready by the booked stage 2 audit, for a go. Below it the schedule is a condition, never a
# no-go: a late plan is mended by moving the audit or shortening the plan, not by dropping certification.
GO_PROBABILITY = Decimal("0.80")

TWO_PLACES = Decimal("0.01")


class Level(IntEnum):
    """How one criterion, or the whole recommendation, comes out; ordered from worst to best."""

    NO_GO = 0
    CONDITIONAL = 1
    GO = 2

    @property
    def outcome(self) -> str:
        """The value of feasibility.choices.Outcome."""
        return {Level.NO_GO: "no_go", Level.CONDITIONAL: "conditional", Level.GO: "go"}[self]


@dataclass(frozen=True)
class Inputs:
    """What the rule reads; None is "not known yet"."""

    score: Decimal | None = None
    lowest: int | None = None
    net_benefit: Decimal | None = None
    payback_years: Decimal | None = None
    open_high_risks: int | None = None
    schedule_probability: Decimal | None = None


# The criteria in the order the page lists them.
SCORE, LOWEST, ECONOMICS, RISKS, SCHEDULE = "score", "lowest", "economics", "risks", "schedule"
CRITERIA = (SCORE, LOWEST, ECONOMICS, RISKS, SCHEDULE)


@dataclass(frozen=True)
class Finding:
    """One criterion's verdict: its level, whether its input was missing, and (short of go) the value its input
    must reach for a go, written language-neutral ("3.50", "0", "0.80")."""

    criterion: str
    level: Level
    missing: bool = False
    needed: str = ""


@dataclass(frozen=True)
class Proposal:
    level: Level
    findings: tuple[Finding, ...]

    @property
    def outcome(self) -> str:
        return self.level.outcome

    @property
    def conditions(self) -> tuple[Finding, ...]:
        """The findings short of go: what must change for the recommendation to become a go."""
        return tuple(f for f in self.findings if f.level < Level.GO)


def _score(value: Decimal | None) -> Finding:
    if value is None:
        return Finding(SCORE, Level.CONDITIONAL, missing=True, needed=str(GO_SCORE))
    if value >= GO_SCORE:
        return Finding(SCORE, Level.GO)
    level = Level.CONDITIONAL if value >= CONDITIONAL_SCORE else Level.NO_GO
    return Finding(SCORE, level, needed=str(GO_SCORE))


def _lowest(value: int | None) -> Finding:
    if value is None:
        return Finding(LOWEST, Level.CONDITIONAL, missing=True, needed=str(GO_LOWEST))
    if value >= GO_LOWEST:
        return Finding(LOWEST, Level.GO)
    level = Level.CONDITIONAL if value >= CONDITIONAL_LOWEST else Level.NO_GO
    return Finding(LOWEST, level, needed=str(GO_LOWEST))


def _economics(net_benefit: Decimal | None, payback_years: Decimal | None) -> Finding:
    """A go when the net benefit over the cycle is not negative and the investment pays back within the cycle;
    otherwise the case rests on benefits nobody priced, which is a condition, not a refusal."""
    if net_benefit is None:
        return Finding(ECONOMICS, Level.CONDITIONAL, missing=True, needed="0")
    if net_benefit >= 0 and payback_years is not None and payback_years <= PAYBACK_LIMIT_YEARS:
        return Finding(ECONOMICS, Level.GO)
    return Finding(ECONOMICS, Level.CONDITIONAL, needed="0")


def _risks(value: int | None) -> Finding:
    if value is None:
        return Finding(RISKS, Level.CONDITIONAL, missing=True, needed=str(GO_HIGH_RISKS))
    if value <= GO_HIGH_RISKS:
        return Finding(RISKS, Level.GO)
    level = Level.NO_GO if value >= NO_GO_HIGH_RISKS else Level.CONDITIONAL
    return Finding(RISKS, level, needed=str(GO_HIGH_RISKS))


def _schedule(value: Decimal | None) -> Finding:
    if value is None:
        return Finding(SCHEDULE, Level.CONDITIONAL, missing=True, needed=str(GO_PROBABILITY))
    if value >= GO_PROBABILITY:
        return Finding(SCHEDULE, Level.GO)
    return Finding(SCHEDULE, Level.CONDITIONAL, needed=str(GO_PROBABILITY))


def propose(inputs: Inputs) -> Proposal:
    """The recommendation for any inputs, missing ones included: the weakest criterion's level."""
    findings = (
        _score(inputs.score),
        _lowest(inputs.lowest),
        _economics(inputs.net_benefit, inputs.payback_years),
        _risks(inputs.open_high_risks),
        _schedule(inputs.schedule_probability),
    )
    return Proposal(level=min(f.level for f in findings), findings=findings)


def weighted_score(rated: Iterable[tuple[int | None, Decimal]]) -> Decimal | None:
    """(score or None, weight) pairs -> the weighted mean of the rated scores, to 2 places (half up); None when
    nothing with a weight above zero is rated."""
    total = weights = Decimal(0)
    for score, weight in rated:
        if score is None or weight <= 0:
            continue
        total += Decimal(score) * weight
        weights += weight
    if not weights:
        return None
    return (total / weights).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def lowest_rating(scores: Iterable[int | None]) -> int | None:
    rated = [s for s in scores if s is not None]
    return min(rated) if rated else None
