"""The resources page: each person's load per week from their assignments, as a heat map and a table, with the
weeks where someone is over-allocated and the tasks causing it."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from certprep.core.actors import SignedInRequest
from certprep.engagements.access import engagement_for
from certprep.planning.selectors.plan import plan_of
from certprep.planning.selectors.resources import plan_resources, resources_markup, resources_window
from certprep.planning.views.common import context


@login_required
def resources(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    plan = plan_of(engagement)
    found = plan_resources(plan) if plan is not None else None
    window = resources_window(found, _day(request.GET.get("from")), timezone.localdate()) if found else None
    markup = resources_markup(window.shown) if window is not None and found and found.people else None
    return render(
        request,
        "planning/resources.html",
        context(engagement, membership, "resources", plan=plan, resources=found, window=window, markup=markup),
    )


def _day(text: str | None) -> datetime.date | None:
    """The window's first week from `?from=` (an ISO date); anything else shows the default window."""
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None
