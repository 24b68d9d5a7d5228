"""The meeting recurrence (pure): hand-worked cases and properties."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from certprep.organization.recurrence import MAX_OCCURRENCES, add_months, nth_weekday, occurrences

D = datetime.date


def test_weekly_starts_on_the_first_matching_weekday():
    # 2027-01-01 is a Friday; the first Monday on or after it is 2027-01-04.
    days = occurrences(cadence="weekly", weekday=0, first=D(2027, 1, 1), last=D(2027, 1, 31))
    assert days == [D(2027, 1, 4), D(2027, 1, 11), D(2027, 1, 18), D(2027, 1, 25)]


def test_fortnightly_skips_every_other_week():
    days = occurrences(cadence="fortnightly", weekday=2, first=D(2027, 1, 6), last=D(2027, 2, 17))
    assert days == [D(2027, 1, 6), D(2027, 1, 20), D(2027, 2, 3), D(2027, 2, 17)]


def test_monthly_on_the_second_tuesday_and_on_the_last_friday():
    second_tuesdays = occurrences(
        cadence="monthly", weekday=1, week_of_month=2, first=D(2027, 1, 1), last=D(2027, 3, 31)
    )
    assert second_tuesdays == [D(2027, 1, 12), D(2027, 2, 9), D(2027, 3, 9)]
    last_fridays = occurrences(
        cadence="monthly", weekday=4, week_of_month=-1, first=D(2027, 1, 30), last=D(2027, 3, 31)
    )
    # January's last Friday (the 29th) is before the first day: February's and March's remain.
    assert last_fridays == [D(2027, 2, 26), D(2027, 3, 26)]


def test_an_empty_range_gives_nothing_and_the_count_is_bounded():
    assert occurrences(cadence="weekly", weekday=0, first=D(2027, 2, 1), last=D(2027, 1, 1)) == []
    many = occurrences(cadence="weekly", weekday=0, first=D(2000, 1, 1), last=D(2100, 1, 1))
    assert len(many) == MAX_OCCURRENCES == 200


def test_helpers():
    assert nth_weekday(2027, 2, 0, -1) == D(2027, 2, 22)
    assert add_months(D(2027, 8, 31), 6) == D(2028, 2, 29)


@given(
    cadence=st.sampled_from(["weekly", "fortnightly", "monthly"]),
    weekday=st.integers(0, 6),
    week=st.sampled_from([1, 2, 3, 4, -1]),
    first=st.dates(D(2000, 1, 1), D(2100, 1, 1)),
    span=st.integers(-30, 3000),
)
def test_properties(cadence, weekday, week, first, span):
    last = first + datetime.timedelta(days=span)
    days = occurrences(cadence=cadence, weekday=weekday, week_of_month=week, first=first, last=last)
    assert len(days) <= MAX_OCCURRENCES
    assert all(first <= day <= last for day in days)
    assert days == sorted(set(days))
    assert all(day.weekday() == weekday for day in days)
    if cadence == "monthly":
        assert len({(d.year, d.month) for d in days}) == len(days)
        if week != -1:
            assert all((day.day - 1) // 7 + 1 == week for day in days)
        else:
            assert all((day + datetime.timedelta(days=7)).month != day.month for day in days)
    elif len(days) > 1:
        step = 7 if cadence == "weekly" else 14
        assert {(b - a).days for a, b in zip(days, days[1:], strict=False)} == {step}
    if span >= 6 and cadence == "weekly":  # a week always holds the weekday
        assert days
