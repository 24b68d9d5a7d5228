"""The resources page: each person's load per week from their assignments, as a heat map and a table, with the
weeks where someone is over-allocated and the tasks causing it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from certprep.core.actors import SignedInRequest
from certprep.engagements.access import engagement_for
from certprep.planning.selectors.plan import plan_of
from certprep.planning.selectors.resources import plan_resources, resources_markup
from certprep.planning.views.common import context


@login_required
def resources(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    plan = plan_of(engagement)
    found = plan_resources(plan) if plan is not None else None
    markup = resources_markup(found) if found is not None and found.people else None
    return render(
        request,
        "planning/resources.html",
        context(engagement, membership, "resources", plan=plan, resources=found, markup=markup),
    )
