"""The door to the audit bookings, as certprep.planning.access is to the plan's other objects: a booking of
another engagement, or none at all, is 404; the role is checked through engagements.access.engagement_for."""

from __future__ import annotations

from django.http import Http404

from certprep.core.actors import Visitor
from certprep.core.api_refs import MAX_ID
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.planning.models import AuditBooking


def booking_in(engagement: Engagement, pk: int) -> AuditBooking:
    found = (
        AuditBooking.objects.filter(plan__engagement=engagement, pk=pk).select_related("plan").first()
        if 0 < pk <= MAX_ID
        else None
    )
    if found is None:
        raise Http404
    found.plan.engagement = engagement
    return found


def booking_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[AuditBooking, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return booking_in(engagement, pk), membership
