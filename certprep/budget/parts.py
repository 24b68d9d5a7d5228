"""The budget's part of an engagement (certprep.core.parts): its step on the dashboard, its menu entry and its
API. (Its section of the engagement file and its demo are still to come.)"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from certprep.budget.api import router
from certprep.budget.choices import Category, LineSource
from certprep.budget.models import BudgetLine
from certprep.core.parts import DashboardCard, EngagementPart, MenuEntry
from certprep.engagements.models import Engagement


def _status(engagement: Engagement) -> Mapping[str, object]:
    """How many lines the budget has and whether any prices training; one query."""
    counts = BudgetLine.objects.filter(engagement=engagement).aggregate(
        lines=Count("pk"),
        training=Count("pk", filter=Q(category=Category.TRAINING, unit_price__gt=0, quantity__gt=0)),
        typed=Count("pk", filter=~Q(source=LineSource.DERIVED)),
    )
    return {"lines": counts["lines"], "no_training": counts["lines"] > 0 and counts["training"] == 0}


part = EngagementPart[Engagement](
    key="budget",
    card=DashboardCard(template="budget/partials/dashboard_card.html", status=_status),
    menu=MenuEntry(label=gettext_lazy("Budget"), url_name="budget:overview", active="budget"),
    routers=(router,),
)
