"""The one door to the organization's objects, for pages and API alike: the membership is checked through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low); an object of another
engagement, or none at all, is 404."""

from __future__ import annotations

from certprep.core.actors import Visitor
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Membership
from certprep.organization.models import Approval, Decision, MeetingSeries, ProjectMember
from certprep.organization.selectors.team import approval_in, decision_in, member_in, series_in


def member_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[ProjectMember, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return member_in(engagement, pk), membership


def series_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[MeetingSeries, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return series_in(engagement, pk), membership


def decision_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Decision, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return decision_in(engagement, pk), membership


def approval_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.OWNER) -> tuple[Approval, Membership]:
    """An approval to revoke: owners only."""
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return approval_in(engagement, pk), membership
