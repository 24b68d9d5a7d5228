"""The one door to the vendor register's objects, for pages and API alike.

Each `<object>_for(user, engagement_id, pk, role=...)` checks the membership through
engagements.access.engagement_for (404 for non-members, 403 when the role is too low) and returns the object
with the caller's membership; an object of another engagement, or none at all, is 404. The `<object>_in`
functions find an object of an engagement already opened."""

from __future__ import annotations

from certprep.core.actors import Visitor
from certprep.core.api_refs import engagement_ref, path_ref
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement, Membership
from certprep.vendors.models import Auditor, AvailabilityWindow, Criterion, Quote, Score, Vendor


def vendor_in(engagement: Engagement, pk: int) -> Vendor:
    return engagement_ref(Vendor, engagement, pk)


def quote_in(engagement: Engagement, pk: int) -> Quote:
    quote = path_ref(
        Quote.objects.filter(engagement=engagement, vendor__engagement=engagement).select_related("vendor"), pk
    )
    quote.engagement = quote.vendor.engagement = engagement
    return quote


def auditor_in(engagement: Engagement, pk: int) -> Auditor:
    auditor = path_ref(Auditor.objects.filter(vendor__engagement=engagement).select_related("vendor"), pk)
    auditor.vendor.engagement = engagement
    return auditor


def window_in(engagement: Engagement, pk: int) -> AvailabilityWindow:
    window = path_ref(AvailabilityWindow.objects.filter(vendor__engagement=engagement).select_related("vendor"), pk)
    window.vendor.engagement = engagement
    return window


def criterion_in(engagement: Engagement, pk: int) -> Criterion:
    return engagement_ref(Criterion, engagement, pk)


def score_in(engagement: Engagement, pk: int) -> Score:
    score = path_ref(Score.objects.filter(vendor__engagement=engagement).select_related("vendor", "criterion"), pk)
    score.vendor.engagement = score.criterion.engagement = engagement
    return score


def vendor_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Vendor, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return vendor_in(engagement, pk), membership


def quote_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Quote, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return quote_in(engagement, pk), membership


def auditor_for(user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER) -> tuple[Auditor, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return auditor_in(engagement, pk), membership


def window_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[AvailabilityWindow, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return window_in(engagement, pk), membership


def criterion_for(
    user: Visitor, engagement_id: int, pk: int, *, role: str = Role.VIEWER
) -> tuple[Criterion, Membership]:
    engagement, membership = engagement_for(user, engagement_id, role=role)
    return criterion_in(engagement, pk), membership
