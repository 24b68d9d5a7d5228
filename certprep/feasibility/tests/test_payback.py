"""The payback arithmetic (certprep.feasibility.payback): hand-worked cases with exact Decimals, and properties
(more benefit never lengthens payback, more cost never shortens it, net benefit = benefits - costs exactly)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.feasibility.payback import (
    Flows,
    PricedBenefit,
    benefits_by_year,
    figures,
    flows_of,
    payback_years,
    scaled,
    sensitivity,
)

D = Decimal


def test_benefits_count_from_their_first_year_and_never_in_the_initial_year():
    years = benefits_by_year([PricedBenefit(D(100), 1), PricedBenefit(D(30), 3)])
    assert years == (D(0), D(100), D(100), D(130))


def test_a_hand_worked_payback_inside_the_third_year():
    # Costs 100,000 / 20,000 / 20,000 / 30,000; benefits 0 / 50,000 / 80,000 / 80,000.
    # Net -100,000 / 30,000 / 60,000 / 50,000; running -100,000, -70,000, -10,000, 40,000.
    # It turns in year 3 after 10,000 of its 50,000: 2 + 0.2 = 2.20 years.
    flows = flows_of(
        [D(100000), D(20000), D(20000), D(30000)], [PricedBenefit(D(50000), 1), PricedBenefit(D(30000), 2)]
    )
    result = figures(flows)
    assert result.payback_years == D("2.20")
    assert result.net_benefit == D(40000)  # 210,000 - 170,000
    assert result.simple_return == D("0.2353")  # 40,000 / 170,000 = 0.235294...
    assert flows.cumulative() == (D(-100000), D(-70000), D(-10000), D(40000))


def test_payback_rounds_half_up_to_a_hundredth_of_a_year():
    # Net -1,000 then +3,000 a year: 1,000 / 3,000 = 0.3333... -> 0.33; -2,000 then +3,000: 0.6666... -> 0.67.
    assert payback_years(Flows((D(1000), D(0), D(0), D(0)), (D(0), D(3000), D(3000), D(3000)))) == D("0.33")
    assert payback_years(Flows((D(2000), D(0), D(0), D(0)), (D(0), D(3000), D(3000), D(3000)))) == D("0.67")
    # -1,000 then +8,000: 0.125 -> 0.13 (half up, not to even).
    assert payback_years(Flows((D(1000), D(0), D(0), D(0)), (D(0), D(8000), D(0), D(0)))) == D("0.13")


def test_no_payback_within_the_cycle_and_none_needed_without_costs():
    assert payback_years(Flows((D(500), D(0), D(0), D(0)), (D(0), D(100), D(100), D(100)))) is None
    assert payback_years(Flows((D(0), D(0), D(0), D(0)), (D(0), D(0), D(0), D(0)))) == D(0)
    assert figures(Flows((D(0),) * 4, (D(0), D(5), D(5), D(5)))).simple_return is None  # nothing to divide by


def test_the_sensitivity_cases_lower_benefits_and_raise_costs_by_thirty_per_cent():
    flows = flows_of([D(100), D(0), D(0), D(0)], [PricedBenefit(D(100), 1)])
    cases = {case.key: case.figures for case in sensitivity(flows)}
    assert cases["expected"].net_benefit == D(200)  # 300 - 100
    assert cases["benefits_down"].net_benefit == D(110)  # 210 - 100
    assert cases["costs_up"].net_benefit == D(170)  # 300 - 130
    assert cases["both"].net_benefit == D(80)  # 210 - 130
    # Both: -130, then +70 a year: running -130, -60, +10; it turns in year 2 after 60 of its 70: 1.857... -> 1.86.
    assert cases["both"].payback_years == D("1.86")
    assert cases["expected"].payback_years == D("1.00")  # -100 then +100 in year 1


def test_a_first_year_outside_the_cycle_is_refused():
    with pytest.raises(ValueError, match="first year"):
        benefits_by_year([PricedBenefit(D(1), 0)])


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
benefit = st.builds(PricedBenefit, money, st.integers(min_value=1, max_value=3))
costs = st.lists(money, min_size=4, max_size=4)
NEVER = D(10**6)  # a payback of None counts as longer than any within the cycle


def _length(years: Decimal | None) -> Decimal:
    return NEVER if years is None else years


@given(costs, st.lists(benefit, max_size=6), benefit)
def test_more_benefit_never_lengthens_payback(cost, benefits, extra):
    before = payback_years(flows_of(cost, benefits))
    after = payback_years(flows_of(cost, [*benefits, extra]))
    assert _length(after) <= _length(before)


@given(costs, st.lists(benefit, max_size=6), st.integers(min_value=0, max_value=3), money)
def test_more_cost_never_shortens_payback(cost, benefits, year, more):
    higher = list(cost)
    higher[year] += more
    assert _length(payback_years(flows_of(higher, benefits))) >= _length(payback_years(flows_of(cost, benefits)))


@given(costs, st.lists(benefit, max_size=6), st.sampled_from([D(1), D("0.7")]), st.sampled_from([D(1), D("1.3")]))
def test_net_benefit_is_benefits_less_costs_exactly(cost, benefits, b, c):
    flows = scaled(flows_of(cost, benefits), benefit_factor=b, cost_factor=c)
    result = figures(flows)
    assert result.net_benefit == sum(flows.benefits, D(0)) - sum(flows.costs, D(0))
    assert result.net_benefit == flows.cumulative()[-1]
