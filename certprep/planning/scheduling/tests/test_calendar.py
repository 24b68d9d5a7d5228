"""The working calendar: which days are worked, and counting working days over it.

The calendar counts with week arithmetic and a sorted list of exceptions; the oracle here walks day by day
over the plain rule (a listed working day is worked, a listed day off is not, otherwise the weekday says)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certprep.planning.scheduling import WorkingCalendar
from certprep.planning.scheduling.calendar import EPOCH

AROUND = date(2026, 1, 1)


def worked(calendar: WorkingCalendar, day: date) -> bool:
    if day in calendar.working_days:
        return True
    if day in calendar.days_off:
        return False
    return day.weekday() in calendar.workweek


def walk_forward(calendar: WorkingCalendar, day: date, count: int) -> date:
    """The `count`-th working day after the first working day on or after `day`, one day at a time."""
    while not worked(calendar, day):
        day += timedelta(days=1)
    while count:
        day += timedelta(days=1)
        if worked(calendar, day):
            count -= 1
    return day


def walk_back(calendar: WorkingCalendar, day: date, count: int) -> date:
    while not worked(calendar, day):
        day -= timedelta(days=1)
    while count:
        day -= timedelta(days=1)
        if worked(calendar, day):
            count -= 1
    return day


@st.composite
def working_calendars(draw: st.DrawFn) -> WorkingCalendar:
    offsets = st.integers(-400, 400)
    days_off = draw(st.frozensets(offsets, max_size=40))
    working = draw(st.frozensets(offsets, max_size=20)) - days_off
    return WorkingCalendar(
        workweek=draw(st.frozensets(st.integers(0, 6), min_size=1)),
        days_off=frozenset(AROUND + timedelta(days=n) for n in days_off),
        working_days=frozenset(AROUND + timedelta(days=n) for n in working),
    )


days_near = st.integers(-500, 500).map(lambda n: AROUND + timedelta(days=n))


@given(working_calendars(), days_near, st.integers(0, 60))
def test_adding_working_days_matches_walking_the_calendar(calendar, day, count):
    assert calendar.add_working_days(day, count) == walk_forward(calendar, day, count)
    if count:  # going back counts from the working day on or before; adding 0 goes forward
        assert calendar.add_working_days(day, -count) == walk_back(calendar, day, count)


@given(working_calendars(), days_near, days_near)
def test_working_days_between_counts_the_worked_days(calendar, first, second):
    def count(start: date, end: date) -> int:
        return sum(worked(calendar, start + timedelta(days=n)) for n in range((end - start).days))

    expected = count(first, second) if second >= first else -count(second, first)
    assert calendar.working_days_between(first, second) == expected


@given(working_calendars(), days_near)
def test_each_working_day_has_its_own_number(calendar, day):
    number = calendar.ordinal(day)
    assert calendar.day(number) == walk_forward(calendar, day, 0)
    assert calendar.is_working(calendar.day(number))
    assert calendar.day(calendar.ordinal_on_or_before(day)) == walk_back(calendar, day, 0)
    assert calendar.day(number + 1) == calendar.next_working_day(calendar.day(number))
    assert calendar.previous_working_day(calendar.day(number + 1)) == calendar.day(number)


def test_a_task_finishes_on_its_last_day_of_work():
    calendar = WorkingCalendar(days_off=frozenset({date(2026, 1, 6)}))  # a Tuesday off
    monday = date(2026, 1, 5)
    assert calendar.finish_day(monday, 1) == monday
    assert calendar.finish_day(monday, 3) == date(2026, 1, 8)  # Monday, Wednesday, Thursday
    assert calendar.finish_day(monday, 0) == monday
    assert calendar.finish_day(date(2026, 1, 3), 1) == monday  # from a Saturday: the Monday


def test_a_saturday_plus_nothing_is_the_monday_and_minus_one_the_friday_before():
    calendar = WorkingCalendar()
    saturday = date(2026, 1, 10)
    assert calendar.add_working_days(saturday, 0) == date(2026, 1, 12)
    assert calendar.add_working_days(saturday, -1) == date(2026, 1, 8)
    assert calendar.working_day_on_or_before(saturday) == date(2026, 1, 9)
    assert calendar.next_working_day(date(2026, 1, 9)) == date(2026, 1, 12)


def test_counting_far_from_the_epoch_is_exact():
    calendar = WorkingCalendar(days_off=frozenset({date(2026, 5, 1)}))
    # 2026-05-01 is a Friday: one working day fewer in any span that covers it.
    assert calendar.working_days_between(date(2026, 4, 27), date(2026, 5, 4)) == 4
    far = date(2399, 12, 31)
    assert calendar.day(calendar.ordinal(far)) == calendar.working_day_on_or_after(far)
    assert calendar.day(calendar.ordinal(date(1950, 3, 4))) == date(1950, 3, 6)
    assert calendar.ordinal(EPOCH) == 0


def test_the_engagements_own_days_win_over_the_countrys():
    holiday, makeup, both = date(2026, 10, 1), date(2026, 10, 10), date(2026, 10, 12)
    calendar = WorkingCalendar.layered(
        public_holidays=[holiday, date(2026, 10, 2)],
        makeup_working_days=[makeup],
        extra_working_days=[holiday, both],
        days_off=[makeup, both],
    )
    assert calendar.is_working(holiday)  # the engagement works on a public holiday
    assert not calendar.is_working(makeup)  # and takes a make-up Saturday off
    assert not calendar.is_working(both)  # listed both ways by the engagement: a day off
    assert not calendar.is_working(date(2026, 10, 2))


def test_a_six_day_week_and_a_sunday_to_thursday_week():
    six = WorkingCalendar(workweek=frozenset({0, 1, 2, 3, 4, 5}))
    assert six.is_working(date(2026, 1, 10))  # Saturday
    assert six.add_working_days(date(2026, 1, 9), 1) == date(2026, 1, 10)
    gulf = WorkingCalendar(workweek=frozenset({6, 0, 1, 2, 3}))
    assert gulf.add_working_days(date(2026, 1, 8), 1) == date(2026, 1, 11)  # Thursday + 1 = Sunday


def test_impossible_calendars_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="weekdays 0"):
        WorkingCalendar(workweek=frozenset({7}))
    with pytest.raises(ValueError, match="both a day off and a working day"):
        WorkingCalendar(days_off=frozenset({AROUND}), working_days=frozenset({AROUND}))
    empty = WorkingCalendar(workweek=frozenset())
    assert not empty.has_working_days
    with pytest.raises(ValueError, match="without working weekdays"):
        empty.day(3)
