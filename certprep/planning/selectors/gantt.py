"""The plan as its Gantt chart shows it: each task scheduled, with its baseline's dates, the links between them, and
the chart's words and dates in the reader's language (a fixed number of queries, whatever the plan's size).

The plan is scheduled from plain values (selectors.schedule.scheduled_values): the chart needs no assignees,
predecessors in notation or reasons, and at 1,500 tasks building model instances would cost more than scheduling."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from certprep.core.dates import day_text
from certprep.core.languages import translated
from certprep.planning.charts.gantt import GanttChart, GanttLabels, GanttLink, GanttRow, Zoom
from certprep.planning.explain import outline
from certprep.planning.models import Baseline, Plan
from certprep.planning.selectors.schedule import SECONDS_PER_DAY, problem_text, scheduled_values


@dataclass(frozen=True)
class GanttView:
    """What the Gantt page and the API show: the chart's data, the plan's span and scheduling problems, and the
    baselines saved (the one compared, if any)."""

    chart: GanttChart
    start: datetime.date | None
    finish: datetime.date | None
    problems: list[str]
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
        date=day_text,
        month=lambda day: day_text(day, "YEAR_MONTH_FORMAT"),
        short_month=lambda day: day_text(day, "M"),
    )


# What the chart reads of a task beyond what the engine schedules.
TASK_FIELDS = ("order", "translations", "percent_complete", "version")


def gantt_view(
    plan: Plan, *, zoom: Zoom = Zoom.WEEK, collapsed: frozenset[int] = frozenset(), baseline_number: int = 0
) -> GanttView:
    """The plan's chart (a fixed number of queries: tasks, links, calendar, baselines)."""
    scheduled = scheduled_values(plan, *TASK_FIELDS)
    tasks, links, result = scheduled.tasks, scheduled.links, scheduled.result
    numbers = list(Baseline.objects.filter(plan=plan).values_list("number", flat=True).order_by("number"))
    baseline = (
        Baseline.objects.filter(plan=plan, number=baseline_number).first() if baseline_number in numbers else None
    )
    saved = baseline_dates(baseline)
    by_key = {item.key: item for item in result.tasks}
    by_id = {task["id"]: task for task in tasks}
    rows = []
    for pk, wbs in outline((task["id"], task["parent_id"]) for task in tasks):
        task, item = by_id[pk], by_key.get(pk)
        base_start, base_finish = saved.get(pk, (None, None))
        seconds = item.duration_seconds if item else task["duration_days"] * SECONDS_PER_DAY
        days = seconds / SECONDS_PER_DAY
        rows.append(
            GanttRow(
                key=pk,
                wbs=wbs,
                name=translated(task["translations"], "name") or task["name"],
                level=wbs.count(".") + 1,
                parent=task["parent_id"],
                summary=bool(item and item.summary),
                milestone=task["milestone"],
                critical=bool(item and item.critical),
                start=item.start.date() if item else None,
                finish=item.finish.date() if item else None,
                baseline_start=base_start,
                baseline_finish=base_finish,
                percent_complete=task["percent_complete"],
                version=task["version"],
                duration_days=int(days) if days == int(days) else round(days, 1),
            )
        )
    known = set(by_id)
    chart = GanttChart(
        rows=rows,
        links=[GanttLink(before, after, kind) for before, after, kind, _lag, _unit in links],
        zoom=zoom,
        collapsed=frozenset(key for key in collapsed if key in known),
        labels=gantt_labels(),
    )
    return GanttView(
        chart=chart,
        start=result.start.date() if result.start else None,
        finish=result.finish.date() if result.finish else None,
        problems=[problem_text(problem) for problem in result.problems],
        baseline=baseline,
        baseline_numbers=numbers,
    )
