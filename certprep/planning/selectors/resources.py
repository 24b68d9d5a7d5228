"""The resources view: each person's load per week from their assignments on the scheduled plan, and the weeks
where it exceeds their working time, with the tasks causing it (a fixed number of queries, see
certprep.planning.load for the rule).

The page's plan is scheduled from plain values, as the Gantt chart's is: at 1,500 tasks, model instances with
their prefetched links and assignees would cost more than the scheduling. The heat map and the hours table are
written by certprep.planning.heatmap."""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.core.dates import day_text
from certprep.core.languages import translated
from certprep.people.models import Person
from certprep.planning.heatmap import HeatCell, HeatRow, HeatWords, heatmap_svg, load_table_head, load_table_rows
from certprep.planning.load import Cell, Load, Work, hours, weekly_load
from certprep.planning.models import Assignment, Plan
from certprep.planning.selectors.schedule import PlanSchedule, engagement_calendar, scheduled_values

# What the page reads of a task beyond what the engine schedules.
TASK_FIELDS = ("translations", "version")


@dataclass(frozen=True)
class TaskRef:
    pk: int
    name: str


@dataclass(frozen=True)
class TaskPart:
    task: TaskRef
    hours: float


@dataclass(frozen=True)
class WeekCell:
    week: datetime.date
    cell: Cell | None
    parts: list[TaskPart]

    @property
    def band(self) -> str:
        """The heat map's band: none, low (up to 50 %), mid (up to 80 %), high (up to 100 %), over."""
        if self.cell is None or not self.cell.load:
            return "none"
        if self.cell.over_allocated:
            return "over"
        percent = self.cell.percent or 0
        return "low" if percent <= 50 else "mid" if percent <= 80 else "high"


@dataclass(frozen=True)
class PersonRow:
    person: Person
    total_hours: float
    weeks: list[WeekCell]

    @property
    def over(self) -> list[WeekCell]:
        return [week for week in self.weeks if week.band == "over"]


@dataclass(frozen=True)
class Resources:
    weeks: tuple[datetime.date, ...]
    people: list[PersonRow]

    @property
    def over_allocations(self) -> list[tuple[Person, WeekCell]]:
        return [(row.person, week) for row in self.people for week in row.over]


# How many weeks the page draws at once: half a year fits a screen's heat map; a plan spanning years is read a
# window at a time (the over-allocated weeks are listed for the whole plan above it).
WINDOW_WEEKS = 26


@dataclass(frozen=True)
class Window:
    """The weeks drawn, and the first Monday of the windows before and after them (None at either end)."""

    shown: Resources
    earlier: datetime.date | None
    later: datetime.date | None


def resources_window(resources: Resources, start: datetime.date | None, today: datetime.date) -> Window:
    """The WINDOW_WEEKS weeks from the week of `start` (else of `today`, else the plan's first), kept inside the
    plan's weeks."""
    weeks = resources.weeks
    if len(weeks) <= WINDOW_WEEKS:
        return Window(resources, None, None)
    wanted = start or today
    index = bisect_left(weeks, wanted - datetime.timedelta(days=wanted.weekday()))
    if start is None and index >= len(weeks):
        index = 0
    index = max(0, min(index, len(weeks) - WINDOW_WEEKS))
    end = index + WINDOW_WEEKS
    shown = Resources(
        weeks=weeks[index:end],
        people=[PersonRow(row.person, row.total_hours, row.weeks[index:end]) for row in resources.people],
    )
    return Window(
        shown,
        weeks[max(0, index - WINDOW_WEEKS)] if index > 0 else None,
        weeks[end] if end < len(weeks) else None,
    )


@dataclass(frozen=True)
class PlanWork:
    """The assignments of the scheduled plan as the load module reads them, with their people and tasks by id."""

    works: list[Work]
    people: dict[Hashable, Person]
    tasks: dict[Hashable, TaskRef]
    load: Load


def plan_work(plan: Plan, scheduled: PlanSchedule) -> PlanWork:
    """The work of each assignment of an already scheduled plan (its tasks with their assignees prefetched), and
    the weekly load it makes on the engagement's working calendar (one query beside the schedule's)."""
    calendar = engagement_calendar(plan)
    works: list[Work] = []
    people: dict[Hashable, Person] = {}
    tasks: dict[Hashable, TaskRef] = {}
    for row in scheduled.rows:
        item = row.scheduled
        if item is None or item.summary or item.milestone:
            continue
        tasks[row.task.pk] = TaskRef(row.task.pk, row.task.tr.name)
        for assignment in row.task.assignments.all():
            people[assignment.person_id] = assignment.person
            works.append(Work(row.task.pk, assignment.person_id, assignment.share, item.start, item.finish))
    return PlanWork(works, people, tasks, weekly_load(works, calendar))


def _values_work(plan: Plan) -> PlanWork:
    """The same from plain values: tasks, links and assignments read as values, people once (5 queries)."""
    scheduled = scheduled_values(plan, *TASK_FIELDS)
    rows, result, calendar = scheduled.tasks, scheduled.result, scheduled.calendar
    names: dict[Any, dict[str, Any]] = {row["id"]: row for row in rows}
    working = {item.key: item for item in result.tasks if not item.summary and not item.milestone}
    people: dict[Hashable, Person] = {p.pk: p for p in Person.objects.filter(engagement_id=plan.engagement_id)}
    works: list[Work] = []
    tasks: dict[Hashable, TaskRef] = {}
    for task_id, person_id, share in Assignment.objects.filter(task__plan=plan).values_list(
        "task_id", "person_id", "share"
    ):
        item = working.get(task_id)
        if item is None or person_id not in people:
            continue
        row = names[task_id]
        tasks[task_id] = TaskRef(task_id, translated(row["translations"], "name") or row["name"])
        works.append(Work(task_id, person_id, share, item.start, item.finish))
    return PlanWork(works, people, tasks, weekly_load(works, calendar))


def plan_resources(plan: Plan) -> Resources:
    """Everyone assigned on the plan (by name) with a cell for every week of the plan's load."""
    found = _values_work(plan)
    load = found.load
    rows = []
    for person_load in load.people:
        cells = person_load.cells
        weeks = []
        for week in load.weeks:
            cell = cells.get(week)
            parts = [TaskPart(found.tasks[key], hours(part)) for key, part in cell.tasks] if cell else []
            weeks.append(WeekCell(week, cell, parts))
        rows.append(PersonRow(found.people[person_load.person], person_load.total_hours, weeks))
    rows.sort(key=lambda row: (row.person.name.casefold(), row.person.pk))
    return Resources(weeks=load.weeks, people=rows)


def resources_markup(resources: Resources) -> dict[str, SafeString]:
    """The heat map and the hours table's header and rows, in the reader's language and date format."""
    over = len(resources.over_allocations)
    words = HeatWords(
        title=ngettext(
            "Load per person and week; %(n)s over-allocated week. The table below gives the figures.",
            "Load per person and week; %(n)s over-allocated weeks. The table below gives the figures.",
            over,
        )
        % {"n": over},
        over=_("over-allocated"),
        week_day=day_text,
        column_day=lambda day: day_text(day, "MONTH_DAY_FORMAT"),
    )
    rows = [
        HeatRow(
            person_id=row.person.pk,
            name=row.person.name,
            total_hours=row.total_hours,
            cells=[
                HeatCell(week.band, week.cell.hours, week.cell.percent)
                if week.cell is not None
                else HeatCell(week.band)
                for week in row.weeks
            ],
        )
        for row in resources.people
    ]
    # Every text in these strings was escaped where it was written (certprep.planning.heatmap).
    return {
        "heat_map": mark_safe(heatmap_svg(rows, resources.weeks, words)),  # noqa: S308 - escaped above
        "table_head": mark_safe(load_table_head(resources.weeks, words)),  # noqa: S308 - escaped above
        "table_rows": mark_safe(load_table_rows(rows, words)),  # noqa: S308 - escaped above
    }
