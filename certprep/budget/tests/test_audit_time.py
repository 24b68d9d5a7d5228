"""The audit-days estimate: hand-worked cases from the shipped table, the 30 % cap, and properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.budget.audit_time import Factor, estimate, shipped_table

D = Decimal


@pytest.mark.parametrize(
    ("people", "days"),
    [(1, "1.5"), (5, "1.5"), (6, "2"), (45, "4"), (46, "5"), (400, "10"), (426, "11"), (10700, "22"), (10701, "23")],
)
def test_the_shipped_table_gives_the_bands_days(people, days):
    assert shipped_table().table_days(people) == D(days)


def test_a_400_person_provider_without_factors():
    days = estimate(shipped_table(), 400)
    # 10 days initial; a third is 3.33 -> 3.5; two thirds 6.67 -> 7 (half days, rounded up)
    assert (days.initial, days.surveillance, days.recertification) == (D(10), D("3.5"), D(7))
    assert not days.capped


def test_reductions_together_are_capped_at_30_per_cent_and_increases_are_not():
    factors = [Factor("mature ITSM tool", D(-20)), Factor("one site", D(-20)), Factor("24x7 services", D(10))]
    days = estimate(shipped_table(), 400, factors)
    # 10 x (100 - 30 + 10) % = 8.0
    assert days.capped
    assert days.reduction_percent == D(30)
    assert days.initial == D(8)


def test_the_shares_of_surveillance_and_recertification_can_be_changed():
    days = estimate(shipped_table(), 400, surveillance_share=D("0.5"), recertification_share=D(1))
    assert (days.surveillance, days.recertification) == (D(5), D(10))


def test_the_table_names_its_source_and_says_it_is_an_estimate_in_both_languages():
    source = shipped_table().source
    assert "Estimate" in source["en"]
    assert "20000-6" in source["en"]
    assert "估算" in source["zh-hans"]


@given(st.integers(1, 50_000), st.integers(1, 50_000))
def test_more_people_never_mean_fewer_days(a, b):
    small, large = sorted((a, b))
    assert shipped_table().table_days(small) <= shipped_table().table_days(large)


@given(st.integers(1, 20_000), st.lists(st.integers(-60, 60), max_size=6))
def test_no_set_of_factors_takes_off_more_than_30_per_cent(people, percents):
    table = shipped_table()
    days = estimate(table, people, [Factor(str(n), D(p)) for n, p in enumerate(percents)])
    floor = table.table_days(people) * D("0.7")
    assert days.initial >= floor
    assert days.initial * 2 == (days.initial * 2).to_integral_value()  # whole or half days
    assert days.surveillance <= days.recertification <= days.initial
