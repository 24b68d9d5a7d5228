"""The demo engagement's budget: settings that price training, internal effort (from the demo plan's
assignments) and the size-driven audit estimate, an exchange rate, two tool options with adapting the service
desk in use chosen, and a few typed lines; certification and consulting follow the vendors' demo decisions when
that part has made them. Does nothing when the engagement has budget settings already."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from certprep.budget.models import BudgetSettings
from certprep.budget.services.derived import budget_recompute
from certprep.budget.services.inputs import rate_add, settings_update, tool_add
from certprep.budget.services.lines import line_add
from certprep.core.actors import Actor
from certprep.engagements.models import Engagement

LINES = (
    ("material", "ISO/IEC 20000-1:2018 and 20000-2 copies for the SMS team", "6", "copies", "1180", "CNY", 0),
    ("material", "Awareness posters and intranet pages", "1", "", "8000", "CNY", 0),
    ("consulting", "Internal auditor course for two process owners", "2", "persons", "650", "EUR", 0),
    ("training", "Refresher awareness session before recertification", "240", "persons", "40", "CNY", 3),
)


def load_budget_demo(*, engagement: Engagement, actor: Actor) -> None:
    if BudgetSettings.objects.filter(engagement=engagement).exists():
        return
    today = timezone.localdate()
    adapt = tool_add(
        engagement=engagement,
        actor=actor,
        kind="adapt",
        name="Adapt the service desk in use (change, configuration and SLA modules)",
        initial_cost="45000",
        yearly_cost="9000",
        currency="CNY",
        note="Two weeks of the vendor's consultant plus the module licences.",
    )
    tool_add(
        engagement=engagement,
        actor=actor,
        kind="buy",
        name="New ITSM suite (cloud)",
        initial_cost="60000",
        yearly_cost="36000",
        currency="CNY",
        note="Subscription for 40 agents; data migration not included.",
    )
    settings_update(
        budget=BudgetSettings(engagement=engagement),
        actor=actor,
        expected_version=1,
        reporting_currency="CNY",
        training_hours=Decimal(4),
        training_rate=Decimal(60),
        internal_day_rate=Decimal(1200),
        role_day_rates={"sms_manager": "1600", "top_management": "3000"},
        audit_day_rate=Decimal(3200),
        factors=[{"name": "One site", "percent": "-10", "justification": "All service staff work in one building."}],
        chosen_tool=adapt,
    )
    rate_add(
        engagement=engagement,
        actor=actor,
        source="EUR",
        target="CNY",
        rate="7.78",
        as_of=today - datetime.timedelta(days=today.weekday()),
    )
    for category, description, quantity, unit, price, currency, year in LINES:
        line_add(
            engagement=engagement,
            actor=actor,
            category=category,
            description=description,
            quantity=quantity,
            unit=unit,
            unit_price=price,
            currency=currency,
            cycle_year=year,
            note="",
        )
    budget_recompute(engagement=engagement)
