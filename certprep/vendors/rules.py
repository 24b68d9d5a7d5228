"""The vendor register's pure rules (no Django, no database): what is wrong with a certification body's
accreditation, which parts of a quote the quote check leaves open, and the 3-year schedule of a quote in its
own currency, with the parts a quote leaves out added as estimated items so the cycle's total is complete.

The schedule by year of the certification cycle (ISO/IEC 17021-1: initial audit, two surveillance audits,
recertification in year 3):

- initial year: (stage 1 + stage 2 days) x day rate, travel x 2 (two visits), application fee, certificate fee;
- surveillance years 1 and 2: that year's surveillance days x day rate, travel, certificate fee;
- recertification year 3: recertification days x day rate, travel, certificate fee.

A "no" on the quote check turns the missing part into estimated items. The size-driven audit-time estimate
belongs to the budget app, above this one, so days are estimated from the quote itself: each surveillance at
a third and the recertification at two thirds of the quote's own stage 1 + stage 2 days, rounded up to the
half day as bodies quote them, at the quote's own day rate; when the quote names days for the part, those are
used (still marked estimated, because the offer does not price them). A missing certificate fee or travel
cannot be derived from the quote: the figure typed on the quote is taken as the user's estimate, and with
none the item is listed at zero as `unpriced`, so the comparison and the budget say it still needs a figure.

Amounts are Decimal, each item rounded half-up once to the currency's minor unit; totals add rounded items.
A consultancy's quote is its fixed fee plus consulting days x day rate, all in the initial year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum

from babel.numbers import get_currency_precision

HALF = Decimal("0.5")
ZERO = Decimal(0)


class Included(StrEnum):
    """The answer to one question of the quote check (the same values as choices.Answer)."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class CycleYear(IntEnum):
    """The years of the 3-year certificate cycle, in the budget's terms."""

    INITIAL = 0
    SURVEILLANCE_1 = 1
    SURVEILLANCE_2 = 2
    RECERTIFICATION = 3


class ItemPart(StrEnum):
    """What a schedule item pays for."""

    AUDIT_DAYS = "audit_days"
    TRAVEL = "travel"
    APPLICATION_FEE = "application_fee"
    CERTIFICATE_FEE = "certificate_fee"
    CONSULTING_FEE = "consulting_fee"
    CONSULTING_DAYS = "consulting_days"


class CheckQuestion(StrEnum):
    """The four questions of the quote check the seeds ask for, named as the Quote's fields."""

    SURVEILLANCE = "includes_surveillance"
    RECERTIFICATION = "includes_recertification"
    CERTIFICATE_FEE = "includes_certificate_fee"
    TRAVEL = "includes_travel"


class AccreditationFlag(StrEnum):
    MISSING = "missing"  # no accreditation body or no certificate number
    EXPIRED = "expired"  # expired on the day asked about
    EXPIRY_UNKNOWN = "expiry_unknown"
    SCOPE_NOT_COVERED = "scope_not_covered"  # accredited, but not for ISO/IEC 20000-1
    SCOPE_UNKNOWN = "scope_unknown"


# Accreditation ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Accreditation:
    body: str
    number: str
    scope_covers_20000: str  # Included
    expires: datetime.date | None


def accreditation_flags(accreditation: Accreditation, *, on: datetime.date) -> list[AccreditationFlag]:
    """What a certification body's accreditation lacks on the day `on` (an expiry on that very day is still
    valid). A consultancy needs no accreditation: callers ask only for certification bodies."""
    flags: list[AccreditationFlag] = []
    if not accreditation.body.strip() or not accreditation.number.strip():
        flags.append(AccreditationFlag.MISSING)
    if accreditation.expires is None:
        flags.append(AccreditationFlag.EXPIRY_UNKNOWN)
    elif accreditation.expires < on:
        flags.append(AccreditationFlag.EXPIRED)
    if accreditation.scope_covers_20000 == Included.NO:
        flags.append(AccreditationFlag.SCOPE_NOT_COVERED)
    elif accreditation.scope_covers_20000 != Included.YES:
        flags.append(AccreditationFlag.SCOPE_UNKNOWN)
    return flags


# The quote and its check -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class QuoteFigures:
    """A quote's figures in its own currency, and its quote check's answers (Included values)."""

    currency: str
    day_rate: Decimal = ZERO
    stage1_days: Decimal = ZERO
    stage2_days: Decimal = ZERO
    surveillance1_days: Decimal = ZERO
    surveillance2_days: Decimal = ZERO
    recertification_days: Decimal = ZERO
    travel_per_audit: Decimal = ZERO
    application_fee: Decimal = ZERO
    certificate_fee_per_year: Decimal = ZERO
    consulting_fixed_fee: Decimal = ZERO
    consulting_days: Decimal = ZERO
    includes_surveillance: str = Included.UNKNOWN
    includes_recertification: str = Included.UNKNOWN
    includes_certificate_fee: str = Included.UNKNOWN
    includes_travel: str = Included.UNKNOWN

    def answer(self, question: CheckQuestion) -> str:
        return str(getattr(self, question.value))


def check_flags(quote: QuoteFigures) -> list[tuple[CheckQuestion, Included]]:
    """The questions of the quote check not answered "yes", with their answer, in the check's order."""
    return [
        (question, Included(quote.answer(question)))
        for question in CheckQuestion
        if quote.answer(question) != Included.YES
    ]


@dataclass(frozen=True, kw_only=True)
class ScheduleItem:
    year: CycleYear
    part: ItemPart
    amount: Decimal
    days: Decimal | None = None  # for audit and consulting days
    estimated: bool = False  # a part the quote leaves out, added so the total is complete
    unpriced: bool = False  # estimated, but nothing to estimate it from: it needs a figure


def round_amount(amount: Decimal, currency: str) -> Decimal:
    """Half-up to the currency's minor unit (CLDR), once per item."""
    return amount.quantize(Decimal(1).scaleb(-get_currency_precision(currency)), rounding=ROUND_HALF_UP)


def half_days_up(days: Decimal) -> Decimal:
    return (days / HALF).to_integral_value(rounding=ROUND_CEILING) * HALF


def estimated_days(quote: QuoteFigures, share: Decimal) -> Decimal:
    """A share of the quote's own stage 1 + stage 2 days, rounded up to the half day."""
    return half_days_up((quote.stage1_days + quote.stage2_days) * share)


SURVEILLANCE_SHARE = Decimal(1) / Decimal(3)
RECERTIFICATION_SHARE = Decimal(2) / Decimal(3)


def _days_item(quote: QuoteFigures, year: CycleYear, days: Decimal, *, estimated: bool) -> ScheduleItem:
    amount = round_amount(days * quote.day_rate, quote.currency)
    return ScheduleItem(year=year, part=ItemPart.AUDIT_DAYS, amount=amount, days=days, estimated=estimated)


def _later_audit(
    quote: QuoteFigures, year: CycleYear, quoted: Decimal, answer: str, share: Decimal
) -> ScheduleItem | None:
    if answer == Included.NO:
        return _days_item(quote, year, quoted if quoted > 0 else estimated_days(quote, share), estimated=True)
    return _days_item(quote, year, quoted, estimated=False) if quoted > 0 else None


def _fee(quote: QuoteFigures, year: CycleYear, part: ItemPart, amount: Decimal, answer: str) -> ScheduleItem | None:
    """A fee or travel item: a "no" makes it estimated (the typed figure is the user's estimate), unpriced at 0."""
    if answer == Included.NO:
        rounded = round_amount(amount, quote.currency)
        return ScheduleItem(year=year, part=part, amount=rounded, estimated=True, unpriced=amount == 0)
    return ScheduleItem(year=year, part=part, amount=round_amount(amount, quote.currency)) if amount > 0 else None


def certification_schedule(quote: QuoteFigures) -> list[ScheduleItem]:
    """The 3-year schedule of a certification body's quote, estimated items included (see the module)."""
    items: list[ScheduleItem | None] = []
    initial_days = quote.stage1_days + quote.stage2_days
    if initial_days > 0:
        items.append(_days_item(quote, CycleYear.INITIAL, initial_days, estimated=False))
    later = (
        (CycleYear.SURVEILLANCE_1, quote.surveillance1_days, quote.includes_surveillance, SURVEILLANCE_SHARE),
        (CycleYear.SURVEILLANCE_2, quote.surveillance2_days, quote.includes_surveillance, SURVEILLANCE_SHARE),
        (CycleYear.RECERTIFICATION, quote.recertification_days, quote.includes_recertification, RECERTIFICATION_SHARE),
    )
    for year, quoted, answer, share in later:
        items.append(_later_audit(quote, year, quoted, answer, share))
    for year in CycleYear:
        visits = 2 if year == CycleYear.INITIAL else 1
        items.append(_fee(quote, year, ItemPart.TRAVEL, quote.travel_per_audit * visits, quote.includes_travel))
    if quote.application_fee > 0:
        items.append(_fee(quote, CycleYear.INITIAL, ItemPart.APPLICATION_FEE, quote.application_fee, Included.YES))
    for year in CycleYear:
        fee = quote.certificate_fee_per_year
        items.append(_fee(quote, year, ItemPart.CERTIFICATE_FEE, fee, quote.includes_certificate_fee))
    return sorted((item for item in items if item is not None), key=lambda item: item.year)


def consultancy_schedule(quote: QuoteFigures) -> list[ScheduleItem]:
    """A consultancy's quote: its fixed fee and its consulting days at the day rate, in the initial year."""
    items: list[ScheduleItem] = []
    if quote.consulting_fixed_fee > 0:
        fee = round_amount(quote.consulting_fixed_fee, quote.currency)
        items.append(ScheduleItem(year=CycleYear.INITIAL, part=ItemPart.CONSULTING_FEE, amount=fee))
    if quote.consulting_days > 0:
        amount = round_amount(quote.consulting_days * quote.day_rate, quote.currency)
        items.append(
            ScheduleItem(
                year=CycleYear.INITIAL, part=ItemPart.CONSULTING_DAYS, amount=amount, days=quote.consulting_days
            )
        )
    return items


def year_totals(items: Iterable[ScheduleItem]) -> dict[CycleYear, Decimal]:
    """Each cycle year's total (every year present, zero when empty); rounded items added, never rounded again."""
    totals = dict.fromkeys(CycleYear, ZERO)
    for item in items:
        totals[item.year] += item.amount
    return totals


def cycle_total(items: Sequence[ScheduleItem]) -> Decimal:
    return sum((item.amount for item in items), ZERO)


# Availability against the audit dates --------------------------------------------------------------


def within_a_window(
    first_day: datetime.date, audit_days: int, windows: Iterable[tuple[datetime.date, datetime.date]]
) -> bool:
    """Whether an audit starting on `first_day` and lasting `audit_days` calendar days falls inside one of the
    vendor's availability windows (both ends included)."""
    last_day = first_day + datetime.timedelta(days=max(audit_days, 1) - 1)
    return any(start <= first_day and last_day <= end for start, end in windows)
