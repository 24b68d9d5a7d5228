"""The door to the audit bookings, as certprep.planning.access is to the plan's other objects: a booking of
another engagement, or none at all, is 404; the role is checked through engagements.access.engagement_for."""

from __future__ import annotations

from certprep.core.actors import Visitor
from certprep.core.api_refs import path_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.planning.models import AuditBooking


def booking_in(engagement: Engagement, pk: int) -> AuditBooking:
    found = path_ref(AuditBooking.objects.filter(plan__engagement=engagement).select_related("plan"), pk)
    found.plan.engagement = engagement
    return found


def booking_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[AuditBooking, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return booking_in(engagement, pk), membership
