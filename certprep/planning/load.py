"""People's load from their assignments, week by week, and where it exceeds their working time (no database).

An assignment puts a person on a task for a share of their time (1-100 %). While the task runs, it takes that
share of each working hour between the task's scheduled start and finish: on a working day of the calendar,
from 08:00 to 12:00 and 13:00 to 17:00 (eight hours, the engine's day, see scheduling.moments), the first and
last day only from the start's and up to the finish's clock time. A task's work for the person is therefore
share x its working hours, and the weeks share it out exactly: the weekly loads of a person add up to the
work of their assignments.

A week runs Monday to Sunday. The person's working time in a week is eight hours per working day of the
calendar in it. A person is over-allocated in a week when their load there is more than that working time
(more than 100 %): two tasks at 60 % on the same days are, one task at 100 % never is.

Loads are kept in "share-seconds" (working seconds x per cent), whole numbers, so sums are exact; hours are
derived for display.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from certprep.planning.scheduling.calendar import WorkingCalendar

HOUR = 3600
DAY = 8 * HOUR  # working seconds in a day
MORNING = 4 * HOUR  # 08:00-12:00
LUNCH = HOUR  # 12:00-13:00
EVENING = DAY + LUNCH  # 17:00, in clock seconds after 08:00
DAY_START = datetime.time(8, 0)
FULL = 100  # per cent: the whole of a person's time
WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Work:
    """A person's assignment to a scheduled task: the share of their time and the task's start and finish."""

    task: Hashable
    person: Hashable
    share: int
    start: datetime.datetime
    finish: datetime.datetime


@dataclass(frozen=True)
class Cell:
    """One person's week: the load (share-seconds), their working time in it (share-seconds at 100 %), and
    the tasks making up the load with their part of it, largest first."""

    week: datetime.date
    load: int
    capacity: int
    tasks: tuple[tuple[Hashable, int], ...]

    @property
    def over_allocated(self) -> bool:
        return self.load > self.capacity

    @property
    def hours(self) -> float:
        return hours(self.load)

    @property
    def capacity_hours(self) -> float:
        return hours(self.capacity)

    @property
    def percent(self) -> int | None:
        """The load as a whole per cent of the working time (None in a week without working time)."""
        if not self.capacity:
            return None
        return round(self.load * 100 / self.capacity)


@dataclass(frozen=True)
class PersonLoad:
    person: Hashable
    cells: dict[datetime.date, Cell]

    @property
    def total(self) -> int:
        return sum(cell.load for cell in self.cells.values())

    @property
    def total_hours(self) -> float:
        return hours(self.total)


@dataclass(frozen=True)
class Load:
    """Every person's weeks (the weeks from the first to the last with any load, without gaps)."""

    weeks: tuple[datetime.date, ...]
    people: tuple[PersonLoad, ...]

    @property
    def over_allocations(self) -> list[tuple[Hashable, Cell]]:
        return [(p.person, cell) for p in self.people for week, cell in sorted(p.cells.items()) if cell.over_allocated]


def hours(share_seconds: int) -> float:
    """Share-seconds as hours, to two decimals."""
    return round(share_seconds / (HOUR * FULL), 2)


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _worked(clock: int) -> int:
    """Working seconds from 08:00 to a clock time (seconds after 08:00), the lunch hour left out."""
    clock = min(max(clock, 0), EVENING)
    if clock <= MORNING:
        return clock
    return max(MORNING, clock - LUNCH)


def _clock(moment: datetime.datetime) -> int:
    start = datetime.datetime.combine(moment.date(), DAY_START, tzinfo=moment.tzinfo)
    return int((moment - start).total_seconds())


def week_capacity(calendar: WorkingCalendar, week: datetime.date) -> int:
    """The working time of the week starting on `week` (a Monday) at 100 %, in share-seconds."""
    return calendar.working_days_between(week, week + WEEK) * DAY * FULL


def work_by_week(work: Work, calendar: WorkingCalendar) -> dict[datetime.date, int]:
    """The working seconds of the task between its start and finish, by week (the share not yet applied)."""
    if work.finish <= work.start:
        return {}
    first, last = work.start.date(), work.finish.date()
    seconds: dict[datetime.date, int] = defaultdict(int)
    if first == last:
        if calendar.is_working(first):
            seconds[monday(first)] += _worked(_clock(work.finish)) - _worked(_clock(work.start))
        return {week: value for week, value in seconds.items() if value > 0}
    if calendar.is_working(first):
        seconds[monday(first)] += DAY - _worked(_clock(work.start))
    if calendar.is_working(last):
        seconds[monday(last)] += _worked(_clock(work.finish))
    # The whole days between the first and the last, week by week.
    inner_start, inner_end = first + datetime.timedelta(days=1), last  # [inner_start, inner_end)
    week = monday(inner_start)
    while week < inner_end:
        days = calendar.working_days_between(max(week, inner_start), min(week + WEEK, inner_end))
        if days > 0:
            seconds[week] += days * DAY
        week += WEEK
    return {week: value for week, value in seconds.items() if value > 0}


def weekly_load(works: Iterable[Work], calendar: WorkingCalendar) -> Load:
    """Each person's load per week and their working time in it; people in the order first met."""
    parts: dict[Hashable, dict[datetime.date, dict[Hashable, int]]] = {}
    for work in works:
        weeks = parts.setdefault(work.person, {})
        if work.share <= 0:
            continue
        for week, seconds in work_by_week(work, calendar).items():
            tasks = weeks.setdefault(week, {})
            tasks[work.task] = tasks.get(work.task, 0) + seconds * work.share
    every_week = sorted({week for weeks in parts.values() for week in weeks})
    span: list[datetime.date] = []
    if every_week:
        week = every_week[0]
        while week <= every_week[-1]:
            span.append(week)
            week += WEEK
    capacity = {week: week_capacity(calendar, week) for week in every_week}
    people = tuple(
        PersonLoad(
            person=person,
            cells={
                week: Cell(
                    week=week,
                    load=sum(tasks.values()),
                    capacity=capacity[week],
                    tasks=tuple(sorted(tasks.items(), key=lambda item: -item[1])),
                )
                for week, tasks in sorted(weeks.items())
            },
        )
        for person, weeks in parts.items()
    )
    return Load(weeks=tuple(span), people=people)
