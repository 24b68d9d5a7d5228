"""The private calendar feed: the address a calendar reads without signing in, and creating and revoking feeds
(editors) from the plan's exchange page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from certprep.core.actors import SignedInRequest
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.planning.selectors.feed import feed_in
from certprep.planning.services.feed import feed_create, feed_read, feed_revoke
from certprep.planning.views.common import context

ICS = "text/calendar; charset=utf-8"


@require_GET
@never_cache
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed for a valid address; 404 for an unknown, revoked or expired one (no login: the token is the key)."""
    calendar = feed_read(token)
    if calendar is None:
        raise Http404
    response = HttpResponse(calendar, content_type=ICS)
    response["Content-Disposition"] = 'inline; filename="plan.ics"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
@never_cache
def feed_new(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """Create a feed and show its address, once."""
    engagement, membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    created, token = feed_create(engagement=engagement, actor=request.user)
    url = request.build_absolute_uri(reverse("planning:feed", args=[token]))
    return render(
        request, "planning/feed_created.html", context(engagement, membership, "exchange", feed=created, url=url)
    )


@login_required
@require_POST
def feed_end(request: SignedInRequest, engagement_id: int, feed_id: int) -> HttpResponse:
    engagement, _membership = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    feed_revoke(feed=feed_in(engagement, feed_id), actor=request.user)
    messages.success(request, _("Calendar feed revoked: its address no longer works."))
    return redirect(reverse("planning:exchange", args=[engagement.pk]) + "#exchange-feed")
