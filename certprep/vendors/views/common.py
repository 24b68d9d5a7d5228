"""What every vendor page shares: its context (objects are found through certprep.vendors.access)."""

from __future__ import annotations

from typing import Any

from certprep.engagements.access import can
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.vendors import words

ACTIVE = "vendors"


def context(engagement: Engagement, membership: Any, subnav: str, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": ACTIVE,
        "subnav": subnav,
        "editable": can(membership, Role.EDITOR),
        "accreditation_words": words.ACCREDITATION,
        "check_words": words.CHECK,
        "year_words": words.YEARS,
        "part_words": words.PARTS,
        **extra,
    }


def write_role(method: str) -> str:
    return Role.EDITOR if method == "POST" else Role.VIEWER
