"""The budget's money rules, checked against hand-worked figures and by properties over random lines."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.budget.money import (
    MoneyError,
    MoneyProblem,
    Rate,
    convert,
    format_money,
    line_amount,
    minor_unit,
    rate_between,
    round_money,
    total,
)

DAY = datetime.date(2027, 3, 1)
D = Decimal


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("0.125", "CNY", "0.13"),  # a tie goes up
        ("0.124", "CNY", "0.12"),
        ("-0.125", "CNY", "-0.13"),  # and away from zero below zero
        ("2.5", "JPY", "3"),
        ("1.0005", "KWD", "1.001"),
        ("19.995", "EUR", "20.00"),
    ],
)
def test_amounts_round_half_up_to_the_currencys_minor_unit(amount, currency, expected):
    assert str(round_money(D(amount), currency)) == expected


def test_minor_units_come_from_the_currency():
    assert (minor_unit("CNY"), minor_unit("USD"), minor_unit("JPY"), minor_unit("KWD")) == (2, 2, 0, 3)


def test_a_line_is_quantity_times_unit_price_rounded_once():
    # 3 x 33.335 = 100.005 -> 100.01 (rounding each unit first would give 3 x 33.34 = 100.02)
    assert line_amount(D(3), D("33.335"), "CNY") == D("100.01")
    # 12 audit days at 4,800 CNY
    assert line_amount(D(12), D(4800), "CNY") == D("57600.00")
    assert line_amount(D("0.5"), D("1999"), "JPY") == D(1000)


@pytest.mark.parametrize(
    ("quantity", "price", "problem"),
    [
        ("-1", "10", MoneyProblem.NEGATIVE),
        ("2", "-10", MoneyProblem.NEGATIVE),
        ("1", "1e30", MoneyProblem.TOO_LARGE),
        ("2000000", "1", MoneyProblem.TOO_LARGE),
        ("abc", "1", MoneyProblem.NOT_A_NUMBER),
        ("NaN", "1", MoneyProblem.NOT_A_NUMBER),
        ("1", "Infinity", MoneyProblem.NOT_A_NUMBER),
        ("1.00001", "1", MoneyProblem.TOO_PRECISE),
    ],
)
def test_absurd_input_is_refused_with_its_reason(quantity, price, problem):
    with pytest.raises(MoneyError) as refused:
        line_amount(quantity, price, "CNY")
    assert refused.value.problem == problem


def test_an_unknown_currency_is_refused():
    with pytest.raises(MoneyError) as refused:
        line_amount(D(1), D(1), "XYZ")
    assert refused.value.problem == MoneyProblem.UNKNOWN_CURRENCY


def test_conversion_uses_the_newest_rate_entered_and_the_inverse_when_only_that_exists():
    rates = [
        Rate("EUR", "CNY", D("7.80"), datetime.date(2027, 1, 1)),
        Rate("EUR", "CNY", D("7.85"), datetime.date(2027, 2, 1)),
        Rate("CNY", "USD", D("0.14"), DAY),
    ]
    assert convert(D("1000.00"), "EUR", "CNY", rates) == D("7850.00")
    assert convert(D("100.00"), "USD", "CNY", rates) == D("714.29")  # 100 / 0.14 = 714.2857...
    assert convert(D("5.00"), "CNY", "CNY", []) == D("5.00")


def test_a_missing_rate_is_an_error_and_rates_are_not_chained():
    rates = [Rate("EUR", "CNY", D("7.85"), DAY), Rate("CNY", "USD", D("0.14"), DAY)]
    with pytest.raises(MoneyError) as refused:
        rate_between("EUR", "USD", rates)
    assert refused.value.problem == MoneyProblem.MISSING_RATE


@pytest.mark.parametrize("rate", [D(0), D(-1), D("1e9"), D("1e-9")])
def test_a_rate_must_be_positive_and_sane(rate):
    with pytest.raises(MoneyError):
        Rate("EUR", "CNY", rate, DAY)


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("1234567.5", "CNY", "en", "CN¥1,234,567.50"),
        ("1234567.5", "CNY", "zh-hans", "¥1,234,567.50"),
        ("1234.5", "USD", "zh-hans", "US$1,234.50"),
        ("1234.5", "USD", "en", "$1,234.50"),
        ("1234.5", "JPY", "en", "¥1,235"),
        ("-12.5", "EUR", "en", "-€12.50"),
    ],
)
def test_amounts_are_written_in_the_readers_language(amount, currency, language, expected):
    assert format_money(D(amount), currency, language) == expected


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
quantities = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False)
rates = st.decimals(min_value=D("0.01"), max_value=1000, places=4, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(quantities, amounts), max_size=40))
def test_a_total_is_exactly_the_sum_of_its_lines(lines):
    rounded = [line_amount(q, p, "CNY") for q, p in lines]
    expected = D(0)
    for amount in rounded:
        expected += amount
    assert total(rounded) == expected
    assert all(a == a.quantize(D("0.01")) for a in rounded)


@given(st.lists(amounts, min_size=1, max_size=40), rates)
def test_converting_lines_then_adding_differs_from_converting_the_sum_by_at_most_half_a_cent_a_line(lines, rate):
    eur_to_cny = [Rate("EUR", "CNY", rate, DAY)]
    converted_lines = total(convert(a, "EUR", "CNY", eur_to_cny) for a in lines)
    exact_sum = total(lines) * rate  # not rounded at all
    assert abs(converted_lines - exact_sum) <= D("0.005") * len(lines)


@given(amounts, amounts, rates)
def test_the_same_offers_in_two_currencies_rank_the_same(a, b, rate):
    """Two quotes converted at one rate keep their order (ties may appear, never a swap)."""
    rate_list = [Rate("EUR", "CNY", rate, DAY)]
    ca, cb = convert(a, "EUR", "CNY", rate_list), convert(b, "EUR", "CNY", rate_list)
    if a < b:
        assert ca <= cb
    elif a > b:
        assert ca >= cb
    else:
        assert ca == cb
