"""Reading the budget for its page, its export and its API: the lines with their amounts both ways, the table by
category and year in the reporting currency, the warnings (no training line, a missing rate), in a fixed number
of queries whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from certprep.budget.choices import Category, LineSource
from certprep.budget.models import BudgetLine, BudgetSettings, ExchangeRate
from certprep.budget.money import Rate
from certprep.budget.rollup import YEARS, LineFact, Rolled, Rollup, roll_up
from certprep.engagements.models import Engagement


@dataclass(frozen=True)
class BudgetView:
    budget: BudgetSettings
    lines: list[tuple[BudgetLine, Rolled]]
    rollup: Rollup
    rates: list[ExchangeRate]
    flags: list[str] = field(default_factory=list)  # quote-check answers still unknown

    @property
    def no_training(self) -> bool:
        """No counted training line with an amount: the cost people forget."""
        return not any(
            rolled.fact.category == Category.TRAINING and rolled.counted and rolled.amount > 0
            for _line, rolled in self.lines
        )

    def rows(self) -> list[tuple[str, str, list[Decimal], Decimal]]:
        """(category, label, amount per year, total) for each category, cash first, internal effort last."""
        return [
            (
                c.value,
                str(c.label),
                [self.rollup.cells.get((c.value, y), Decimal(0)) for y in YEARS],
                self.rollup.category_total(c.value),
            )
            for c in Category
        ]


def rates_of(engagement: Engagement) -> list[ExchangeRate]:
    return list(ExchangeRate.objects.filter(engagement=engagement))


def as_rates(rates: list[ExchangeRate]) -> list[Rate]:
    return [Rate(r.source, r.target, r.rate, r.as_of) for r in rates]


def fact_of(line: BudgetLine) -> LineFact:
    return LineFact(
        id=line.pk,
        category=line.category,
        cycle_year=line.cycle_year,
        quantity=line.quantity,
        unit_price=line.unit_price,
        currency=line.currency,
        derived=line.source == LineSource.DERIVED,
    )


def budget_view(engagement: Engagement, budget: BudgetSettings) -> BudgetView:
    lines = list(BudgetLine.objects.filter(engagement=engagement))
    rates = rates_of(engagement)
    rollup = roll_up([fact_of(line) for line in lines], currency=budget.reporting_currency, rates=as_rates(rates))
    return BudgetView(budget=budget, lines=list(zip(lines, rollup.lines, strict=True)), rollup=rollup, rates=rates)
