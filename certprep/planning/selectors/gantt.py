"""The plan as its Gantt chart shows it: each task scheduled, with its baseline's dates, the links between them, and
the chart's words and dates in the reader's language (a fixed number of queries, whatever the plan's size)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _

from certprep.planning.charts.gantt import GanttChart, GanttLabels, GanttLink, GanttRow, Zoom
from certprep.planning.models import Baseline, Plan
from certprep.planning.selectors.page import PlanPage, plan_page


@dataclass(frozen=True)
class GanttView:
    """What the Gantt page and the API show: the chart's data, the plan page it came from and the baseline."""

    chart: GanttChart
    page: PlanPage
    baseline: Baseline | None
    baseline_numbers: list[int]


def _day(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def baseline_dates(baseline: Baseline | None) -> dict[int, tuple[datetime.date | None, datetime.date | None]]:
    """Each task's start and finish as the baseline saved them, by task id."""
    if baseline is None:
        return {}
    found = {}
    for entry in baseline.tasks or []:
        if isinstance(entry, dict) and isinstance(entry.get("task"), int):
            found[entry["task"]] = (_day(entry.get("start")), _day(entry.get("finish")))
    return found


def gantt_labels() -> GanttLabels:
    return GanttLabels(
        title=_("Gantt chart"),
        task=_("Task"),
        wbs=_("WBS"),
        bar=_("%(name)s: %(start)s to %(finish)s"),
        dates=_("%(start)s to %(finish)s"),
        done=_("%(n)s%% complete"),
        baseline=_("Baseline: %(start)s to %(finish)s"),
        critical=_("critical"),
        collapse=_("Collapse %(name)s"),
        expand=_("Expand %(name)s"),
        date=formats.date_format,
        month=lambda day: formats.date_format(day, "YEAR_MONTH_FORMAT"),
        short_month=lambda day: formats.date_format(day, "M"),
    )


def gantt_view(
    plan: Plan, *, zoom: Zoom = Zoom.WEEK, collapsed: frozenset[int] = frozenset(), baseline_number: int = 0
) -> GanttView:
    page = plan_page(plan)
    numbers = list(Baseline.objects.filter(plan=plan).values_list("number", flat=True).order_by("number"))
    baseline = (
        Baseline.objects.filter(plan=plan, number=baseline_number).first() if baseline_number in numbers else None
    )
    saved = baseline_dates(baseline)
    rows = []
    links = []
    for row in page.rows:
        task = row.task
        base_start, base_finish = saved.get(task.pk, (None, None))
        rows.append(
            GanttRow(
                key=task.pk,
                wbs=row.wbs,
                name=str(task.tr.name),
                level=max(row.wbs.count(".") + 1, 1),
                parent=task.parent_id,
                summary=row.summary,
                milestone=task.milestone,
                critical=row.critical,
                start=row.start,
                finish=row.finish,
                baseline_start=base_start,
                baseline_finish=base_finish,
                percent_complete=task.percent_complete,
                version=task.version,
                duration_days=row.duration_days,
            )
        )
        links += [GanttLink(d.predecessor_id, task.pk, d.type) for d in task.predecessor_links.all()]
    known = {task.key for task in rows}
    collapsed = frozenset(key for key in collapsed if key in known)
    chart = GanttChart(rows=rows, links=links, zoom=zoom, collapsed=collapsed, labels=gantt_labels())
    return GanttView(chart=chart, page=page, baseline=baseline, baseline_numbers=numbers)
