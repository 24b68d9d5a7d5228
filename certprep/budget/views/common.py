"""What every budget page shares: its context and the money display in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language

from certprep.budget.money import money_short_writer, money_writer
from certprep.engagements.access import can
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement

ACTIVE = "budget"


def money_in(currency: str) -> Callable[[Decimal], str]:
    return money_writer(currency, get_language() or "en")


def money_short_in(currency: str) -> Callable[[Decimal], str]:
    """Round amounts written short for a chart's value axis (120K, 12万)."""
    return money_short_writer(currency, get_language() or "en")


def context(engagement: Engagement, membership: Any, subnav: str, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": ACTIVE,
        "subnav": subnav,
        "editable": can(membership, Role.EDITOR),
        **extra,
    }
