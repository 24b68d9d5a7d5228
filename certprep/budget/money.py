"""Money for the budget, as a pure module (no Django, no database): amounts are `Decimal` in an ISO 4217
currency, a line's amount is rounded half-up to the currency's minor unit once (quantity x unit price), other
currencies are converted at rates the user entered (never fetched), and amounts are written out in the page's
language with the currency's symbol and the language's separators (CLDR data, through Babel).

Totals add rounded line amounts and are never rounded again, so a total is exactly the sum of its lines. A
conversion rounds each converted line to the reporting currency's minor unit: the sum of converted lines may
then differ from the converted sum by at most half a minor unit per line, which is why reports convert lines,
not totals."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import format_compact_currency, get_currency_precision, list_currencies

# Bounds that no real budget reaches and that keep every product within Decimal's exact range.
MAX_QUANTITY = Decimal(1_000_000)
MAX_UNIT_PRICE = Decimal(1_000_000_000_000)  # 10^12 in any currency
MAX_RATE = Decimal(1_000_000)
LANGUAGE_LOCALES = {"en": "en_US", "zh-hans": "zh_Hans_CN"}


class MoneyProblem(StrEnum):
    """Why an amount or a rate was refused; the service layer words it for people."""

    UNKNOWN_CURRENCY = "unknown_currency"
    NOT_A_NUMBER = "not_a_number"
    NEGATIVE = "negative"
    TOO_LARGE = "too_large"
    TOO_PRECISE = "too_precise"
    MISSING_RATE = "missing_rate"
    RATE_NOT_POSITIVE = "rate_not_positive"


class MoneyError(ValueError):
    def __init__(self, problem: MoneyProblem, *, value: object = None, currency: str = "") -> None:
        super().__init__(f"{problem.value}: {value!r} {currency}".strip())
        self.problem, self.value, self.currency = problem, value, currency


@cache
def currencies() -> frozenset[str]:
    """The ISO 4217 codes CLDR knows (active and historic ones alike)."""
    return frozenset(list_currencies())


def check_currency(code: str) -> str:
    if code not in currencies():
        raise MoneyError(MoneyProblem.UNKNOWN_CURRENCY, value=code)
    return code


def minor_unit(currency: str) -> int:
    """How many decimals the currency's smallest unit has: 2 for CNY and EUR, 0 for JPY, 3 for KWD."""
    return get_currency_precision(check_currency(currency))


@cache
def _step(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit(currency))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Half-up (away from zero on a tie) to the currency's minor unit: 0.125 CNY -> 0.13, 2.5 JPY -> 3."""
    return amount.quantize(_step(currency), rounding=ROUND_HALF_UP)


def decimal_in(value: object, *, limit: Decimal, places: int) -> Decimal:
    """A user's number as a Decimal between 0 and `limit` with at most `places` decimals, or MoneyError."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise MoneyError(MoneyProblem.NOT_A_NUMBER, value=value) from None
    if not number.is_finite():
        raise MoneyError(MoneyProblem.NOT_A_NUMBER, value=value)
    if number < 0:
        raise MoneyError(MoneyProblem.NEGATIVE, value=value)
    if number > limit:
        raise MoneyError(MoneyProblem.TOO_LARGE, value=value)
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        raise MoneyError(MoneyProblem.TOO_PRECISE, value=value)
    return number


def line_amount(quantity: Decimal, unit_price: Decimal, currency: str) -> Decimal:
    """A budget line's amount: quantity x unit price, rounded once to the currency's minor unit."""
    quantity = decimal_in(quantity, limit=MAX_QUANTITY, places=4)
    unit_price = decimal_in(unit_price, limit=MAX_UNIT_PRICE, places=4)
    return round_money(quantity * unit_price, currency)


@dataclass(frozen=True)
class Rate:
    """1 unit of `source` is worth `rate` units of `target`, as the user entered it on `as_of`."""

    source: str
    target: str
    rate: Decimal
    as_of: datetime.date

    def __post_init__(self) -> None:
        check_currency(self.source)
        check_currency(self.target)
        if not isinstance(self.rate, Decimal) or not self.rate.is_finite() or self.rate <= 0:
            raise MoneyError(MoneyProblem.RATE_NOT_POSITIVE, value=self.rate)
        if self.rate > MAX_RATE or 1 / self.rate > MAX_RATE:
            raise MoneyError(MoneyProblem.TOO_LARGE, value=self.rate)


def rate_between(source: str, target: str, rates: Sequence[Rate]) -> Decimal:
    """The factor from `source` to `target`: 1 for the same currency, the newest rate entered in that direction,
    else the inverse of the newest rate entered the other way. Rates are never chained through a third
    currency: a figure top management reads must rest on a rate somebody entered."""
    check_currency(source)
    check_currency(target)
    if source == target:
        return Decimal(1)
    direct = [r for r in rates if (r.source, r.target) == (source, target)]
    if direct:
        return max(direct, key=lambda r: r.as_of).rate
    inverse = [r for r in rates if (r.source, r.target) == (target, source)]
    if inverse:
        return 1 / max(inverse, key=lambda r: r.as_of).rate
    raise MoneyError(MoneyProblem.MISSING_RATE, value=f"{source}->{target}", currency=source)


def convert(amount: Decimal, source: str, target: str, rates: Sequence[Rate]) -> Decimal:
    """`amount` in `source` as `target`, rounded half-up to the target's minor unit."""
    return round_money(amount * rate_between(source, target, rates), target)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of already rounded amounts (no rounding of its own)."""
    return sum(amounts, Decimal(0))


def format_money(amount: Decimal, currency: str, language: str) -> str:
    """The amount as a reader of `language` expects it: "CN¥1,234.50" in English, "¥1,234.50" in Chinese,
    "US$1,234.50" for dollars in Chinese; always with the currency's minor unit shown."""
    return money_writer(currency, language)(amount)


@lru_cache(maxsize=512)
def money_writer(currency: str, language: str) -> Callable[[Decimal], str]:
    """format_money for one (currency, language), with the locale, its currency pattern and the minor unit looked
    up once: a budget page writes a few hundred amounts in one or two currencies."""
    locale = _locale(language)
    pattern = locale.currency_formats["standard"]
    step = _step(currency)

    def write(amount: Decimal) -> str:
        return pattern.apply(
            amount.quantize(step, rounding=ROUND_HALF_UP), locale, currency=currency, currency_digits=True
        )

    return write


@lru_cache(maxsize=512)
def money_short_writer(currency: str, language: str) -> Callable[[Decimal], str]:
    """Round amounts written short, as a chart's axis wants them: "CN¥120K" in English, "¥12万" in Chinese (CLDR's
    compact forms, up to two decimals: "CN¥1.25M", "¥2.5万"); below a thousand the amount as it is ("CN¥500")."""
    locale = _locale(language)
    check_currency(currency)

    def write(amount: Decimal) -> str:
        return format_compact_currency(amount, currency, locale=locale, fraction_digits=2)

    return write


@cache
def _locale(language: str) -> Locale:
    """Parsed once per language: parsing a locale costs more than formatting an amount."""
    return Locale.parse(LANGUAGE_LOCALES.get(language.lower(), "en_US"))
