"""The budget roll-up as a pure module (no database): each line's amount in its own currency and in the reporting
currency, the table by category and year of the cycle, the totals, the lines a typed line supersedes and the
currency pairs that lack a rate.

A derived line is superseded by a line somebody typed (or took from a quote) in the same category and year: the
person's figure wins and the derived one is shown struck through, counted nowhere. A line whose currency has no
rate to the reporting currency is counted nowhere either, and the pair is named: a total is never made complete by
a silent 0 (`complete` is False then)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from certprep.budget.money import MoneyError, Rate, minor_unit, rate_between, total

YEARS = (0, 1, 2, 3)
INTERNAL = "internal"


@dataclass(frozen=True)
class LineFact:
    id: int
    category: str
    cycle_year: int
    quantity: Decimal
    unit_price: Decimal
    currency: str
    derived: bool


@dataclass(frozen=True)
class Rolled:
    fact: LineFact
    amount: Decimal  # in the line's own currency
    reported: Decimal | None  # in the reporting currency; None: no rate
    superseded: bool

    @property
    def counted(self) -> bool:
        return not self.superseded and self.reported is not None


@dataclass(frozen=True)
class Rollup:
    currency: str
    lines: list[Rolled]
    cells: dict[tuple[str, int], Decimal]  # (category, year) -> amount, counted lines only
    cash_by_year: dict[int, Decimal]
    internal_by_year: dict[int, Decimal]
    missing_pairs: list[tuple[str, str]]

    @property
    def cash_total(self) -> Decimal:
        return total(self.cash_by_year.values())

    @property
    def internal_total(self) -> Decimal:
        return total(self.internal_by_year.values())

    @property
    def complete(self) -> bool:
        return not self.missing_pairs

    def category_total(self, category: str) -> Decimal:
        return total(self.cells.get((category, year), Decimal(0)) for year in YEARS)

    def cumulative_cash(self) -> list[Decimal]:
        running, out = Decimal(0), []
        for year in YEARS:
            running += self.cash_by_year[year]
            out.append(running)
        return out


def roll_up(facts: Sequence[LineFact], *, currency: str, rates: Sequence[Rate]) -> Rollup:
    """One pass over the lines: each line's amount rounded once in its own currency, converted (and rounded once
    more) only when its currency is not the reporting one, added to its cell when it counts."""
    typed = {(f.category, f.cycle_year) for f in facts if not f.derived}
    lines: list[Rolled] = []
    missing: set[tuple[str, str]] = set()
    cells: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    factors: dict[str, Decimal | None] = {currency: None}
    steps: dict[str, Decimal] = {}
    report_step = Decimal(1).scaleb(-minor_unit(currency))
    for fact in facts:
        own = fact.currency
        if own not in steps:
            steps[own] = Decimal(1).scaleb(-minor_unit(own))
            if own != currency:
                try:
                    factors[own] = rate_between(own, currency, rates)
                except MoneyError:
                    factors[own] = None
                    missing.add((own, currency))
        # Stored lines passed money.line_amount's bounds when written: round once, as it does.
        amount = (fact.quantity * fact.unit_price).quantize(steps[own], rounding=ROUND_HALF_UP)
        if own == currency:
            reported: Decimal | None = amount
        else:
            factor = factors[own]
            reported = None if factor is None else (amount * factor).quantize(report_step, rounding=ROUND_HALF_UP)
        key = (fact.category, fact.cycle_year)
        rolled = Rolled(fact, amount, reported, fact.derived and key in typed)
        lines.append(rolled)
        if reported is not None and not rolled.superseded:
            cells[key] += reported
    cash = {y: total(v for (c, yy), v in cells.items() if yy == y and c != INTERNAL) for y in YEARS}
    internal = {y: cells.get((INTERNAL, y), Decimal(0)) for y in YEARS}
    return Rollup(currency, lines, dict(cells), cash, internal, sorted(missing))
