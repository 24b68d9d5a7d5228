from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sign_in_limits() -> dict[str, Any]:
    """The throttling limits, for the page that says sign-in is paused."""
    cooloff = settings.AXES_COOLOFF_TIME
    return {
        "per_account": settings.AXES_FAILURE_LIMIT,
        "per_address": settings.CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT,
        "minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
