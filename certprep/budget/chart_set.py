"""The budget's three charts, drawn from its roll-up in the active language (certprep.budget.charts draws them)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certprep.budget import charts
from certprep.budget.choices import CASH_CATEGORIES, Category
from certprep.budget.money import money_short_writer, money_writer
from certprep.budget.selectors.budget import BudgetView
from certprep.core.wording import join_names


def budget_charts(view: BudgetView) -> dict[str, str]:
    """The budget's three charts as escaped SVG text, in the active language, by name: "by_category" (cost by
    category and year, stacked), "cumulative" (cash out over the cycle) and "effort" (cash out against internal
    effort). The budget page and the budget's report section draw the same ones."""
    currency = view.rollup.currency
    language = get_language() or "en"
    fmt, short = money_writer(currency, language), money_short_writer(currency, language)
    years = [_("Initial"), _("Surveillance 1"), _("Surveillance 2"), _("Recertification")]
    cells = view.rollup.cells
    series = [(str(c.label), [cells.get((c.value, y), Decimal(0)) for y in range(4)]) for c in CASH_CATEGORIES]
    internal = [view.rollup.internal_by_year[y] for y in range(4)]
    cash = [view.rollup.cash_by_year[y] for y in range(4)]
    cumulative = view.rollup.cumulative_cash()

    def chart(chart_id: str, title: str, figures: list[Decimal]) -> charts.Chart:
        # The description a screen reader gives: each year's figure, in the page's list style.
        desc = join_names(f"{year} {fmt(value)}" for year, value in zip(years, figures, strict=True))
        return charts.Chart(chart_id, title, desc, years, fmt, short)

    by_category = chart("chart-categories", _("Cost by category and year"), cash)
    running = chart("chart-cumulative", _("Cumulative cash out over the cycle"), cumulative)
    effort = chart("chart-effort", _("Cash out against internal effort"), cash)
    pairs = [(_("cash out"), cash), (str(Category.INTERNAL.label), internal)]
    return {
        "by_category": charts.stacked_svg(by_category, series),
        "cumulative": charts.line_svg(running, _("Cash out"), cumulative),
        "effort": charts.pair_svg(effort, pairs),
    }
