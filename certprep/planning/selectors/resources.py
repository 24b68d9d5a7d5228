"""The resources view: each person's load per week from their assignments on the scheduled plan, and the weeks
where it exceeds their working time, with the tasks causing it (a fixed number of queries, see
certprep.planning.load for the rule)."""

from __future__ import annotations

import datetime
from collections.abc import Hashable
from dataclasses import dataclass

from certprep.people.models import Person
from certprep.planning.load import Cell, Load, Work, hours, weekly_load
from certprep.planning.models import Calendar, Plan, Task
from certprep.planning.selectors.schedule import PlanSchedule, plan_schedule, working_calendar

SQUARE = 18  # the heat map's cell, in SVG units
LABEL_WIDTH = 160  # room for the person's name left of the squares
AXIS_HEIGHT = 20


@dataclass(frozen=True)
class TaskPart:
    task: Task
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
class HeatCell:
    """A square of the heat map (SVG coordinates) for one person and week."""

    x: int
    y: int
    person: Person
    week: WeekCell


@dataclass(frozen=True)
class Resources:
    weeks: tuple[datetime.date, ...]
    people: list[PersonRow]

    @property
    def heat_cells(self) -> list[HeatCell]:
        return [
            HeatCell(LABEL_WIDTH + column * SQUARE, row_number * SQUARE, row.person, week)
            for row_number, row in enumerate(self.people)
            for column, week in enumerate(row.weeks)
        ]

    @property
    def heat_width(self) -> int:
        return LABEL_WIDTH + len(self.weeks) * SQUARE

    @property
    def heat_height(self) -> int:
        return len(self.people) * SQUARE + AXIS_HEIGHT

    @property
    def over_allocations(self) -> list[tuple[Person, WeekCell]]:
        return [(row.person, week) for row in self.people for week in row.over]


@dataclass(frozen=True)
class PlanWork:
    """The assignments of the scheduled plan as the load module reads them, with their people and tasks by id."""

    works: list[Work]
    people: dict[Hashable, Person]
    tasks: dict[Hashable, Task]
    load: Load


def plan_work(plan: Plan, scheduled: PlanSchedule) -> PlanWork:
    """The work of each assignment on a task that takes time (summary tasks and milestones carry none) and the
    weekly load it makes on the engagement's working calendar (one query beside the schedule's)."""
    calendar = working_calendar(Calendar.objects.filter(engagement_id=plan.engagement_id).first(), plan.start_date)
    works: list[Work] = []
    people: dict[Hashable, Person] = {}
    tasks: dict[Hashable, Task] = {}
    for row in scheduled.rows:
        item = row.scheduled
        if item is None or item.summary or item.milestone:
            continue
        tasks[row.task.pk] = row.task
        for assignment in row.task.assignments.all():
            people[assignment.person_id] = assignment.person
            works.append(Work(row.task.pk, assignment.person_id, assignment.share, item.start, item.finish))
    return PlanWork(works, people, tasks, weekly_load(works, calendar))


def plan_resources(plan: Plan) -> Resources:
    """Everyone assigned on the plan (by name) with a cell for every week of the plan's load."""
    found = plan_work(plan, plan_schedule(plan))
    load, tasks = found.load, found.tasks
    rows = []
    for person_load in load.people:
        cells = person_load.cells
        weeks = [
            WeekCell(
                week,
                cells.get(week),
                [TaskPart(tasks[key], hours(part)) for key, part in cells[week].tasks] if week in cells else [],
            )
            for week in load.weeks
        ]
        rows.append(PersonRow(found.people[person_load.person], person_load.total_hours, weeks))
    rows.sort(key=lambda row: (row.person.name.casefold(), row.person.pk))
    return Resources(weeks=load.weeks, people=rows)
