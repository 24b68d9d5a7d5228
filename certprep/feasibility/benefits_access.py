"""The one door to the benefits and the risk register, for pages and API alike: `<object>_for(user,
engagement_id, pk, role=...)` checks the membership (404 for non-members, 403 when the role is too low) and
returns the object with the caller's membership; an object of another engagement, or none, is 404."""

from __future__ import annotations

from certprep.core.actors import Visitor
from certprep.core.api_refs import engagement_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.feasibility.models import Benefit, Risk


def benefit_in(engagement: Engagement, pk: int) -> Benefit:
    return engagement_ref(Benefit, engagement, pk)


def risk_in(engagement: Engagement, pk: int) -> Risk:
    return engagement_ref(Risk.objects.select_related("owner"), engagement, pk)


def benefit_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Benefit, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return benefit_in(engagement, pk), membership


def risk_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Risk, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return risk_in(engagement, pk), membership
