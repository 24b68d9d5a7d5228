"""What every gap-analysis page shares: the context of the app's pages (objects are found through
certprep.gaps.access)."""

from __future__ import annotations

from typing import Any

from certprep.engagements.access import can
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement

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
