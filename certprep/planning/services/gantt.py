"""Changing a task from the Gantt chart, as MS Project does when a bar is dragged: moving it sets a "start no earlier
than" constraint on its new start, stretching it sets its duration in working days of the engagement's calendar.

Both save through services.tasks.task_update, so the task's version is checked (a stale one gets the conflict
message), the change is audited and the plan's dates follow at once."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.errors import ServiceError
from certprep.planning.choices import ConstraintType
from certprep.planning.models import Task
from certprep.planning.scheduling import WorkingCalendar
from certprep.planning.selectors.schedule import engagement_calendar
from certprep.planning.services.tasks import MAX_DURATION, task_update

MAX_SHIFT_DAYS = 3660  # a bar moves at most ten years at once


def plan_calendar(task: Task) -> WorkingCalendar:
    return engagement_calendar(task.plan)


def _movable(task: Task) -> None:
    if task.children.exists():
        raise ServiceError(_("A summary task takes its dates from the tasks under it."), field="start")


def task_move(
    *,
    task: Task,
    actor: Actor,
    expected_version: int,
    start: datetime.date | None = None,
    working_days: int | None = None,
    scheduled_start: datetime.date | None = None,
) -> Task:
    """Start the task no earlier than `start`, or `working_days` working days from its scheduled start."""
    _movable(task)
    if start is None:
        if working_days is None or scheduled_start is None:
            raise ServiceError(_("Say where the task moves."), field="start")
        shift = max(-MAX_SHIFT_DAYS, min(working_days, MAX_SHIFT_DAYS))
        start = plan_calendar(task).add_working_days(scheduled_start, shift)
    return task_update(
        task=task,
        actor=actor,
        expected_version=expected_version,
        constraint_type=ConstraintType.SNET,
        constraint_date=start,
    )


def task_stretch(
    *,
    task: Task,
    actor: Actor,
    expected_version: int,
    scheduled_start: datetime.date,
    finish: datetime.date | None = None,
    working_days: int | None = None,
) -> Task:
    """Make the task finish on `finish` (its duration: the working days from its scheduled start to that day), or
    last `working_days` more (fewer when negative); at least one day."""
    _movable(task)
    if task.milestone:
        raise ServiceError(_("A milestone takes no time."), field="duration_days")
    if finish is not None:
        calendar = plan_calendar(task)
        duration = calendar.working_days_between(scheduled_start, finish + datetime.timedelta(days=1))
    elif working_days is not None:
        duration = task.duration_days + working_days
    else:
        raise ServiceError(_("Say where the task moves."), field="duration_days")
    duration = min(max(duration, 1), MAX_DURATION)
    return task_update(task=task, actor=actor, expected_version=expected_version, duration_days=duration)
