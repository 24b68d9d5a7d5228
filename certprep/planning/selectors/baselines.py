"""The plan's baselines, and the plan now compared with one of them (a fixed number of queries at any plan size)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from certprep.core.languages import translated
from certprep.planning.baseline_compare import Comparison, TaskDates, compare
from certprep.planning.explain import outline
from certprep.planning.models import Baseline, Calendar, Dependency, Plan, Task
from certprep.planning.scheduling import Constraint, LagUnit, Link, Network, WorkingCalendar, schedule
from certprep.planning.scheduling import Dependency as EngineDependency
from certprep.planning.scheduling import Task as EngineTask
from certprep.planning.selectors.plan import lag_value
from certprep.planning.selectors.schedule import working_calendar


def baselines_of(plan: Plan) -> QuerySet[Baseline]:
    """The plan's baselines by number, without their task entries (one query)."""
    return Baseline.objects.filter(plan=plan).select_related("saved_by").defer("tasks").order_by("number")


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def saved_dates(entry: Mapping[str, Any]) -> TaskDates:
    task = entry.get("task")
    return TaskDates(
        task=task if isinstance(task, int) else None,
        wbs=str(entry.get("wbs", "")),
        name=str(entry.get("name", "")),
        start=_day(entry.get("start")),
        finish=_day(entry.get("finish")),
    )


TASK_VALUES = (
    "id",
    "parent_id",
    "name",
    "translations",
    "duration_days",
    "milestone",
    "constraint_type",
    "constraint_date",
)


def scheduled_dates(plan: Plan) -> tuple[list[TaskDates], WorkingCalendar]:
    """The plan's tasks as scheduled now, in outline order with their WBS codes and names in the active language,
    and the working calendar they are scheduled on. Read as plain values (no model instances, no assignees or
    predecessor notation, which a baseline keeps no trace of): a fixed number of queries, and fast at 1,500 tasks."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "pk").values(*TASK_VALUES))
    links = Dependency.objects.filter(plan=plan).values_list(
        "predecessor_id", "successor_id", "type", "lag", "lag_unit"
    )
    calendar = working_calendar(Calendar.objects.filter(engagement_id=plan.engagement_id).first(), plan.start_date)
    network = Network(
        start=plan.start_date,
        calendar=calendar,
        tasks=[
            EngineTask(
                key=task["id"],
                name=task["name"],
                duration=0 if task["milestone"] else task["duration_days"],
                parent=task["parent_id"],
                constraint=Constraint(task["constraint_type"]),
                constraint_date=task["constraint_date"],
            )
            for task in tasks
        ],
        dependencies=[
            EngineDependency(before, after, Link(kind), lag_value(lag), LagUnit(unit))
            for before, after, kind, lag, unit in links
        ],
    )
    scheduled = {item.key: item for item in schedule(network).tasks}
    by_pk = {task["id"]: task for task in tasks}
    current = []
    for pk, code in outline((task["id"], task["parent_id"]) for task in tasks):
        item, task = scheduled.get(pk), by_pk[pk]
        start, finish = (item.start.date(), item.finish.date()) if item else (None, None)
        name = translated(task["translations"], "name") or task["name"]
        current.append(TaskDates(pk, code, name, start, finish))
    return current, calendar


def baseline_comparison(plan: Plan, baseline: Baseline) -> Comparison:
    """The plan as scheduled now against the baseline, slips counted on the engagement's working calendar."""
    current, calendar = scheduled_dates(plan)
    return compare([saved_dates(entry) for entry in baseline.tasks], current, calendar.working_days_between)
