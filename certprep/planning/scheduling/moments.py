"""Moments of working time, as MS Project places task dates within its 8-hour day (no database).

A working day has MS Project's default hours: 08:00-12:00 and 13:00-17:00. A task of one day starts at
08:00 and finishes at 17:00 the same day; its finish-to-start successor starts at 08:00 the next working
day. 17:00 on one working day and 08:00 on the next are the same moment of working time but different
dates, and MS Project keeps them apart: a start is moved to the beginning of the next working period, a
late finish back to the end of the previous one, and a milestone may sit at the end of a period (a
milestone after a one-day task is at 17:00 that day). Half a day of lag from 17:00 ends at 12:00 the
next day, and a task starting there starts at 13:00.

So a moment is one integer, ``2 * work + side``: `work` is the working seconds from 08:00 of the calendar's
working day 0, and `side` is 1 for the beginning of a period on a boundary between two periods (08:00,
13:00) and 0 otherwise, for the end of the period before it (17:00 the day before, 12:00) and for any
time inside a period. Integers compare as the dates do (17:00 comes before the next 08:00, 12:00 before
13:00), the working time is ``moment >> 1``, and all arithmetic is on integers; dates are made only for
the result. Seconds, not minutes: a lag of a whole per cent of a whole-day task is a whole number of
seconds (1 % of a day is 4.8 minutes), so it is exact; MS Project keeps lags to the tenth of a minute.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from certprep.planning.scheduling.calendar import WorkingCalendar

DAY = 8 * 3600  # working seconds in a day
MORNING = 4 * 3600  # working seconds before the lunch break; every period boundary is a multiple of it
LUNCH = 3600  # seconds of the break on the clock
EVENING = DAY + LUNCH  # clock seconds of 17:00 after 08:00
DAY_START = time(8, 0)


def day_start(index: int) -> int:
    """08:00 on the working day `index`."""
    return 2 * index * DAY + 1


def day_finish(index: int) -> int:
    """17:00 on the working day `index`."""
    return 2 * (index + 1) * DAY


def work(value: int) -> int:
    """Working seconds from 08:00 of working day 0 to the moment."""
    return value >> 1


def as_finish(seconds: int) -> int:
    """The moment at `seconds` of working time, written as the end of a period when it falls on a boundary
    (17:00 rather than the next 08:00, 12:00 rather than 13:00), as a calculated finish is."""
    return seconds << 1


def as_start(seconds: int) -> int:
    """The moment at `seconds` of working time, written as the beginning of a period on a boundary."""
    return (seconds << 1) | (seconds % MORNING == 0)


def shift(value: int, seconds: int) -> int:
    """The moment `seconds` of working time after `value` (before it when negative).

    Going forward the result is written as a finish, going back as a start; no shift leaves the moment
    as it is, boundary and all (MS Project's calendar arithmetic, `ProjectCalendar.getDate` in MPXJ)."""
    if seconds > 0:
        return ((value >> 1) + seconds) << 1
    if seconds < 0:
        moved = (value >> 1) + seconds
        return (moved << 1) | (moved % MORNING == 0)
    return value


def next_start(value: int) -> int:
    """The moment as a start: the end of a period becomes the beginning of the next one."""
    return value | ((value >> 1) % MORNING == 0)


def previous_finish(value: int) -> int:
    """The moment as a finish: the beginning of a period becomes the end of the previous one."""
    return value & ~1


def index_of(value: int) -> int:
    """The working day the moment's date falls on (17:00 is on the day before the next boundary)."""
    seconds = value >> 1
    index, offset = divmod(seconds, DAY)
    return index - 1 if offset == 0 and not value & 1 else index


def _clock(value: int) -> tuple[int, int]:
    """The working day of a moment and its seconds after 08:00 on the clock."""
    index, offset = divmod(value >> 1, DAY)
    start_side = value & 1
    if offset == 0 and not start_side:
        return index - 1, EVENING
    if offset > MORNING or (offset == MORNING and start_side):
        return index, offset + LUNCH
    return index, offset


def to_datetime(value: int, calendar: WorkingCalendar) -> datetime:
    """The date and clock time of a moment, on the calendar's working day."""
    index, clock = _clock(value)
    return datetime.combine(calendar.day(index), DAY_START) + timedelta(seconds=clock)


def to_datetimes(values: Iterable[int], calendar: WorkingCalendar) -> dict[int, datetime]:
    """The date and clock time of many moments, their days found together."""
    clocks = {value: _clock(value) for value in set(values)}
    days = calendar.days({index for index, _clock_seconds in clocks.values()})
    mornings = {index: datetime.combine(day, DAY_START) for index, day in days.items()}
    offsets = {clock: timedelta(seconds=clock) for clock in {clock for _index, clock in clocks.values()}}
    return {value: mornings[index] + offsets[clock] for value, (index, clock) in clocks.items()}
