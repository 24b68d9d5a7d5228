"""Comparing the plan with a saved baseline (pure, no database): per task the baseline's start and finish against
the current ones and the slip of each in working days (positive: later than the baseline), the tasks added since
the baseline was saved and those removed since, and the totals: how far the plan's finish slipped and how many
tasks finish later than their baseline (MS Project's "slipping tasks").

Tasks are matched by id: a task renamed or moved in the outline is still the same task. Slips are counted on the
engagement's working calendar (`slip(baseline_day, current_day)`: working days from the first to the second), so
a task moved over a weekend by one working day slips by one, not three."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

type SlipCounter = Callable[[datetime.date, datetime.date], int]


@dataclass(frozen=True)
class TaskDates:
    """One task as a baseline saved it, or as the plan schedules it now."""

    task: int | None  # the task's id; None for an entry whose task is not known (an imported baseline's)
    wbs: str
    name: str
    start: datetime.date | None
    finish: datetime.date | None


@dataclass(frozen=True)
class TaskSlip:
    baseline: TaskDates
    current: TaskDates
    start_slip: int | None  # working days; None when a date is missing on either side
    finish_slip: int | None

    @property
    def slipped(self) -> bool:
        return bool(self.finish_slip and self.finish_slip > 0)


@dataclass(frozen=True)
class Comparison:
    tasks: list[TaskSlip]  # in the current plan's order
    added: list[TaskDates]  # in the plan now, not in the baseline
    removed: list[TaskDates]  # in the baseline, no longer in the plan
    baseline_finish: datetime.date | None
    current_finish: datetime.date | None
    finish_slip: int | None  # the plan's finish: its latest task finish, now against the baseline's

    @property
    def slipped(self) -> int:
        return sum(row.slipped for row in self.tasks)


def _slip(count: SlipCounter, before: datetime.date | None, now: datetime.date | None) -> int | None:
    return None if before is None or now is None else count(before, now)


def _latest(tasks: Sequence[TaskDates]) -> datetime.date | None:
    finishes = [task.finish for task in tasks if task.finish is not None]
    return max(finishes) if finishes else None


def compare(baseline: Sequence[TaskDates], current: Sequence[TaskDates], slip: SlipCounter) -> Comparison:
    """The current plan against the baseline, task by task (matched by id), with the totals."""
    saved = {task.task: task for task in baseline if task.task is not None}
    now = {task.task for task in current}
    rows = [
        TaskSlip(
            baseline=saved[task.task],
            current=task,
            start_slip=_slip(slip, saved[task.task].start, task.start),
            finish_slip=_slip(slip, saved[task.task].finish, task.finish),
        )
        for task in current
        if task.task in saved
    ]
    baseline_finish, current_finish = _latest(baseline), _latest(current)
    return Comparison(
        tasks=rows,
        added=[task for task in current if task.task not in saved],
        removed=[task for task in baseline if task.task is None or task.task not in now],
        baseline_finish=baseline_finish,
        current_finish=current_finish,
        finish_slip=_slip(slip, baseline_finish, current_finish),
    )
