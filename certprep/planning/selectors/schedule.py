"""The stored plan scheduled by the engine (certprep.planning.scheduling): early and late dates, floats,
critical tasks, and the problems found, named by task.

The working calendar is the engagement's: the public holidays and make-up working days of its country
(and region) for the years the plan can span, then its own working weekdays, days off and extra working
days."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from certprep.planning.models import Calendar, Plan, Task
from certprep.planning.scheduling import (
    Constraint,
    Dependency,
    LagUnit,
    Link,
    Network,
    Problem,
    ProblemKind,
    Schedule,
    ScheduledTask,
    WorkingCalendar,
    schedule,
)
from certprep.planning.scheduling import Task as EngineTask
from certprep.planning.scheduling.public_holidays import country_days
from certprep.planning.selectors.plan import lag_value, plan_tasks

YEARS_AHEAD = 5  # public holidays are read for the plan's start year and the next ones
SECONDS_PER_DAY = 8 * 3600  # the engine's working day


def _dates(values: Sequence[str]) -> list[datetime.date]:
    return [datetime.date.fromisoformat(value) for value in values]


def working_calendar(calendar: Calendar | None, start: datetime.date) -> WorkingCalendar:
    if calendar is None:
        return WorkingCalendar()
    days_off, extra = _dates(calendar.days_off), _dates(calendar.extra_working_days)
    if calendar.country:
        years = range(start.year, start.year + YEARS_AHEAD + 1)
        country = country_days(calendar.country, years=years, subdivision=calendar.region or None)
        return country.calendar(workweek=calendar.workweek, days_off=days_off, extra_working_days=extra)
    return WorkingCalendar.layered(workweek=calendar.workweek, days_off=days_off, extra_working_days=extra)


def plan_network(plan: Plan, tasks: Sequence[Task], calendar: WorkingCalendar) -> Network:
    """The engine's network of the stored plan (tasks keyed by their ids; a milestone takes no time)."""
    return Network(
        start=plan.start_date,
        calendar=calendar,
        tasks=[
            EngineTask(
                key=task.pk,
                name=task.name,
                duration=0 if task.milestone else task.duration_days,
                parent=task.parent_id,
                constraint=Constraint(task.constraint_type),
                constraint_date=task.constraint_date,
            )
            for task in tasks
        ],
        dependencies=[
            Dependency(
                link.predecessor_id, link.successor_id, Link(link.type), lag_value(link.lag), LagUnit(link.lag_unit)
            )
            for task in tasks
            for link in task.predecessor_links.all()
        ],
    )


def problem_text(problem: Problem) -> str:
    """A problem in words for the plan page, naming its tasks."""
    names = ", ".join(problem.tasks)
    if problem.kind == ProblemKind.CYCLE:
        return _("These dependencies form a loop; they were left out until you change one: %(tasks)s") % {
            "tasks": " → ".join(problem.tasks)
        }
    if problem.kind == ProblemKind.CONSTRAINT_CONFLICT:
        return _("%(tasks)s: its constraint date %(date)s is earlier than its predecessors allow (%(earliest)s).") % {
            "tasks": names,
            "date": problem.constraint_date,
            "earliest": problem.earliest,
        }
    if problem.kind == ProblemKind.NO_WORKING_DAYS:
        return _("The working calendar has no working day: add at least one working weekday.")
    return _("%(tasks)s: this could not be scheduled as entered (%(problem)s).") % {
        "tasks": names,
        "problem": problem.kind.value.replace("_", " "),
    }


@dataclass(frozen=True)
class Row:
    """A task of the plan page with its schedule."""

    task: Task
    scheduled: ScheduledTask | None

    @property
    def total_float_days(self) -> float | None:
        return None if self.scheduled is None else round(self.scheduled.total_float_seconds / SECONDS_PER_DAY, 2)

    @property
    def free_float_days(self) -> float | None:
        return None if self.scheduled is None else round(self.scheduled.free_float_seconds / SECONDS_PER_DAY, 2)


@dataclass(frozen=True)
class PlanSchedule:
    plan: Plan
    rows: list[Row]
    result: Schedule
    problems: list[str]

    @property
    def critical_names(self) -> list[str]:
        return [
            row.task.name for row in self.rows if row.scheduled and row.scheduled.critical and not row.scheduled.summary
        ]


def plan_schedule(plan: Plan) -> PlanSchedule:
    """The plan's tasks in outline order with their dates, floats and critical flag (a fixed number of
    queries), and what the engine found wrong."""
    tasks = list(plan_tasks(plan))
    calendar = Calendar.objects.filter(engagement_id=plan.engagement_id).first()
    result = schedule(plan_network(plan, tasks, working_calendar(calendar, plan.start_date)))
    by_pk = {task.pk: task for task in tasks}
    rows = [Row(by_pk[item.key], item) for item in result.tasks if item.key in by_pk]
    shown = {row.task.pk for row in rows}
    rows.extend(Row(task, None) for task in tasks if task.pk not in shown)
    return PlanSchedule(plan=plan, rows=rows, result=result, problems=[problem_text(p) for p in result.problems])
