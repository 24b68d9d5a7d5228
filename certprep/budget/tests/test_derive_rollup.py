"""The derived lines and the roll-up, worked by hand for a 400-person provider (pure: no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from certprep.budget import derive
from certprep.budget.audit_time import estimate, shipped_table
from certprep.budget.money import Rate, convert, line_amount
from certprep.budget.rollup import LineFact, roll_up

D = Decimal
DAY = datetime.date(2026, 11, 2)


def test_effort_is_shared_by_share_of_time_or_taken_from_the_duration():
    # Task 1: 40 h of effort shared by Alice (100 %) and Bob (50 %): 26.667 h and 13.333 h.
    # Task 2: no effort, 10 working days with Alice at 50 %: 10 x 0.5 x 8 = 40 h.
    facts = [
        derive.AssignmentFact(1, 1, "Alice", 100, 5, 40),
        derive.AssignmentFact(1, 2, "Bob", 50, 5, 40),
        derive.AssignmentFact(2, 1, "Alice", 50, 10, None),
    ]
    lines = derive.internal_effort(facts, rates={1: D(1200), 2: D(800)}, currency="CNY")
    alice, bob = lines
    # Alice: 66.667 h = 8.333 days -> 8.33 days x 1,200 = 9,996.00; Bob: 1.667 days -> 1.67 x 800 = 1,336.00.
    assert (alice.key, alice.quantity, line_amount(alice.quantity, alice.unit_price, "CNY")) == (
        "internal:person:1",
        D("8.33"),
        D("9996.00"),
    )
    assert (bob.quantity, line_amount(bob.quantity, bob.unit_price, "CNY")) == (D("1.67"), D("1336.00"))
    assert alice.category == "internal"
    assert alice.cycle_year == 0


def test_a_persons_own_rate_beats_the_highest_role_rate_which_beats_the_default():
    kwargs = {"person_rates": {"7": "1500"}, "role_rates": {"owner": "900", "manager": "1100"}, "default": D(600)}
    assert derive.day_rate(7, ["owner"], **kwargs) == D(1500)
    assert derive.day_rate(8, ["owner", "manager"], **kwargs) == D(1100)
    assert derive.day_rate(9, [], **kwargs) == D(600)


def test_training_of_400_people_four_hours_at_50_an_hour_is_80000():
    (line,) = derive.training(people=400, hours=D(4), rate=D(50), currency="CNY")
    assert (line.quantity, line_amount(line.quantity, line.unit_price, "CNY")) == (D(1600), D("80000.00"))
    assert derive.training(people=0, hours=D(4), rate=D(50), currency="CNY") == []


def test_the_estimate_for_400_people_at_2500_a_day_is_60000_over_the_cycle():
    days = estimate(shipped_table(), 400)  # band up to 425: 10 days; 3.5 per surveillance; 7 for recertification
    lines = derive.certification_estimate(days, rate=D(2500), currency="CNY", source="table")
    amounts = [line_amount(line.quantity, line.unit_price, "CNY") for line in lines]
    assert amounts == [D("25000.00"), D("8750.00"), D("8750.00"), D("17500.00")]
    assert sum(amounts) == D("60000.00")
    assert all(line.estimate for line in lines)


def test_tools_cost_once_then_each_year():
    lines = derive.tools(name="ServiceNow module", initial=D(30000), yearly=D(12000), currency="CNY")
    assert [(line.cycle_year, line.unit_price) for line in lines] == [(0, 30000), (1, 12000), (2, 12000), (3, 12000)]


def fact(i, category, year, quantity, price, currency="CNY", derived=False):
    return LineFact(i, category, year, D(quantity), D(price), currency, derived)


def test_the_roll_up_converts_supersedes_and_names_a_missing_rate():
    rates = [Rate("EUR", "CNY", D("7.8125"), DAY)]
    facts = [
        fact(1, "training", 0, "1600", "50", derived=True),  # superseded by line 2
        fact(2, "training", 0, "1", "60000.50"),
        fact(3, "certification", 0, "4", "1250.10", "EUR"),  # 5,000.40 EUR = 39,065.625 -> 39,065.63 CNY
        fact(4, "tools", 1, "1", "100", "USD"),  # no rate: left out, named
        fact(5, "internal", 0, "8.33", "1200", derived=True),
    ]
    rollup = roll_up(facts, currency="CNY", rates=rates)
    assert rollup.lines[0].superseded
    assert not rollup.lines[1].superseded
    assert rollup.lines[2].amount == D("5000.40")
    assert rollup.lines[2].reported == D("39065.63")
    assert rollup.lines[3].reported is None
    assert rollup.missing_pairs == [("USD", "CNY")]
    assert not rollup.complete
    assert rollup.cash_by_year == {0: D("99066.13"), 1: D(0), 2: D(0), 3: D(0)}
    assert rollup.internal_total == D("9996.00")
    assert rollup.cumulative_cash() == [D("99066.13")] * 4


money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(money, st.sampled_from(["CNY", "EUR", "JPY"]), st.integers(0, 3)), max_size=30))
def test_totals_are_the_sum_of_their_lines_and_conversion_commutes_within_a_minor_unit_per_line(items):
    rates = [Rate("EUR", "CNY", D("7.8125"), DAY), Rate("JPY", "CNY", D("0.0482"), DAY)]
    facts = [fact(i, "consulting", year, "1", price, currency) for i, (price, currency, year) in enumerate(items)]
    rollup = roll_up(facts, currency="CNY", rates=rates)
    assert rollup.cash_total == sum((r.reported for r in rollup.lines), D(0))
    assert sum(rollup.cash_by_year.values()) == rollup.cash_total
    # Converting each line then summing vs summing each currency then converting: within 0.01 CNY per line.
    by_currency: dict[str, Decimal] = {}
    for r in rollup.lines:
        by_currency[r.fact.currency] = by_currency.get(r.fact.currency, D(0)) + r.amount
    converted_sums = sum((convert(a, c, "CNY", rates) for c, a in by_currency.items()), D(0))
    assert abs(converted_sums - rollup.cash_total) <= D("0.01") * max(len(items), 1)
