"""The one door to the budget's objects, for pages and API alike: the engagement through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low), then the object within it;
an object of another engagement, or none at all, is 404."""

from __future__ import annotations

from certprep.budget.models import BudgetLine, ExchangeRate, ToolOption
from certprep.core.actors import Visitor
from certprep.core.api_refs import path_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership


def line_in(engagement: Engagement, pk: int) -> BudgetLine:
    line = path_ref(BudgetLine.objects.filter(engagement=engagement), pk)
    line.engagement = engagement
    return line


def rate_in(engagement: Engagement, pk: int) -> ExchangeRate:
    rate = path_ref(ExchangeRate.objects.filter(engagement=engagement), pk)
    rate.engagement = engagement
    return rate


def tool_in(engagement: Engagement, pk: int) -> ToolOption:
    option = path_ref(ToolOption.objects.filter(engagement=engagement), pk)
    option.engagement = engagement
    return option


def line_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[BudgetLine, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return line_in(engagement, pk), membership


def rate_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[ExchangeRate, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return rate_in(engagement, pk), membership
