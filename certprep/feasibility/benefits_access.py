"""The one door to the benefits and the risk register, for pages and API alike: `<object>_for(user,
engagement_id, pk, role=...)` checks the membership (404 for non-members, 403 when the role is too low) and
returns the object with the caller's membership; an object of another engagement, or none, is 404."""

from __future__ import annotations

from certprep.core.actors import Visitor
from certprep.core.api_refs import path_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.feasibility.models import Benefit, Risk


def benefit_in(engagement: Engagement, pk: int) -> Benefit:
    benefit = path_ref(Benefit.objects.filter(engagement=engagement), pk)
    benefit.engagement = engagement
    return benefit


def risk_in(engagement: Engagement, pk: int) -> Risk:
    risk = path_ref(Risk.objects.filter(engagement=engagement).select_related("owner"), pk)
    risk.engagement = engagement
    return risk


def benefit_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Benefit, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return benefit_in(engagement, pk), membership


def risk_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Risk, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return risk_in(engagement, pk), membership
