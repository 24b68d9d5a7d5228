"""The budget page: the table by category and year of the cycle in the reporting currency, each line in its own
currency and converted, the warnings (no training line, a missing rate), the three charts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe

from certprep.budget.chart_set import budget_charts
from certprep.budget.choices import Category, CycleYear, LineSource
from certprep.budget.selectors.budget import BudgetView, budget_view
from certprep.budget.services.derived import budget_recompute
from certprep.budget.services.inputs import settings_in
from certprep.budget.views.common import context, money_in
from certprep.budget.wording import derived_description, missing_rate, plain_decimal, unit_words
from certprep.core.actors import SignedInRequest
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role


def _lines(view: BudgetView, edit_prefix: str | None) -> list[dict[str, Any]]:
    """The page's lines as display values: labels looked up once per request, each amount written once, the edit
    link as a prefix and the line's id (no URL reversed per row)."""
    report = money_in(view.rollup.currency)
    writers: dict[str, Callable[[Decimal], str]] = {}
    categories = {value: str(label) for value, label in Category.choices}
    years = {value: str(label) for value, label in CycleYear.choices}
    sources = {value: str(label) for value, label in LineSource.choices}
    out = []
    for line, rolled in view.shown:
        currency, what = line["currency"], line["derived_from"].get("what")
        own = writers.get(currency) or writers.setdefault(currency, money_in(currency))
        typed = line["source"] == LineSource.TYPED
        out.append(
            {
                "href": f"{edit_prefix}{line['pk']}/" if edit_prefix and typed else "",
                "description": derived_description(what, line["derived_from"]) if what else line["description"],
                "estimate": line["estimate"],
                "figures": f"{plain_decimal(line['quantity'])} {line['unit'] if typed else unit_words(line['unit'])} "
                f"× {plain_decimal(line['unit_price'])} {currency}",
                "category": categories.get(line["category"], line["category"]),
                "year": years.get(line["cycle_year"], line["cycle_year"]),
                "source": sources.get(line["source"], line["source"]),
                "amount": own(rolled.amount),
                "reported": report(rolled.reported) if rolled.reported is not None else None,
                "foreign": currency != view.rollup.currency,
                "superseded": rolled.superseded,
            }
        )
    return out


@login_required
def overview(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    budget_recompute(engagement=engagement)
    budget = settings_in(engagement)
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    view = budget_view(engagement, budget, page=page)
    # The edit address of line 0 without its id and final slash: the rows add theirs (one reverse, not 50).
    edit_prefix = reverse("budget:line_edit", args=[engagement.pk, 0])[:-2] if can(membership, Role.EDITOR) else None
    fmt = money_in(budget.reporting_currency)
    rows = [(key, label, [fmt(v) for v in values], fmt(sum_)) for key, label, values, sum_ in view.rows()]
    return render(
        request,
        "budget/budget.html",
        context(
            engagement,
            membership,
            "budget",
            view=view,
            rows=rows,
            years=CycleYear.labels,
            cash_by_year=[fmt(view.rollup.cash_by_year[y]) for y in range(4)],
            cash_total=fmt(view.rollup.cash_total),
            internal_by_year=[fmt(view.rollup.internal_by_year[y]) for y in range(4)],
            internal_total=fmt(view.rollup.internal_total),
            lines=_lines(view, edit_prefix),
            missing=[missing_rate(s, t) for s, t in view.rollup.missing_pairs],
            charts={name: mark_safe(svg) for name, svg in budget_charts(view).items()},  # noqa: S308 - escaped in charts.py
        ),
    )
