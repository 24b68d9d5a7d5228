"""The plan's exchange page: the plan as an MS Project file (MSPDI) to download, a file from MS Project
(MSPDI or .mpp) to import after a preview, and the recent imports with what they could not represent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from certprep.core.actors import SignedInRequest
from certprep.engagements.access import engagement_for
from certprep.planning.selectors.exchange import recent_imports
from certprep.planning.selectors.plan import plan_of
from certprep.planning.views.common import context


@login_required
@require_GET
def exchange(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    current = plan_of(engagement)
    return render(
        request,
        "planning/exchange.html",
        context(engagement, membership, "exchange", plan=current, imports=recent_imports(current)),
    )
