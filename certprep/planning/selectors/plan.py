"""The stored plan: its tasks in outline order, and its generated tasks as regeneration compares them."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from certprep.engagements.models import Engagement
from certprep.planning.choices import TaskOrigin
from certprep.planning.models import Assignment, Dependency, Plan, Task
from certprep.planning.regeneration import Change, StoredTask, plan_diff
from certprep.planning.rules import generate
from certprep.planning.selectors.facts import plan_facts
from certprep.planning.template import load_template


def plan_of(engagement: Engagement) -> Plan | None:
    plan = Plan.objects.filter(engagement=engagement).first()
    if plan is not None:
        plan.engagement = engagement
    return plan


def plan_tasks(plan: Plan) -> QuerySet[Task]:
    """The plan's tasks with their assignees (people) and predecessors, in stored order (3 queries)."""
    return (
        Task.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("person")),
            Prefetch("predecessor_links", queryset=Dependency.objects.order_by("pk")),
        )
        .order_by("order", "pk")
    )


def lag_value(lag: Decimal) -> int | float:
    return int(lag) if lag == int(lag) else float(lag)


def task_key(task: Task) -> str:
    return task.origin_key or f"manual:{task.pk}"


def stored_generated(plan: Plan) -> dict[str, StoredTask]:
    """Each generated task's values now and as generated, keyed by its generated key."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "pk"))
    keys = {task.pk: task_key(task) for task in tasks}
    incoming: dict[int, list[list[object]]] = {task.pk: [] for task in tasks}
    for successor, predecessor, kind, lag in Dependency.objects.filter(plan=plan).values_list(
        "successor_id", "predecessor_id", "type", "lag"
    ):
        incoming[successor].append([keys[predecessor], kind, lag_value(lag)])
    stored = {}
    for task in tasks:
        if task.origin != TaskOrigin.GENERATED:
            continue
        current = {
            "name": task.name,
            "name_zh": (task.translations.get("zh-hans") or {}).get("name", ""),
            "duration": task.duration_days,
            "milestone": task.milestone,
            "parent": keys.get(task.parent_id) if task.parent_id else None,
            "predecessors": sorted(incoming[task.pk]),
        }
        started = bool(task.percent_complete or task.actual_start or task.actual_finish)
        stored[task.origin_key] = StoredTask(task.origin_key, task.name, current, task.generated, started)
    return stored


def regeneration(plan: Plan) -> list[Change]:
    """What generating the plan again would add, change and remove."""
    return plan_diff(generate(load_template(), plan_facts(plan.engagement)), stored_generated(plan))
