"""The one door to the budget's objects, for pages and API alike: the engagement through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low), then the object within it;
an object of another engagement, or none at all, is 404."""

from __future__ import annotations

from certprep.budget.models import BudgetLine, ExchangeRate, ToolOption
from certprep.core.actors import Visitor
from certprep.core.api_refs import engagement_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership


def line_in(engagement: Engagement, pk: int) -> BudgetLine:
    return engagement_ref(BudgetLine, engagement, pk)


def rate_in(engagement: Engagement, pk: int) -> ExchangeRate:
    return engagement_ref(ExchangeRate, engagement, pk)


def tool_in(engagement: Engagement, pk: int) -> ToolOption:
    return engagement_ref(ToolOption, engagement, pk)


def line_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[BudgetLine, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return line_in(engagement, pk), membership


def rate_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[ExchangeRate, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return rate_in(engagement, pk), membership
