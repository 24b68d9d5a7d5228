"""A budget line of an engagement, as the isolation walk needs it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certprep.budget.models import BudgetLine, ToolOption


def budget_world(engagement: Any) -> BudgetLine:
    line, _created = BudgetLine.objects.get_or_create(
        engagement=engagement,
        description="Gap review by the consultancy",
        defaults={"category": "consulting", "unit_price": Decimal(1000), "currency": "CNY"},
    )
    return line


def tool_world(engagement: Any) -> ToolOption:
    option, _created = ToolOption.objects.get_or_create(
        engagement=engagement, name="Adapt the service desk", defaults={"kind": "adapt", "currency": "CNY"}
    )
    return option
