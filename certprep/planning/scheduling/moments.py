"""Moments of working time, as MS Project places task dates within its 8-hour day (no database).

A working day has MS Project's default hours: 08:00-12:00 and 13:00-17:00. A task of one day starts at
08:00 and finishes at 17:00 the same day; its finish-to-start successor starts at 08:00 the next working
day. 17:00 on one working day and 08:00 on the next are the same moment of working time but different
dates, and MS Project keeps them apart: a start is moved to the beginning of the next working period, a
late finish back to the end of the previous one, and a milestone may sit at the end of a period (a
milestone after a one-day task is at 17:00 that day). Half a day of lag from 17:00 ends at 12:00 the
next day, and a task starting there starts at 13:00.

So a moment is encoded as one integer that keeps both the working time and the clock:
``index * STRIDE + clock``, where ``index`` is the working day's ordinal in the calendar and ``clock`` the
seconds after 08:00 on the clock (up to 4 h in the morning; from 5 h to 9 h in the afternoon: 12:00 is
14,400, 13:00 is 18,000, 17:00 is 32,400). Integers compare as the dates do; `work` gives the working
seconds, in which 12:00 and 13:00 (or 17:00 and the next 08:00) are equal. All arithmetic is on integers;
dates are made only for the result. Seconds, not minutes: a lag of a whole per cent of a whole-day task
is a whole number of seconds (1 % of a day is 4.8 minutes), so it is exact; MS Project keeps lags to the
tenth of a minute.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from certprep.planning.scheduling.calendar import WorkingCalendar

DAY = 8 * 3600  # working seconds in a day
MORNING = 4 * 3600  # working seconds before the lunch break
LUNCH = 3600  # seconds of the break on the clock
EVENING = DAY + LUNCH  # clock seconds of 17:00 after 08:00
STRIDE = 100_000  # larger than any clock value, so that encoded moments order as dates
DAY_START = time(8, 0)


def moment(index: int, clock: int) -> int:
    return index * STRIDE + clock


def day_start(index: int) -> int:
    """08:00 on the working day `index`."""
    return index * STRIDE


def day_finish(index: int) -> int:
    """17:00 on the working day `index`."""
    return index * STRIDE + EVENING


def index_of(value: int) -> int:
    return value // STRIDE


def work(value: int) -> int:
    """Working seconds from 08:00 of working day 0 to the moment."""
    index, clock = divmod(value, STRIDE)
    return index * DAY + (clock if clock <= MORNING else clock - LUNCH)


def as_finish(seconds: int) -> int:
    """The moment at `seconds` of working time, written as the end of a period when it falls on a boundary
    (17:00 rather than the next 08:00, 12:00 rather than 13:00), as a calculated finish is."""
    index, offset = divmod(seconds, DAY)
    if offset == 0:
        return day_finish(index - 1)
    return index * STRIDE + (offset if offset <= MORNING else offset + LUNCH)


def as_start(seconds: int) -> int:
    """The moment at `seconds` of working time, written as the beginning of a period on a boundary."""
    index, offset = divmod(seconds, DAY)
    return index * STRIDE + (offset if offset < MORNING else offset + LUNCH)


def shift(value: int, seconds: int) -> int:
    """The moment `seconds` of working time after `value` (before it when negative).

    Going forward the result is written as a finish, going back as a start; no shift leaves the moment
    as it is, boundary and all (MS Project's calendar arithmetic, `ProjectCalendar.getDate` in MPXJ)."""
    if seconds > 0:
        return as_finish(work(value) + seconds)
    if seconds < 0:
        return as_start(work(value) + seconds)
    return value


def next_start(value: int) -> int:
    """The moment as a start: the end of a period becomes the beginning of the next one."""
    clock = value % STRIDE
    if clock == EVENING:
        return value - EVENING + STRIDE
    if clock == MORNING:
        return value + LUNCH
    return value


def previous_finish(value: int) -> int:
    """The moment as a finish: the beginning of a period becomes the end of the previous one."""
    clock = value % STRIDE
    if clock == 0:
        return value - STRIDE + EVENING
    if clock == MORNING + LUNCH:
        return value - LUNCH
    return value


def to_datetime(value: int, calendar: WorkingCalendar) -> datetime:
    """The date and clock time of a moment, on the calendar's working day."""
    index, clock = divmod(value, STRIDE)
    return datetime.combine(calendar.day(index), DAY_START) + timedelta(seconds=clock)


def to_datetimes(values: Iterable[int], calendar: WorkingCalendar) -> dict[int, datetime]:
    """The date and clock time of many moments, their days found together."""
    values = set(values)
    days = calendar.days(value // STRIDE for value in values)
    return {
        value: datetime.combine(days[value // STRIDE], DAY_START) + timedelta(seconds=value % STRIDE)
        for value in values
    }
