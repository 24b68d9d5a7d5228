"""The economics of certification as a pure module (no Django, no database): the costs of each year of the
certificate cycle against the priced benefits, the payback period, the net benefit and the simple return over
the cycle, and the sensitivity of all three to fewer benefits and higher costs.

The cycle's years are the budget's: 0 the initial certification year (preparation and the certification
audit), 1 and 2 the surveillance years, 3 the recertification year. A benefit counts from its first year (1, 2
or 3) to year 3, at its full value each year; no benefit counts in year 0.

Payback follows the classical simple method: year 0's net flow (its benefits less its costs) is taken at once,
when the certificate is issued; each later year's net flow comes in evenly over that year. The payback period
is the time from the certificate, in years, at which the running sum of net flows first reaches zero, found by
linear interpolation within the year in which it turns; None when it does not within the cycle. It is rounded
half-up to 0.01 year (rounding never reverses an order, so more benefit never lengthens it, more cost never
shortens it). Net benefit is the cycle's benefits less its costs, exactly; the simple return is the net
benefit divided by the costs (None when there are none), rounded half-up to 0.0001."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

YEARS = (0, 1, 2, 3)
FIRST_BENEFIT_YEARS = (1, 2, 3)
PAYBACK_STEP = Decimal("0.01")
RETURN_STEP = Decimal("0.0001")
BENEFIT_CUT = Decimal("0.30")
COST_RISE = Decimal("0.30")
ZERO = Decimal(0)


@dataclass(frozen=True)
class PricedBenefit:
    """A benefit's money value per year and the cycle year (1-3) it starts in."""

    value_per_year: Decimal
    first_year: int


@dataclass(frozen=True)
class Flows:
    """Costs and benefits per cycle year (index = year 0-3)."""

    costs: tuple[Decimal, ...]
    benefits: tuple[Decimal, ...]

    @property
    def cost_total(self) -> Decimal:
        return sum(self.costs, ZERO)

    @property
    def benefit_total(self) -> Decimal:
        return sum(self.benefits, ZERO)

    def net_by_year(self) -> tuple[Decimal, ...]:
        return tuple(b - c for b, c in zip(self.benefits, self.costs, strict=True))

    def cumulative(self) -> tuple[Decimal, ...]:
        running, out = ZERO, []
        for net in self.net_by_year():
            running += net
            out.append(running)
        return tuple(out)


@dataclass(frozen=True)
class Figures:
    """What the page and the report show for one set of flows."""

    flows: Flows
    net_benefit: Decimal
    payback_years: Decimal | None
    simple_return: Decimal | None


def benefits_by_year(benefits: Iterable[PricedBenefit]) -> tuple[Decimal, ...]:
    """Each year's sum of the benefits counting in it (a benefit counts from its first year on)."""
    years = dict.fromkeys(YEARS, ZERO)
    for benefit in benefits:
        if benefit.first_year not in FIRST_BENEFIT_YEARS:
            raise ValueError(f"first year {benefit.first_year} is not 1, 2 or 3")
        if benefit.value_per_year < 0:
            raise ValueError("a benefit's value is not negative")
        for year in YEARS:
            if year >= benefit.first_year:
                years[year] += benefit.value_per_year
    return tuple(years[year] for year in YEARS)


def payback_years(flows: Flows) -> Decimal | None:
    """Years from the certificate until the running net flow first reaches zero; None if not within the cycle."""
    cumulative = flows.cumulative()
    if cumulative[0] >= 0:
        return ZERO
    for year in YEARS[1:]:
        before, after = cumulative[year - 1], cumulative[year]
        if before < 0 <= after:
            share = -before / (after - before)
            return (Decimal(year - 1) + share).quantize(PAYBACK_STEP, rounding=ROUND_HALF_UP)
    return None


def simple_return(flows: Flows) -> Decimal | None:
    costs = flows.cost_total
    if costs <= 0:
        return None
    return ((flows.benefit_total - costs) / costs).quantize(RETURN_STEP, rounding=ROUND_HALF_UP)


def figures(flows: Flows) -> Figures:
    return Figures(
        flows=flows,
        net_benefit=flows.benefit_total - flows.cost_total,
        payback_years=payback_years(flows),
        simple_return=simple_return(flows),
    )


def flows_of(costs: Sequence[Decimal], benefits: Iterable[PricedBenefit]) -> Flows:
    if len(costs) != len(YEARS):
        raise ValueError("one cost per cycle year 0-3")
    return Flows(costs=tuple(costs), benefits=benefits_by_year(benefits))


@dataclass(frozen=True)
class Case:
    """One row of the sensitivity table: which figures were changed and the result."""

    key: str  # "expected", "benefits_down", "costs_up", "both"
    benefit_factor: Decimal
    cost_factor: Decimal
    figures: Figures


def scaled(flows: Flows, *, benefit_factor: Decimal, cost_factor: Decimal) -> Flows:
    return Flows(
        costs=tuple(c * cost_factor for c in flows.costs),
        benefits=tuple(b * benefit_factor for b in flows.benefits),
    )


def sensitivity(flows: Flows) -> list[Case]:
    """The expected case, benefits 30 % lower, costs 30 % higher, and both at once."""
    down, up, one = 1 - BENEFIT_CUT, 1 + COST_RISE, Decimal(1)
    cases = (("expected", one, one), ("benefits_down", down, one), ("costs_up", one, up), ("both", down, up))
    return [Case(key, b, c, figures(scaled(flows, benefit_factor=b, cost_factor=c))) for key, b, c in cases]
