"""What every organization page shares: its context."""

from __future__ import annotations

from typing import Any

from certprep.engagements.access import can
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement

ACTIVE = "organization"


def context(engagement: Engagement, membership: Any, subnav: str, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": ACTIVE,
        "subnav": subnav,
        "editable": can(membership, Role.EDITOR),
        "owner": can(membership, Role.OWNER),
        **extra,
    }


def write_role(method: str) -> str:
    return Role.EDITOR if method == "POST" else Role.VIEWER
