"""Reading the budget for its page, its export and its API: the lines with their amounts both ways, the table by
category and year in the reporting currency, the warnings (no training line, a missing rate), in a fixed number
of queries whatever the number of lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from certprep.budget.choices import CASH_CATEGORIES, Category, LineSource
from certprep.budget.models import BudgetLine, BudgetSettings, ExchangeRate
from certprep.budget.money import Rate
from certprep.budget.rollup import YEARS, LineFact, Rolled, Rollup, roll_up
from certprep.budget.scenarios import Alternative, Scenario, scenarios
from certprep.budget.wording import unknown_answer
from certprep.engagements.models import Engagement
from certprep.vendors.choices import VendorKind
from certprep.vendors.rules import Included, check_flags
from certprep.vendors.selectors.comparison import figures, latest_decisions, register_rows


@dataclass(frozen=True)
class BudgetView:
    budget: BudgetSettings
    lines: list[tuple[BudgetLine, Rolled]]  # every line, as model instances (not when paged)
    rollup: Rollup  # every line
    rates: list[ExchangeRate]
    page: int = 1
    pages: int = 1
    flags: list[str] = field(default_factory=list)  # quote-check answers still unknown
    shown: list[tuple[dict[str, Any], Rolled]] = field(default_factory=list)  # the page's lines, plain values

    @property
    def no_training(self) -> bool:
        """No counted training line with an amount: the cost people forget."""
        return not any(
            rolled.fact.category == Category.TRAINING and rolled.counted and rolled.amount > 0
            for rolled in self.rollup.lines
        )

    def rows(self) -> list[tuple[str, str, list[Decimal], Decimal]]:
        """(category, label, amount per year, total) for each cash category (internal effort is shown apart)."""
        return [
            (
                c.value,
                str(c.label),
                [self.rollup.cells.get((c.value, y), Decimal(0)) for y in YEARS],
                self.rollup.category_total(c.value),
            )
            for c in CASH_CATEGORIES
        ]


def rates_of(engagement: Engagement) -> list[ExchangeRate]:
    return list(ExchangeRate.objects.filter(engagement=engagement))


def as_rates(rates: list[ExchangeRate]) -> list[Rate]:
    return [Rate(r.source, r.target, r.rate, r.as_of) for r in rates]


PER_PAGE = 50


def facts_of(engagement: Engagement) -> list[LineFact]:
    """Every line's figures, read as plain values (no model instances: a budget may have thousands of lines).

    Quantity and unit price are read as their text and made Decimal here: SQLite keeps a decimal column as a
    REAL, and Django's converter (a float to a 15-digit Decimal, then quantized) cost a third of the budget page at
    2,000 lines. SQLite writes a REAL as text with the same 15 significant digits, PostgreSQL writes its numeric
    exactly, so the figures are the same Decimals (test_budget_db checks them against the model's)."""
    rows = (
        BudgetLine.objects.filter(engagement=engagement)
        .order_by(*ORDER)
        .values_list(
            "pk",
            "category",
            "cycle_year",
            Cast("quantity", TextField()),
            Cast("unit_price", TextField()),
            "currency",
            "source",
        )
    )
    typed = LineSource.TYPED
    return [LineFact(pk, c, y, Decimal(q), Decimal(p), cur, source != typed) for pk, c, y, q, p, cur, source in rows]


ORDER = ("cycle_year", "category", "pk")


SHOWN_FIELDS = (
    "pk",
    "description",
    "derived_from",
    "quantity",
    "unit",
    "unit_price",
    "currency",
    "category",
    "cycle_year",
    "source",
    "estimate",
)


def budget_view(engagement: Engagement, budget: BudgetSettings, *, page: int | None = None) -> BudgetView:
    """The roll-up of every line; with `page`, the lines of that page (PER_PAGE each) as plain values in `shown`,
    else every line as a model instance in `lines`."""
    facts = facts_of(engagement)
    rates = rates_of(engagement)
    rollup = roll_up(facts, currency=budget.reporting_currency, rates=as_rates(rates))
    queryset = BudgetLine.objects.filter(engagement=engagement).order_by(*ORDER)
    pages = max(1, -(-len(facts) // PER_PAGE))
    number = min(max(page or 1, 1), pages)
    rolled = {r.fact.id: r for r in rollup.lines}
    if page:
        values = queryset.values(*SHOWN_FIELDS)[(number - 1) * PER_PAGE : number * PER_PAGE]
        shown = [(row, rolled[row["pk"]]) for row in values if row["pk"] in rolled]
        view = BudgetView(budget, [], rollup, rates, page=number, pages=pages, shown=shown)
    else:
        lines = [(line, rolled[line.pk]) for line in queryset if line.pk in rolled]
        view = BudgetView(budget=budget, lines=lines, rollup=rollup, rates=rates, page=number, pages=pages)
    view.flags.extend(quote_flags(engagement))
    return view


def quote_flags(engagement: Engagement) -> list[str]:
    """The decided certification body's quote-check answers still unknown, worded (one query)."""
    decision = latest_decisions(engagement).get(VendorKind.CERTIFICATION_BODY)
    if decision is None or decision.quote is None or decision.quote.engagement_id != engagement.pk:
        return []
    flags = check_flags(figures(decision.quote))
    return [unknown_answer(decision.vendor.name, q) for q, answer in flags if answer == Included.UNKNOWN]


def scenario_table(engagement: Engagement, budget: BudgetSettings) -> list[Scenario]:
    """The budget's scenarios (certprep.budget.scenarios) with every vendor's latest quote; a fixed number of
    queries."""
    alternatives = []
    for row in register_rows(engagement, on=timezone.localdate()):
        if row.quote is None:
            continue
        category = Category.CONSULTING if row.vendor.kind == VendorKind.CONSULTANCY else Category.CERTIFICATION
        key = f"{category}:{row.vendor.pk}"
        alternatives.append(Alternative(key, row.vendor.name, category, row.quote.currency, row.items))
    rates = as_rates(rates_of(engagement))
    return scenarios(facts_of(engagement), alternatives, currency=budget.reporting_currency, rates=rates)
