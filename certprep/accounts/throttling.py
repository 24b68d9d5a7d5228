"""Sign-in throttling on top of django-axes: who the client is, and when its failures pause sign-in.

Two limits, both over the last CERTPREP_LOGIN_COOLOFF_MINUTES:

- one user name from one address: after AXES_FAILURE_LIMIT failures that pair pauses. The same user name
  from another address still signs in, so nobody can lock a known user out from their own address;
- one address across all user names: after CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT failures (a larger number)
  every sign-in from that address pauses, so one password tried on many user names is limited too.

Behind a reverse proxy every request comes from the proxy's address; with CERTPREP_BEHIND_PROXY the client
address is read from the header the proxies write (CERTPREP_PROXY_HEADER), trusting only as many entries
as there are proxies (CERTPREP_PROXY_COUNT).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address behind CERTPREP_PROXY_COUNT trusted proxies.

    Each proxy appends the address it received the request from to the header, so the client is the
    entry CERTPREP_PROXY_COUNT places from the right; anything further left was written by the client and
    is not trusted. A request whose header is missing, too short or not an address keeps REMOTE_ADDR.
    """
    remote = request.META.get("REMOTE_ADDR")
    meta_key = "HTTP_" + settings.CERTPREP_PROXY_HEADER.upper().replace("-", "_")
    hops = [hop.strip() for hop in request.META.get(meta_key, "").split(",") if hop.strip()]
    count = settings.CERTPREP_PROXY_COUNT
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


class AddressAwareHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, larger limit per address across user names."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = settings.CERTPREP_LOGIN_ADDRESS_FAILURE_LIMIT  # 0 turns the address limit off
        if limit and _address_failures(request) >= limit:
            # Axes compares one number with one limit: an address over its own limit counts as at it.
            return max(failures, get_failure_limit(request, credentials))
        return failures


def _address_failures(request: HttpRequest) -> int:
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)  # type: ignore[attr-defined]
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
