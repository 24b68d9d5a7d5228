"""The baseline comparison's rules on random plans and calendars: a baseline compared with itself slips nothing
and adds or removes nothing; a task moved k working days later slips by k; added and removed tasks are told
apart; the plan's finish slip is the latest finish's."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from certprep.planning.baseline_compare import TaskDates, compare
from certprep.planning.scheduling import WorkingCalendar

START = datetime.date(2027, 1, 4)

calendars = st.builds(
    lambda week, off: WorkingCalendar.layered(workweek=week, days_off=off),
    st.frozensets(st.integers(0, 6), min_size=1),
    st.frozensets(st.dates(START, START + datetime.timedelta(days=400)), max_size=20),
)


@st.composite
def plans(draw, calendar):
    count = draw(st.integers(1, 25))
    tasks = []
    for n in range(count):
        start = calendar.add_working_days(START, draw(st.integers(0, 200)))
        finish = calendar.finish_day(start, draw(st.integers(0, 60)))
        tasks.append(TaskDates(task=n + 1, wbs=str(n + 1), name=f"Task {n + 1}", start=start, finish=finish))
    return tasks


@given(st.data())
def test_a_baseline_compared_with_itself_slips_nothing(data):
    calendar = data.draw(calendars)
    tasks = data.draw(plans(calendar))
    result = compare(tasks, tasks, calendar.working_days_between)
    assert [row.start_slip for row in result.tasks] == [0] * len(tasks)
    assert [row.finish_slip for row in result.tasks] == [0] * len(tasks)
    assert (result.added, result.removed, result.finish_slip, result.slipped) == ([], [], 0, 0)


@given(st.data())
def test_a_task_moved_later_by_k_working_days_slips_by_k(data):
    calendar = data.draw(calendars)
    tasks = data.draw(plans(calendar))
    moved = data.draw(st.sampled_from(tasks))
    k = data.draw(st.integers(-30, 30))
    now = [
        TaskDates(
            task.task,
            task.wbs,
            task.name,
            calendar.add_working_days(task.start, k),
            calendar.add_working_days(task.finish, k),
        )
        if task is moved
        else task
        for task in tasks
    ]
    result = compare(tasks, now, calendar.working_days_between)
    row = next(row for row in result.tasks if row.current.task == moved.task)
    assert (row.start_slip, row.finish_slip) == (k, k)
    assert all(other.finish_slip == 0 for other in result.tasks if other is not row)
    assert result.slipped == (1 if k > 0 else 0)
    assert result.finish_slip >= 0 if k > 0 else result.finish_slip <= 0


@given(st.data())
def test_tasks_added_and_removed_since_are_told_apart(data):
    calendar = data.draw(calendars)
    tasks = data.draw(plans(calendar))
    kept = data.draw(st.lists(st.sampled_from(tasks), unique=True))
    new = TaskDates(task=999, wbs="9", name="Added by hand", start=START, finish=START)
    result = compare(tasks, [*kept, new], calendar.working_days_between)
    assert result.added == [new]
    assert {task.task for task in result.removed} == {task.task for task in tasks} - {task.task for task in kept}
    assert [row.current for row in result.tasks] == kept


def test_the_plans_finish_slip_counts_working_days_over_a_weekend():
    calendar = WorkingCalendar()  # Monday to Friday
    friday, monday = datetime.date(2027, 1, 8), datetime.date(2027, 1, 11)
    saved = [TaskDates(1, "1", "Audit", friday, friday)]
    result = compare(saved, [TaskDates(1, "1", "Audit", monday, monday)], calendar.working_days_between)
    assert (result.finish_slip, result.slipped, result.current_finish) == (1, 1, monday)
