"""The stored plan scheduled by the engine (certprep.planning.scheduling): early and late dates, floats,
critical tasks, and the problems found, named by task.

The working calendar is the engagement's: the public holidays and make-up working days of its country
(and region) for the years the plan can span, then its own working weekdays, days off and extra working
days."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _

from certprep.planning.choices import AFTER_CERTIFICATION
from certprep.planning.models import Calendar, Plan, Task
from certprep.planning.models import Dependency as DependencyRow
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
    return _calendar(
        calendar.country,
        calendar.region,
        tuple(calendar.workweek),
        tuple(calendar.days_off),
        tuple(calendar.extra_working_days),
        start.year,
    )


@lru_cache(maxsize=64)
def _calendar(
    country: str, region: str, workweek: tuple[int, ...], days_off: tuple[str, ...], extra: tuple[str, ...], year: int
) -> WorkingCalendar:
    """Built once per process for the same settings: reading a country's holidays for six years is the slow part."""
    if country:
        days = country_days(country, years=range(year, year + YEARS_AHEAD + 1), subdivision=region or None)
        return days.calendar(workweek=list(workweek), days_off=_dates(days_off), extra_working_days=_dates(extra))
    return WorkingCalendar.layered(workweek=list(workweek), days_off=_dates(days_off), extra_working_days=_dates(extra))


def engagement_calendar(plan: Plan) -> WorkingCalendar:
    """The working calendar the plan is scheduled on (one query)."""
    return working_calendar(Calendar.objects.filter(engagement_id=plan.engagement_id).first(), plan.start_date)


# Schedules computed lately in this process, by everything they depend on: the same network is scheduled once
# however many pages (plan, Gantt chart, resources, audits, exports) show it, and any change to a task, a link,
# the start or the calendar makes a new key, so an answer is never stale.
_SCHEDULES: OrderedDict[Hashable, Schedule] = OrderedDict()
_SCHEDULES_KEPT = 8
_SCHEDULES_LOCK = threading.Lock()


def _network_key(network: Network) -> Hashable:
    return (
        network.start,
        network.calendar,
        network.beyond_finish,
        tuple((t.key, t.name, t.duration, t.parent, t.constraint, t.constraint_date) for t in network.tasks),
        tuple((d.predecessor, d.successor, d.type, d.lag, d.lag_unit) for d in network.dependencies),
    )


def schedule_of(network: Network) -> Schedule:
    """`schedule(network)`, computed once for the same network (see _SCHEDULES)."""
    key = _network_key(network)
    with _SCHEDULES_LOCK:
        if key in _SCHEDULES:
            _SCHEDULES.move_to_end(key)
            return _SCHEDULES[key]
    result = schedule(network)
    with _SCHEDULES_LOCK:
        _SCHEDULES[key] = result
        while len(_SCHEDULES) > _SCHEDULES_KEPT:
            _SCHEDULES.popitem(last=False)
    return result


# What the engine reads of a task and a link, as plain values.
NETWORK_FIELDS = (
    "id",
    "parent_id",
    "name",
    "duration_days",
    "milestone",
    "constraint_type",
    "constraint_date",
    "rule",
)
LINK_FIELDS = ("predecessor_id", "successor_id", "type", "lag", "lag_unit")


@dataclass(frozen=True)
class ScheduledValues:
    """The plan's tasks (dicts of NETWORK_FIELDS and the fields asked for, in order then id), its links (tuples of
    LINK_FIELDS), the working calendar and the schedule."""

    tasks: list[dict[str, Any]]
    links: list[tuple[Any, ...]]
    calendar: WorkingCalendar
    result: Schedule


def scheduled_values(plan: Plan, *fields: str) -> ScheduledValues:
    """The plan scheduled from plain values (3 queries, no model instances): for the pages that show dates but
    not each task's assignees and predecessors as the plan page does (Gantt chart, resources, baselines)."""
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "pk").values(*dict.fromkeys(NETWORK_FIELDS + fields)))
    links = list(DependencyRow.objects.filter(plan=plan).order_by("successor_id", "pk").values_list(*LINK_FIELDS))
    calendar = engagement_calendar(plan)
    network = Network(
        start=plan.start_date,
        calendar=calendar,
        beyond_finish=frozenset(task["id"] for task in tasks if task["rule"] in AFTER_CERTIFICATION),
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
            Dependency(before, after, Link(kind), lag_value(lag), LagUnit(unit))
            for before, after, kind, lag, unit in links
        ],
    )
    return ScheduledValues(tasks, links, calendar, schedule_of(network))


def plan_network(plan: Plan, tasks: Sequence[Task], calendar: WorkingCalendar) -> Network:
    """The engine's network of the stored plan (tasks keyed by their ids; a milestone takes no time; the audits
    after certification do not set the project's finish)."""
    return Network(
        start=plan.start_date,
        calendar=calendar,
        beyond_finish=frozenset(task.pk for task in tasks if task.rule in AFTER_CERTIFICATION),
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
    result = schedule_of(plan_network(plan, tasks, engagement_calendar(plan)))
    by_pk = {task.pk: task for task in tasks}
    rows = [Row(by_pk[item.key], item) for item in result.tasks if item.key in by_pk]
    shown = {row.task.pk for row in rows}
    rows.extend(Row(task, None) for task in tasks if task.pk not in shown)
    return PlanSchedule(plan=plan, rows=rows, result=result, problems=[problem_text(p) for p in result.problems])
