"""A working calendar in whole days, and working-day arithmetic over it (no database).

A day is worked when its weekday is in the work week and it is not a day off, or when it is listed as a
working day (a make-up working day of the country, an extra working day of the engagement). Each working
day has MS Project's default hours, 08:00-12:00 and 13:00-17:00: eight hours, the day durations and lags
are counted in.

`WorkingCalendar.layered` builds a calendar from its two layers: the country's public holidays and make-up
working days (see `public_holidays.country_days`), then the engagement's own days off and extra working
days, which win over the country's. A date the engagement lists both as a day off and as an extra working
day is a day off: certprep never plans work on a day someone said is off.

Working days are numbered: `ordinal(day)` is the number of working days from a fixed epoch to `day`
(negative before it), which is also the number of the first working day on or after `day`. Counting is
arithmetic on whole weeks plus a correction for each listed date before `day`, so it costs the same for a
date next week and one in a century, and nothing loops over days.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

EPOCH = date(2001, 1, 1)  # a Monday; working-day ordinals count from here
WEEKDAYS = range(7)  # Monday = 0 ... Sunday = 6, as date.weekday()
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are worked: a work week, the days off in it and the working days outside it.

    `days_off` and `working_days` must not share a date (use `layered` to resolve layers); a day off on a
    weekday outside the work week, or a working day inside it, changes nothing."""

    workweek: frozenset[int] = MONDAY_TO_FRIDAY
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()
    # Dates whose status differs from the work week, sorted, and the running sum of their effect (+1 a
    # working day outside the week, -1 a day off inside it) up to and including each.
    _exceptions: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _running: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _week_prefix: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _dates: dict[int, date] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "workweek", frozenset(self.workweek))
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "working_days", frozenset(self.working_days))
        if not self.workweek <= set(WEEKDAYS):
            raise ValueError("A work week holds weekdays 0 (Monday) to 6 (Sunday).")
        if self.days_off & self.working_days:
            raise ValueError("A date cannot be both a day off and a working day; build with WorkingCalendar.layered.")
        effects = {day: -1 for day in self.days_off if day.weekday() in self.workweek}
        effects.update({day: 1 for day in self.working_days if day.weekday() not in self.workweek})
        exceptions = tuple(sorted(effects))
        running, total = [], 0
        for day in exceptions:
            total += effects[day]
            running.append(total)
        # Pattern working days among the first r days of a week that starts on the epoch's weekday (Monday).
        prefix = [0]
        for weekday in WEEKDAYS:
            prefix.append(prefix[-1] + (weekday in self.workweek))
        object.__setattr__(self, "_exceptions", exceptions)
        object.__setattr__(self, "_running", tuple(running))
        object.__setattr__(self, "_week_prefix", tuple(prefix))
        object.__setattr__(self, "_dates", {})

    @classmethod
    def layered(
        cls,
        *,
        workweek: Iterable[int] = MONDAY_TO_FRIDAY,
        public_holidays: Iterable[date] = (),
        makeup_working_days: Iterable[date] = (),
        days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> WorkingCalendar:
        """The calendar of an engagement: the country's layer, then the engagement's own, which wins.

        Later layers win over earlier ones: public holidays, then make-up working days, then the
        engagement's extra working days, then its days off."""
        working: dict[date, bool] = {}
        for days, worked in (
            (public_holidays, False),
            (makeup_working_days, True),
            (extra_working_days, True),
            (days_off, False),
        ):
            for day in days:
                working[day] = worked
        return cls(
            workweek=frozenset(workweek),
            days_off=frozenset(day for day, worked in working.items() if not worked),
            working_days=frozenset(day for day, worked in working.items() if worked),
        )

    @property
    def has_working_days(self) -> bool:
        """Whether the work week holds a day: without one, no duration can be counted to its end."""
        return bool(self.workweek)

    def is_working(self, day: date) -> bool:
        if day in self.days_off:
            return False
        return day in self.working_days or day.weekday() in self.workweek

    def ordinal(self, day: date) -> int:
        """Working days from the epoch (inclusive) to `day` (exclusive), negative before the epoch.

        It is also the number of the first working day on or after `day`."""
        weeks, rest = divmod((day - EPOCH).days, 7)
        pattern = weeks * len(self.workweek) + self._week_prefix[rest]
        before = bisect_left(self._exceptions, day)
        return pattern + (self._running[before - 1] if before else 0)

    def ordinal_on_or_before(self, day: date) -> int:
        """The number of the last working day on or before `day`."""
        return self.ordinal(day + timedelta(days=1)) - 1

    def day(self, ordinal: int) -> date:
        """The working day numbered `ordinal` (see `ordinal`)."""
        found = self._dates.get(ordinal)
        if found is not None:
            return found
        if not self.workweek:
            raise ValueError("A calendar without working weekdays has no working day to count to.")
        # The working day is the last day whose ordinal is `ordinal`: bracket it from an estimate, then bisect.
        per_week = len(self.workweek)
        estimate = _plus(EPOCH, ordinal * 7 // per_week)
        step = 7 + 7 * (len(self._exceptions) // per_week + 1)
        low = _plus(estimate, -step)
        while self.ordinal(low) > ordinal:
            if low == date.min:
                raise OverflowError("The working day is before the year 1.")
            low, step = _plus(low, -step), step * 2
        high = _plus(estimate, step)
        while self.ordinal(high) <= ordinal:
            if high == date.max:
                if self.ordinal(high) == ordinal and self.is_working(high):
                    return high
                raise OverflowError("The working day is after the year 9999.")
            high, step = _plus(high, step), step * 2
        # ordinal(low) <= ordinal < ordinal(high): the day sought is in [low, high).
        while (high - low).days > 1:
            middle = low + (high - low) // 2
            if self.ordinal(middle) <= ordinal:
                low = middle
            else:
                high = middle
        self._dates[ordinal] = low
        return low

    def days(self, ordinals: Iterable[int]) -> dict[int, date]:
        """The working days numbered `ordinals`, at once: near numbers are reached by walking from the one
        before, far ones by `day`'s search (a schedule's dates are mostly a few weeks apart)."""
        found: dict[int, date] = {}
        previous: tuple[int, date] | None = None
        for ordinal in sorted(set(ordinals)):
            if previous is None or ordinal - previous[0] > 64:
                day = self.day(ordinal)
            else:
                number, day = previous
                while number < ordinal:
                    day += timedelta(days=1)
                    number += self.is_working(day)
            found[ordinal] = day
            previous = (ordinal, day)
        return found

    # --- working-day arithmetic in whole days ------------------------------------------------------------

    def working_day_on_or_after(self, day: date) -> date:
        return self.day(self.ordinal(day))

    def working_day_on_or_before(self, day: date) -> date:
        return self.day(self.ordinal_on_or_before(day))

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        return self.day(self.ordinal(day + timedelta(days=1)))

    def previous_working_day(self, day: date) -> date:
        """The last working day before `day`."""
        return self.day(self.ordinal(day) - 1)

    def add_working_days(self, day: date, days: int) -> date:
        """The working day `days` working days after `day` (before it when negative).

        `day` counts from itself when worked; otherwise from the next working day going forward and the
        previous one going back, so adding 0 to a Saturday gives the Monday."""
        start = self.ordinal(day) if days >= 0 else self.ordinal_on_or_before(day)
        return self.day(start + days)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days from `start` (inclusive) to `end` (exclusive); negative when `end` is earlier."""
        return self.ordinal(end) - self.ordinal(start)

    def finish_day(self, start: date, duration: int) -> date:
        """The last day of work of a task of `duration` working days starting on `start` (or the next
        working day); a milestone (0 days) finishes on the day it starts."""
        return self.day(self.ordinal(start) + max(duration - 1, 0))


def _plus(day: date, days: int) -> date:
    """`day` moved by `days`, held within the dates Python can write."""
    if days >= 0:
        return day + timedelta(days=days) if days < (date.max - day).days else date.max
    return day + timedelta(days=days) if -days < (day - date.min).days else date.min
