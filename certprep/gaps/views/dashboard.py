"""The readiness dashboard: radar charts, heat maps and the trend, drawn as SVG on the server."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from certprep.engagements.access import engagement_for
from certprep.gaps.charts import Series, heatmap_svg, radar_svg, trend_svg
from certprep.gaps.selectors.dashboard import Column, dashboard
from certprep.gaps.views.common import context


def _label(column: Column) -> str:
    return f"{column.assessment.name} {date_format(column.assessment.assessed_on)}"


@login_required
def readiness(request: HttpRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for(request.user, engagement_id)
    view = dashboard(engagement)
    charts: dict[str, str] = {}
    no_data = _("no data")
    if view.columns:
        shown = [c for c in (view.baseline, view.latest) if c is not None]
        clause_axes = [f"{n.ref_id} {n.name}" for n in view.clauses]
        clause_series = [
            Series(
                label=_label(c),
                values=[c.by_clause[n.ref_id].percent if n.ref_id in c.by_clause else None for n in view.clauses],
                css_class=f"series-{i + 1}",
            )
            for i, c in enumerate(shown)
        ]
        charts["radar_clauses"] = radar_svg(
            clause_axes, clause_series, title=_("Readiness by clause"), id_prefix="rc", no_data_label=no_data
        )
        process_axes = [p.tr.name for p in view.process_list]
        process_series = [
            Series(
                label=_label(c),
                values=[c.by_process[p.code].percent if p.code in c.by_process else None for p in view.process_list],
                css_class=f"series-{i + 1}",
            )
            for i, c in enumerate(shown)
        ]
        if any(c.by_process for c in shown):
            charts["radar_processes"] = radar_svg(
                process_axes, process_series, title=_("Readiness by process"), id_prefix="rp", no_data_label=no_data
            )
        columns = [f"{c.assessment.name}\n{date_format(c.assessment.assessed_on)}" for c in view.columns]
        charts["heat_clauses"] = heatmap_svg(
            clause_axes,
            columns,
            [
                [c.by_clause[n.ref_id].percent if n.ref_id in c.by_clause else None for c in view.columns]
                for n in view.clauses
            ],
            title=_("Readiness by clause and assessment"),
            id_prefix="hc",
            no_data_label=no_data,
            row_header=_("Clause"),
        )
        if any(c.by_process for c in view.columns):
            charts["heat_processes"] = heatmap_svg(
                process_axes,
                columns,
                [
                    [c.by_process[p.code].percent if p.code in c.by_process else None for c in view.columns]
                    for p in view.process_list
                ],
                title=_("Readiness by process and assessment"),
                id_prefix="hp",
                no_data_label=no_data,
                row_header=_("Process"),
            )
        charts["trend"] = trend_svg(
            [
                (f"{c.assessment.name}\n{date_format(c.assessment.assessed_on)}", c.overall.percent)
                for c in view.columns
            ],
            title=_("Overall readiness over the assessments"),
            id_prefix="tr",
            no_data_label=no_data,
            series_label=_("Overall readiness"),
        )
    safe = {key: mark_safe(svg) for key, svg in charts.items()}  # noqa: S308 - built by certprep.gaps.charts, every text escaped there
    return render(request, "gaps/dashboard.html", context(engagement, membership, "dashboard", view=view, charts=safe))
