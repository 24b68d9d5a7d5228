"""Current-state pages: one card per process with the relations map, one page per process, and the
map alone as an SVG picture."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from certprep.core.downloads import download
from certprep.engagements.access import can, engagement_for
from certprep.engagements.choices import Role
from certprep.survey.relations import RelationGraph, render_svg
from certprep.survey.selectors.state import engagement_state, process_state


def _map_svg(engagement_id: int, graph: RelationGraph) -> str:
    links = {n.code: reverse("survey:state_process", args=[engagement_id, n.code]) for n in graph.nodes}
    return render_svg(graph, title=_("Relations between processes"), links=links)


@login_required
def state_overview(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    state = engagement_state(engagement)
    return render(
        request,
        "survey/state.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "state",
            "state": state,
            # render_svg escapes every text it places in the picture, so the markup is safe to embed.
            "relation_map": mark_safe(_map_svg(engagement.pk, state.graph)) if state.processes else "",  # noqa: S308
        },
    )


@login_required
def state_process(request: HttpRequest, engagement_id: int, process_code: str) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    state = process_state(engagement, process_code)
    if state is None:
        raise Http404(_("No such process."))
    return render(
        request,
        "survey/state_process.html",
        {
            "engagement": engagement,
            "membership": membership,
            "active": "survey",
            "subnav": "state",
            "editable": can(membership, Role.EDITOR),
            "process": state,
        },
    )


@login_required
def relation_map(request: HttpRequest, engagement_id: int) -> HttpResponseBase:
    engagement, _m = engagement_for(request.user, engagement_id)
    state = engagement_state(engagement)
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + _map_svg(engagement.pk, state.graph)
    return download(
        svg, filename=f"relations-{engagement.pk}.svg", content_type="image/svg+xml; charset=utf-8", inline=True
    )


_BASE = "e/<int:engagement_id>/survey/state/"

urlpatterns = [
    path(_BASE, state_overview, name="state"),
    # The literal route comes before the process slug, which would otherwise match "relations.svg".
    path(_BASE + "relations.svg", relation_map, name="relation_map"),
    path(_BASE + "<slug:process_code>/", state_process, name="state_process"),
]
