"""Time zones by their IANA names (Asia/Shanghai, Europe/Berlin), as an engagement stores its own."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every zone the installed time-zone database knows, sorted, without the legacy aliases' odd cases."""
    return tuple(sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("%(value)s is not a time zone; use a name such as Asia/Shanghai or Europe/Berlin.") % {"value": value},
            code="time_zone",
        )


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone of that name; UTC for a name the database does not know (it was validated when stored)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local(moment: datetime.datetime, name: str) -> datetime.datetime:
    """An aware moment as the wall-clock time in zone `name`."""
    return moment.astimezone(zone(name))


def activate_engagement_zone(engagement: Any) -> None:
    """Show and read times in the engagement's zone for the rest of this request (forms, templates, mails).
    TimeZoneResetMiddleware puts the installation's zone back when the request ends."""
    timezone.activate(zone(getattr(engagement, "time_zone", "") or "UTC"))


class TimeZoneResetMiddleware:
    """An engagement page activates the engagement's zone; the next request on the same thread starts again
    from the installation's zone (settings.TIME_ZONE), so no zone carries over between engagements."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
