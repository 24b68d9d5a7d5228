"""Scenarios side by side over the three years: as budgeted, without the consultancy, and with each vendor's
quote in its category's place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from certprep.budget.choices import CycleYear
from certprep.budget.selectors.budget import scenario_table
from certprep.budget.services.derived import budget_recompute
from certprep.budget.services.inputs import settings_in
from certprep.budget.views.common import context, money_in
from certprep.budget.wording import missing_rate
from certprep.core.actors import SignedInRequest
from certprep.engagements.access import engagement_for


def _name(key: str, vendor: str) -> str:
    if key == "budgeted":
        return _("As budgeted")
    if key == "without_consultancy":
        return _("Without the consultancy")
    if key.startswith("consulting:"):
        return _("With the consultancy %(vendor)s") % {"vendor": vendor}
    return _("With the certification body %(vendor)s") % {"vendor": vendor}


@login_required
def scenarios(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    budget_recompute(engagement=engagement)
    budget = settings_in(engagement)
    fmt = money_in(budget.reporting_currency)
    rows = []
    missing: set[str] = set()
    for scenario in scenario_table(engagement, budget):
        rollup = scenario.rollup
        missing.update(missing_rate(s, t) for s, t in rollup.missing_pairs)
        rows.append(
            {
                "key": scenario.key,
                "name": _name(scenario.key, scenario.vendor),
                "years": [fmt(rollup.cash_by_year[y]) for y in range(4)],
                "total": fmt(rollup.cash_total),
                "complete": rollup.complete,
            }
        )
    return render(
        request,
        "budget/scenarios.html",
        context(
            engagement,
            membership,
            "scenarios",
            rows=rows,
            years=CycleYear.labels,
            missing=sorted(missing),
            budget=budget,
        ),
    )
