"""People's weekly load (certprep.planning.load) on tasks scheduled by the engine itself, over a calendar with
holidays: one assignment at 100 % never over-allocates, two 60 % assignments do exactly where they overlap,
and the weeks add up to the work of the assignments (share x the task's working time as the engine counts it)."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from certprep.planning.load import DAY, FULL, Work, hours, monday, week_capacity, weekly_load, work_by_week
from certprep.planning.scheduling import Dependency, LagUnit, Link, Network, Task, WorkingCalendar, schedule

START = datetime.date(2027, 1, 4)
HOLIDAYS = frozenset({datetime.date(2027, 1, 6), datetime.date(2027, 2, 1), datetime.date(2027, 3, 3)})
CALENDAR = WorkingCalendar(days_off=HOLIDAYS)

durations = st.integers(min_value=1, max_value=40)
lags = st.sampled_from([0, 0.5, 1, 2.5, -0.5])


def _scheduled(tasks: list[tuple[int, float]]):
    """Tasks in a chain (each after the one before it with a lag of whole or half days), scheduled."""
    network = Network(
        start=START,
        calendar=CALENDAR,
        tasks=[Task(key=i, name=f"T{i}", duration=duration) for i, (duration, _lag) in enumerate(tasks)],
        dependencies=[Dependency(i - 1, i, Link.FS, lag, LagUnit.DAYS) for i, (_d, lag) in enumerate(tasks) if i],
    )
    return schedule(network)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(durations, lags), min_size=1, max_size=6), st.integers(min_value=1, max_value=100))
def test_the_weeks_add_up_to_the_work_of_the_assignments(tasks, share):
    result = _scheduled(tasks)
    works = [Work(task=t.key, person="ann", share=share, start=t.start, finish=t.finish) for t in result.tasks]
    load = weekly_load(works, CALENDAR)
    expected = sum(t.duration_seconds for t in result.tasks) * share
    assert load.people[0].total == expected
    for work, task in zip(works, result.tasks, strict=True):
        assert sum(work_by_week(work, CALENDAR).values()) == task.duration_seconds


@settings(max_examples=60, deadline=None)
@given(durations, lags)
def test_a_single_assignment_at_full_time_never_over_allocates(duration, lag):
    task = _scheduled([(1, 0), (duration, lag)]).tasks[1]
    load = weekly_load([Work("t", "ann", FULL, task.start, task.finish)], CALENDAR)
    assert load.over_allocations == []
    assert all(cell.load <= cell.capacity for cell in load.people[0].cells.values())


@settings(max_examples=60, deadline=None)
@given(durations, durations, st.integers(min_value=0, max_value=30))
def test_two_overlapping_assignments_at_60_percent_over_allocate_in_the_overlap_weeks_only(first, second, offset):
    a_start = datetime.datetime.combine(START, datetime.time(8))
    a_finish = datetime.datetime.combine(CALENDAR.finish_day(START, first), datetime.time(17))
    b_day = CALENDAR.add_working_days(START, offset)
    b_start = datetime.datetime.combine(b_day, datetime.time(8))
    b_finish = datetime.datetime.combine(CALENDAR.finish_day(b_day, second), datetime.time(17))
    load = weekly_load([Work("a", "ann", 60, a_start, a_finish), Work("b", "ann", 60, b_start, b_finish)], CALENDAR)
    flagged = {cell.week for _person, cell in load.over_allocations}
    a_weeks = set(work_by_week(Work("a", "ann", 60, a_start, a_finish), CALENDAR))
    b_weeks = set(work_by_week(Work("b", "ann", 60, b_start, b_finish), CALENDAR))
    assert flagged <= a_weeks & b_weeks
    # A week in which both run on every working day is over-allocated (120 %).
    both_whole = {
        week
        for week in a_weeks & b_weeks
        if all(
            a_start.date() <= day <= a_finish.date() and b_start.date() <= day <= b_finish.date()
            for day in (week + datetime.timedelta(days=n) for n in range(7))
            if CALENDAR.is_working(day)
        )
    }
    assert both_whole <= flagged
    for _person, cell in load.over_allocations:
        assert {task for task, _part in cell.tasks} == {"a", "b"}


def test_a_week_with_a_holiday_has_four_days_of_working_time():
    assert week_capacity(CALENDAR, monday(datetime.date(2027, 1, 6))) == 4 * DAY * FULL
    assert week_capacity(CALENDAR, monday(datetime.date(2027, 1, 13))) == 5 * DAY * FULL


def test_a_half_day_start_counts_the_afternoon_only():
    # The engine's dates are naive: times on the engagement's own calendar.
    start = datetime.datetime.combine(datetime.date(2027, 1, 4), datetime.time(13))
    finish = datetime.datetime.combine(datetime.date(2027, 1, 5), datetime.time(12))
    assert work_by_week(Work("t", "ann", 100, start, finish), CALENDAR) == {datetime.date(2027, 1, 4): DAY}
    assert hours(DAY * 50) == 4.0
