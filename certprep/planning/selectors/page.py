"""What the plan page shows: the tasks in outline order, numbered, with their WBS code, schedule, assignees,
predecessors in MS Project's notation and the reason a rule gave them (a fixed number of queries).

The tasks are read as plain values (TaskValues), not model instances: at 1,500 tasks building instances with
their prefetched links and assignees cost more than the rest of the page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from certprep.core.languages import translated
from certprep.planning.choices import LagUnit, LinkType
from certprep.planning.explain import outline, why
from certprep.planning.models import Assignment, Plan, Task
from certprep.planning.notation import LinkSpec, format_links
from certprep.planning.scheduling import ScheduledTask
from certprep.planning.selectors.schedule import SECONDS_PER_DAY, problem_text, scheduled_values

# Every column of a task, as the page, the tasks API and the audit warnings read them.
TASK_COLUMNS = tuple(
    field.attname for field in Task._meta.concrete_fields if field.attname not in ("created_at", "updated_at")
)


class TaskValues(SimpleNamespace):
    """A task read as plain values: the model's column names as attributes (`parent_id`, `topic_id`, ...),
    `pk` for its id and `tr.name` for its name in the active language."""

    @property
    def pk(self) -> int:
        return int(self.id)

    @property
    def tr(self) -> SimpleNamespace:
        return SimpleNamespace(name=translated(self.translations, "name") or self.name)


@dataclass(frozen=True)
class PageRow:
    number: int  # MS Project's task ID: the row predecessors name
    wbs: str
    task: TaskValues
    scheduled: ScheduledTask | None
    predecessors: str
    assignees: list[str]
    why: str

    @property
    def summary(self) -> bool:
        return bool(self.scheduled and self.scheduled.summary)

    @property
    def start(self) -> datetime.date | None:
        return self.scheduled.start.date() if self.scheduled else None

    @property
    def finish(self) -> datetime.date | None:
        return self.scheduled.finish.date() if self.scheduled else None

    @property
    def duration_days(self) -> float:
        if self.scheduled is None:
            return self.task.duration_days
        days = self.scheduled.duration_seconds / SECONDS_PER_DAY
        return int(days) if days == int(days) else round(days, 1)

    @property
    def total_float_days(self) -> float | None:
        if self.scheduled is None:
            return None
        days = self.scheduled.total_float_seconds / SECONDS_PER_DAY
        return int(days) if days == int(days) else round(days, 1)

    @property
    def critical(self) -> bool:
        return bool(self.scheduled and self.scheduled.critical)


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    rows: list[PageRow]
    problems: list[str]
    start: datetime.date | None
    finish: datetime.date | None


def ordered_tasks(tasks: list[Task]) -> list[tuple[Task, str]]:
    """The tasks in outline order with their WBS codes."""
    by_pk = {task.pk: task for task in tasks}
    return [(by_pk[pk], code) for pk, code in outline((task.pk, task.parent_id) for task in tasks)]


def plan_page(plan: Plan) -> PlanPage:
    scheduled = scheduled_values(plan, *TASK_COLUMNS)
    tasks = {task["id"]: TaskValues(**task) for task in scheduled.tasks}
    by_key = {item.key: item for item in scheduled.result.tasks}
    ordered = [(tasks[pk], code) for pk, code in outline((pk, task.parent_id) for pk, task in tasks.items())]
    numbers = {task.pk: n for n, (task, _code) in enumerate(ordered, 1)}
    predecessors: dict[int, list[LinkSpec]] = defaultdict(list)
    for before, after, kind, lag, unit in scheduled.links:
        if before in numbers:
            predecessors[after].append(LinkSpec(numbers[before], LinkType(kind), lag, LagUnit(unit)))
    assignees: dict[int, list[str]] = defaultdict(list)
    for task_id, name in (
        Assignment.objects.filter(task__plan=plan)
        .order_by("task_id", "person__name", "pk")
        .values_list("task_id", "person__name")
    ):
        assignees[task_id].append(name)
    rows = [
        PageRow(
            number=number,
            wbs=code,
            task=task,
            scheduled=by_key.get(task.pk),
            predecessors=format_links(predecessors.get(task.pk, [])),
            assignees=assignees.get(task.pk, []),
            why=why(task.rule, task.reason),
        )
        for number, (task, code) in enumerate(ordered, 1)
    ]
    result = scheduled.result
    return PlanPage(
        plan=plan,
        rows=rows,
        problems=[problem_text(problem) for problem in result.problems],
        start=result.start.date() if result.start else None,
        finish=result.finish.date() if result.finish else None,
    )
