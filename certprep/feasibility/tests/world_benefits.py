"""Benefits, risks and a budget for the benefits and risk register tests (and the isolation walk)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from certprep.budget.services.lines import line_add
from certprep.feasibility.models import Benefit, Risk


def cost_line(engagement: Any, actor: Any, *, year: int, amount: str, category: str = "consulting") -> Any:
    return line_add(
        engagement=engagement,
        actor=actor,
        category=category,
        description=f"Cost of year {year}",
        quantity="1",
        unit="",
        unit_price=amount,
        currency="CNY",
        cycle_year=year,
        note="",
    )


def benefits_world(engagement: Any) -> dict[str, Any]:
    """One benefit and one risk of the engagement (made once), as the isolation walk needs them."""
    benefit, _made = Benefit.objects.get_or_create(
        engagement=engagement,
        title="Client A secret-scope-marker benefit",
        defaults={"value_per_year": Decimal(1000), "first_year": 1},
    )
    risk, _made = Risk.objects.get_or_create(engagement=engagement, title="Client A risk", defaults={"likelihood": 4})
    return {"benefit": benefit, "risk": risk}
