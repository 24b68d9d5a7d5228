"""The readiness dashboard: radar charts, heat maps and the trend, drawn as SVG on the server."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from certprep.engagements.access import engagement_for
from certprep.gaps.readiness_charts import readiness_charts
from certprep.gaps.selectors.dashboard import dashboard
from certprep.gaps.views.common import context


@login_required
def readiness(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    view = dashboard(engagement)
    charts = readiness_charts(view)
    safe = {key: mark_safe(svg) for key, svg in charts.items()}  # noqa: S308 - built by certprep.gaps.charts, every text escaped there
    return render(request, "gaps/dashboard.html", context(engagement, membership, "dashboard", view=view, charts=safe))
