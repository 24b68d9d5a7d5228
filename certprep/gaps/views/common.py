"""What every gap-analysis page shares: the context and the objects looked up through the engagement."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404

from certprep.engagements.access import can
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.gaps.models import Assessment, Rating

ACTIVE = "gaps"


def context(engagement: Engagement, membership: Any, subnav: str, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": ACTIVE,
        "subnav": subnav,
        "editable": can(membership, Role.EDITOR),
        **extra,
    }


def assessment_of(engagement: Engagement, assessment_id: int) -> Assessment:
    return get_object_or_404(
        Assessment.objects.select_related("framework", "engagement"), pk=assessment_id, engagement=engagement
    )


def rating_of(engagement: Engagement, rating_id: int) -> Rating:
    return get_object_or_404(
        Rating.objects.select_related("assessment__engagement", "assessment__framework", "requirement", "owner"),
        pk=rating_id,
        assessment__engagement=engagement,
    )
