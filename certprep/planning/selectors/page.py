"""What the plan page shows: the tasks in outline order, numbered, with their WBS code, schedule, assignees,
predecessors in MS Project's notation and the reason a rule gave them (a fixed number of queries)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from certprep.planning.changes import row_numbers, rows_of
from certprep.planning.explain import outline, why
from certprep.planning.models import Plan, Task
from certprep.planning.notation import format_links
from certprep.planning.scheduling import ScheduledTask
from certprep.planning.selectors.schedule import SECONDS_PER_DAY, plan_schedule


@dataclass(frozen=True)
class PageRow:
    number: int  # MS Project's task ID: the row predecessors name
    wbs: str
    task: Task
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
    scheduled = plan_schedule(plan)
    tasks = [row.task for row in scheduled.rows]
    by_key = {row.task.pk: row.scheduled for row in scheduled.rows}
    ordered = ordered_tasks(sorted(tasks, key=lambda task: (task.order, task.pk)))
    numbers = row_numbers([task for task, _code in ordered])
    rows = [
        PageRow(
            number=number,
            wbs=code,
            task=task,
            scheduled=by_key.get(task.pk),
            predecessors=format_links(rows_of(numbers, task)),
            assignees=[assignment.person.name for assignment in task.assignments.all()],
            why=why(task.rule, task.reason),
        )
        for number, (task, code) in enumerate(ordered, 1)
    ]
    result = scheduled.result
    return PlanPage(
        plan=plan,
        rows=rows,
        problems=scheduled.problems,
        start=result.start.date() if result.start else None,
        finish=result.finish.date() if result.finish else None,
    )
