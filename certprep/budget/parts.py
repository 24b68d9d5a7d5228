"""The budget's part of an engagement (certprep.core.parts): its section of the engagement file, its demo, its
step on the dashboard, its menu entry and its API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language, gettext_lazy

from certprep.budget.api import router
from certprep.budget.approval import budget_approvable
from certprep.budget.choices import Category
from certprep.budget.demo import load_budget_demo
from certprep.budget.money import format_money
from certprep.budget.report import DOCUMENT, SECTIONS
from certprep.budget.rollup import roll_up
from certprep.budget.selectors.budget import as_rates, facts_of, rates_of
from certprep.budget.services.inputs import settings_in
from certprep.budget.transfer import BudgetPart, budget_check, budget_export, budget_import
from certprep.core.parts import DashboardCard, EngagementPart, FileSection, Handovers, MenuEntry
from certprep.engagements.models import Engagement
from certprep.people.handovers import FILE_PEOPLE, FILE_PEOPLE_COUNT, file_people_ids


def _export(engagement: Engagement) -> dict[str, Any]:
    return budget_export(engagement, people=file_people_ids(engagement))


def _check(section: BudgetPart, handovers: Handovers) -> None:
    budget_check(section, people=handovers.get(FILE_PEOPLE_COUNT))


def _load(engagement: Engagement, section: BudgetPart, handovers: Handovers) -> None:
    budget_import(engagement=engagement, part=section, people=handovers.get(FILE_PEOPLE) or [])


def _status(engagement: Engagement) -> Mapping[str, object]:
    """The lines, the 3-year cash total in the reporting currency and the warnings; three queries at any size
    (the card shows the budget as last computed: opening the budget recomputes the derived lines)."""
    budget = settings_in(engagement)
    facts = facts_of(engagement)
    rollup = roll_up(facts, currency=budget.reporting_currency, rates=as_rates(rates_of(engagement)))
    training = any(r.fact.category == Category.TRAINING and r.counted and r.amount > 0 for r in rollup.lines)
    return {
        "lines": len(facts),
        "total": format_money(rollup.cash_total, budget.reporting_currency, get_language() or "en"),
        "no_training": bool(facts) and not training,
        "missing_rates": len(rollup.missing_pairs),
    }


part = EngagementPart[Engagement](
    key="budget",
    section=FileSection(schema=BudgetPart, export=_export, check=_check, load=_load),
    demo=load_budget_demo,
    card=DashboardCard(template="budget/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Budget"), url_name="budget:overview", active="budget"),
    routers=(router,),
    approvables=(budget_approvable,),
    report_sections=SECTIONS,
    report_documents=(DOCUMENT,),
)
