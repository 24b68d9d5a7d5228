"""When a meeting series meets (pure, no database): the days of a weekly, fortnightly or monthly (n-th weekday)
series between two dates, in order, never more than MAX_OCCURRENCES.

A weekly or fortnightly series meets first on the first day on or after `first` that falls on its weekday, and
then every 7 or 14 days; a monthly one on the n-th (or last) such weekday of each month."""

from __future__ import annotations

import calendar
import datetime

MAX_OCCURRENCES = 200
STEPS = {"weekly": 7, "fortnightly": 14}


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date | None:
    """The n-th (1-4) or last (n = -1) `weekday` (0 Monday) of a month; None when the month has no such day."""
    days = [day for day in calendar.Calendar().itermonthdates(year, month) if day.month == month]
    matching = [day for day in days if day.weekday() == weekday]
    if n == -1:
        return matching[-1]
    return matching[n - 1] if 1 <= n <= len(matching) else None


def occurrences(
    *,
    cadence: str,
    weekday: int,
    first: datetime.date,
    last: datetime.date,
    week_of_month: int = 1,
    limit: int = MAX_OCCURRENCES,
) -> list[datetime.date]:
    """The series' days from `first` to `last` (both included), in order, at most `limit` (and MAX_OCCURRENCES)."""
    limit = min(limit, MAX_OCCURRENCES)
    if last < first or limit <= 0:
        return []
    found: list[datetime.date] = []
    if cadence in STEPS:
        day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
        step = datetime.timedelta(days=STEPS[cadence])
        while day <= last and len(found) < limit:
            found.append(day)
            day += step
        return found
    if cadence != "monthly":
        raise ValueError(f"unknown cadence {cadence!r}")
    year, month = first.year, first.month
    while len(found) < limit:
        day_or_none = nth_weekday(year, month, weekday, week_of_month)
        if day_or_none is not None and day_or_none > last:
            break
        if day_or_none is not None and day_or_none >= first:
            found.append(day_or_none)
        if (year, month) >= (last.year, last.month):
            break
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
