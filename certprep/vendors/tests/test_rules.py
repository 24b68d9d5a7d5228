"""The pure rules: accreditation flags, the quote check, and a quote's 3-year schedule. The scenario is a
400-person IT service provider with two certification-body quotes, worked by hand below."""

from __future__ import annotations

import datetime
from decimal import Decimal

from babel.numbers import get_currency_precision
from hypothesis import given
from hypothesis import strategies as st

from certprep.vendors.rules import (
    Accreditation,
    AccreditationFlag,
    CheckQuestion,
    CycleYear,
    Included,
    ItemPart,
    QuoteFigures,
    accreditation_flags,
    certification_schedule,
    check_flags,
    consultancy_schedule,
    cycle_total,
    estimated_days,
    year_totals,
)

D = Decimal
TODAY = datetime.date(2026, 12, 7)

# Body A includes travel but not the certificate fee (and gives no figure for it).
BODY_A = QuoteFigures(
    currency="CNY",
    day_rate=D("6000"),
    stage1_days=D("2"),
    stage2_days=D("5"),
    surveillance1_days=D("2.5"),
    surveillance2_days=D("2.5"),
    recertification_days=D("5"),
    travel_per_audit=D("1500"),
    application_fee=D("3000"),
    includes_surveillance=Included.YES,
    includes_recertification=Included.YES,
    includes_certificate_fee=Included.NO,
    includes_travel=Included.YES,
)
# Body B includes the certificate fee but not travel (our own estimate typed) nor the surveillance audits.
BODY_B = QuoteFigures(
    currency="CNY",
    day_rate=D("5850.75"),
    stage1_days=D("1.5"),
    stage2_days=D("4.5"),
    recertification_days=D("4"),
    travel_per_audit=D("1200.40"),
    application_fee=D("2500"),
    certificate_fee_per_year=D("1800"),
    includes_surveillance=Included.NO,
    includes_recertification=Included.YES,
    includes_certificate_fee=Included.YES,
    includes_travel=Included.NO,
)


def test_body_a_three_years_by_hand():
    items = certification_schedule(BODY_A)
    # initial: 7 days x 6,000 = 42,000; travel 2 x 1,500 = 3,000; application 3,000; certificate fee unpriced
    # surveillance: 2.5 x 6,000 = 15,000 + 1,500 travel; recertification: 5 x 6,000 = 30,000 + 1,500
    assert year_totals(items) == {
        CycleYear.INITIAL: D("48000.00"),
        CycleYear.SURVEILLANCE_1: D("16500.00"),
        CycleYear.SURVEILLANCE_2: D("16500.00"),
        CycleYear.RECERTIFICATION: D("31500.00"),
    }
    assert cycle_total(items) == D("112500.00")
    fees = [item for item in items if item.part == ItemPart.CERTIFICATE_FEE]
    assert len(fees) == 4
    assert all(fee.estimated and fee.unpriced and fee.amount == 0 for fee in fees)
    assert not any(item.estimated for item in items if item.part != ItemPart.CERTIFICATE_FEE)


def test_body_b_three_years_to_the_cent_with_estimated_surveillance_and_travel():
    items = certification_schedule(BODY_B)
    # initial: 6 days x 5,850.75 = 35,104.50; travel 2 x 1,200.40 = 2,400.80 (estimated); 2,500; 1,800
    # surveillance (estimated 6 / 3 = 2 days): 11,701.50 + 1,200.40 (estimated) + 1,800 = 14,701.90, twice
    # recertification: 4 x 5,850.75 = 23,403.00 + 1,200.40 + 1,800 = 26,403.40
    assert year_totals(items) == {
        CycleYear.INITIAL: D("41805.30"),
        CycleYear.SURVEILLANCE_1: D("14701.90"),
        CycleYear.SURVEILLANCE_2: D("14701.90"),
        CycleYear.RECERTIFICATION: D("26403.40"),
    }
    assert cycle_total(items) == D("97612.50")
    estimated = {(item.year, item.part, item.amount, item.days) for item in items if item.estimated}
    assert (CycleYear.SURVEILLANCE_1, ItemPart.AUDIT_DAYS, D("11701.50"), D("2")) in estimated
    assert (CycleYear.INITIAL, ItemPart.TRAVEL, D("2400.80"), None) in estimated
    assert not any(item.unpriced for item in items)


def test_estimated_days_are_a_third_and_two_thirds_of_stage_1_and_2_rounded_up_to_the_half_day():
    quote = QuoteFigures(currency="CNY", stage1_days=D("2"), stage2_days=D("5"))
    assert estimated_days(quote, D(1) / D(3)) == D("2.5")  # 7 / 3 = 2.33
    assert estimated_days(quote, D(2) / D(3)) == D("5.0")  # 14 / 3 = 4.67
    missing = QuoteFigures(
        currency="EUR",
        day_rate=D("1400"),
        stage1_days=D("2"),
        stage2_days=D("5"),
        includes_surveillance=Included.NO,
        includes_recertification=Included.NO,
    )
    by_year = year_totals(certification_schedule(missing))
    assert by_year[CycleYear.SURVEILLANCE_2] == D("3500.00")  # 2.5 x 1,400
    assert by_year[CycleYear.RECERTIFICATION] == D("7000.00")  # 5 x 1,400


def test_each_item_is_rounded_half_up_to_the_currency_minor_unit():
    yen = QuoteFigures(currency="JPY", day_rate=D("1000.5"), stage1_days=D("1"), includes_travel=Included.YES)
    assert cycle_total(certification_schedule(yen)) == D("1001")  # 1,000.5 rounds up, JPY has no decimals
    dinar = QuoteFigures(currency="KWD", day_rate=D("100.125"), stage2_days=D("0.5"))
    assert cycle_total(certification_schedule(dinar)) == D("50.063")  # 50.0625 -> three decimals, half up


def test_a_consultancy_quote_is_its_fee_and_its_days_in_the_initial_year():
    quote = QuoteFigures(currency="CNY", day_rate=D("4500"), consulting_fixed_fee=D("60000"), consulting_days=D("12.5"))
    items = consultancy_schedule(quote)
    assert [(item.part, item.amount) for item in items] == [
        (ItemPart.CONSULTING_FEE, D("60000.00")),
        (ItemPart.CONSULTING_DAYS, D("56250.00")),
    ]
    assert year_totals(items)[CycleYear.INITIAL] == D("116250.00")


def test_the_quote_check_flags_every_answer_that_is_not_yes():
    assert check_flags(BODY_A) == [(CheckQuestion.CERTIFICATE_FEE, Included.NO)]
    assert check_flags(BODY_B) == [(CheckQuestion.SURVEILLANCE, Included.NO), (CheckQuestion.TRAVEL, Included.NO)]
    assert [question for question, _ in check_flags(QuoteFigures(currency="CNY"))] == list(CheckQuestion)


def test_accreditation_flags():
    good = Accreditation(body="CNAS", number="CNAS C123-M", scope_covers_20000="yes", expires=TODAY)
    assert accreditation_flags(good, on=TODAY) == []  # expiring today is still valid
    assert accreditation_flags(good, on=TODAY + datetime.timedelta(days=1)) == [AccreditationFlag.EXPIRED]
    blank = Accreditation(body=" ", number="", scope_covers_20000="unknown", expires=None)
    assert accreditation_flags(blank, on=TODAY) == [
        AccreditationFlag.MISSING,
        AccreditationFlag.EXPIRY_UNKNOWN,
        AccreditationFlag.SCOPE_UNKNOWN,
    ]
    other_scope = Accreditation(body="UKAS", number="0001", scope_covers_20000="no", expires=TODAY)
    assert accreditation_flags(other_scope, on=TODAY) == [AccreditationFlag.SCOPE_NOT_COVERED]


# Properties --------------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)
days = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
answers = st.sampled_from(list(Included))


@st.composite
def quotes(draw: st.DrawFn) -> QuoteFigures:
    return QuoteFigures(
        currency=draw(st.sampled_from(["CNY", "EUR", "JPY", "KWD", "USD"])),
        day_rate=draw(amounts),
        stage1_days=draw(days),
        stage2_days=draw(days),
        surveillance1_days=draw(days),
        surveillance2_days=draw(days),
        recertification_days=draw(days),
        travel_per_audit=draw(amounts),
        application_fee=draw(amounts),
        certificate_fee_per_year=draw(amounts),
        includes_surveillance=draw(answers),
        includes_recertification=draw(answers),
        includes_certificate_fee=draw(answers),
        includes_travel=draw(answers),
    )


@given(quotes())
def test_the_cycle_total_is_the_sum_of_its_years_and_of_its_items(quote):
    items = certification_schedule(quote)
    assert cycle_total(items) == sum(year_totals(items).values())
    assert all(item.amount >= 0 for item in items)
    places = get_currency_precision(quote.currency)
    assert all(-int(item.amount.as_tuple().exponent) == places for item in items)


@given(quotes())
def test_only_a_no_adds_estimated_items_and_every_no_adds_one(quote):
    items = certification_schedule(quote)
    estimated_parts = {item.part for item in items if item.estimated}
    noes = {question for question, answer in check_flags(quote) if answer == Included.NO}
    assert (ItemPart.TRAVEL in estimated_parts) == (CheckQuestion.TRAVEL in noes)
    assert (ItemPart.CERTIFICATE_FEE in estimated_parts) == (CheckQuestion.CERTIFICATE_FEE in noes)
    later_years = {item.year for item in items if item.estimated and item.part == ItemPart.AUDIT_DAYS}
    if CheckQuestion.SURVEILLANCE in noes and quote.stage1_days + quote.stage2_days > 0:
        assert {CycleYear.SURVEILLANCE_1, CycleYear.SURVEILLANCE_2} <= later_years
    if not noes:
        assert not estimated_parts


@given(quotes())
def test_answering_no_never_makes_the_cycle_cheaper_than_answering_yes(quote):
    """A part the quote leaves out is added, never dropped: the total with a "no" is at least the one with "yes"."""
    said_yes = QuoteFigures(**{**quote.__dict__, **{question.value: Included.YES for question in CheckQuestion}})
    said_no = QuoteFigures(**{**quote.__dict__, **{question.value: Included.NO for question in CheckQuestion}})
    assert cycle_total(certification_schedule(said_no)) >= cycle_total(certification_schedule(said_yes))
