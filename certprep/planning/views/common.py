"""What every page of the plan shares: the context of its pages (objects are found through
certprep.planning.access)."""

from __future__ import annotations

from typing import Any

from certprep.engagements.access import can
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement

ACTIVE = "plan"


def context(engagement: Engagement, membership: Any, subnav: str, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": ACTIVE,
        "subnav": subnav,
        "editable": can(membership, Role.EDITOR),
        **extra,
    }
