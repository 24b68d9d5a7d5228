"""The budget as top management approves it (certprep.core.parts.Approvable): its figures in language-neutral
values, compared with the figures stored at the approval to show what changed since.

The figures are the reporting currency, each category's total in each year of the cycle, the 3-year cash total
and each line's description with its amount in its own currency (a typed line named by its id, a derived
line by its derived key); four queries at any number of lines."""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certprep.budget.choices import Category, CycleYear
from certprep.budget.models import BudgetLine
from certprep.budget.rollup import YEARS, roll_up
from certprep.budget.selectors.budget import as_rates, facts_of, rates_of
from certprep.budget.services.inputs import settings_in
from certprep.core.parts import Approvable, ApprovalFigure
from certprep.engagements.models import Engagement


def budget_figures(engagement: Engagement) -> list[ApprovalFigure]:
    """The budget's figures as they stand now (four queries)."""
    currency = settings_in(engagement).reporting_currency
    facts = facts_of(engagement)
    rollup = roll_up(facts, currency=currency, rates=as_rates(rates_of(engagement)))
    named = BudgetLine.objects.filter(engagement=engagement).values_list("pk", "description", "derived_key")
    descriptions = {pk: (description, derived) for pk, description, derived in named}
    figures = [ApprovalFigure("currency", _("Reporting currency"), currency)]
    for category in Category:
        for year in YEARS:
            amount = rollup.cells.get((category.value, year))
            if amount is None:
                continue
            figures.append(
                ApprovalFigure(
                    f"cell:{category.value}:{year}",
                    _("%(category)s, %(year)s") % {"category": capfirst(category.label), "year": CycleYear(year).label},
                    f"{amount} {currency}",
                )
            )
    figures.append(ApprovalFigure("total", _("3-year total (cash out)"), f"{rollup.cash_total} {currency}"))
    for rolled in rollup.lines:
        description, derived = descriptions.get(rolled.fact.id, ("", ""))
        value = f"{description}: {rolled.amount} {rolled.fact.currency}"
        if not rolled.counted:
            value += " (not counted)"
        # A derived line is recomputed in place by its derived key: that key names it across recomputations.
        key = f"derived:{derived}" if derived else f"line:{rolled.fact.id}"
        figures.append(ApprovalFigure(key, _("Line: %(line)s") % {"line": description}, value))
    return figures


budget_approvable = Approvable[Engagement](
    key="budget", label=gettext_lazy("Budget"), url_name="budget:overview", figures=budget_figures
)
