"""The charts of the readiness page, drawn from the dashboard's figures (selectors.dashboard) with the SVG
charts of certprep.gaps.charts: no database, the same figures the page and the API show."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certprep.gaps.charts import Series, heatmap_svg, radar_svg, trend_svg
from certprep.gaps.selectors.dashboard import Column, Dashboard


def _label(column: Column) -> str:
    return f"{column.assessment.name} {date_format(column.assessment.assessed_on)}"


def _heading(column: Column) -> str:
    return f"{column.assessment.name}\n{date_format(column.assessment.assessed_on)}"


def _radars(view: Dashboard, no_data: str) -> dict[str, str]:
    """Readiness by clause and by process of the baseline and the latest assessment."""
    shown = [c for c in (view.baseline, view.latest) if c is not None]
    charts = {}
    clause_series = [
        Series(
            label=_label(c),
            values=[c.by_clause[n.ref_id].percent if n.ref_id in c.by_clause else None for n in view.clauses],
            css_class=f"series-{i + 1}",
        )
        for i, c in enumerate(shown)
    ]
    clause_axes = [f"{n.ref_id} {n.name}" for n in view.clauses]
    charts["radar_clauses"] = radar_svg(
        clause_axes, clause_series, title=_("Readiness by clause"), id_prefix="rc", no_data_label=no_data
    )
    if any(c.by_process for c in shown):
        process_series = [
            Series(
                label=_label(c),
                values=[c.by_process[p.code].percent if p.code in c.by_process else None for p in view.process_list],
                css_class=f"series-{i + 1}",
            )
            for i, c in enumerate(shown)
        ]
        charts["radar_processes"] = radar_svg(
            [p.tr.name for p in view.process_list],
            process_series,
            title=_("Readiness by process"),
            id_prefix="rp",
            no_data_label=no_data,
        )
    return charts


def _heat_maps(view: Dashboard, no_data: str) -> dict[str, str]:
    """Readiness by clause and by process over every assessment."""
    columns = [_heading(c) for c in view.columns]
    charts = {
        "heat_clauses": heatmap_svg(
            [f"{n.ref_id} {n.name}" for n in view.clauses],
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
    }
    if any(c.by_process for c in view.columns):
        charts["heat_processes"] = heatmap_svg(
            [p.tr.name for p in view.process_list],
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
    return charts


def readiness_charts(view: Dashboard) -> dict[str, str]:
    """The page's SVG charts by name (none without an assessment); every text in them is escaped."""
    if not view.columns:
        return {}
    no_data = _("no data")
    trend = trend_svg(
        [(_heading(c), c.overall.percent) for c in view.columns],
        title=_("Overall readiness over the assessments"),
        id_prefix="tr",
        no_data_label=no_data,
        series_label=_("Overall readiness"),
    )
    return {**_radars(view, no_data), **_heat_maps(view, no_data), "trend": trend}
