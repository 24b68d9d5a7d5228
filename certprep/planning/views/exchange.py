"""The plan's exchange page: the plan as an MS Project file (MSPDI) to download, a file from MS Project
(MSPDI or .mpp) to import after a preview, and the recent imports with what they could not represent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from certprep.core.actors import SignedInRequest
from certprep.core.downloads import download
from certprep.engagements.access import engagement_for
from certprep.planning.access import plan_for
from certprep.planning.exchange.mspdi_write import CONTENT_TYPE, mspdi_bytes, mspdi_filename
from certprep.planning.selectors.exchange import plan_document, recent_imports
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


@login_required
@require_GET
def export_mspdi(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    """The plan as MS Project XML (members; 404 while there is no plan)."""
    plan, _m = plan_for(request.user, engagement_id)
    return download(
        mspdi_bytes(plan_document(plan)),
        filename=mspdi_filename(plan.engagement.name, timezone.localdate()),
        content_type=CONTENT_TYPE,
    )
