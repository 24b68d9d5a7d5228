"""A country's public holidays and make-up working days, from the `holidays` package (no database).

Some countries move working days around their holidays: in China a long holiday is paid for by working a
weekend day before or after it (调休), so the Sunday 26 January 2025 was a working day. `holidays` knows
those days for the countries that have them (`weekend_workdays`); they become working days of the
calendar, the holidays its days off. Countries whose weekend is not Saturday and Sunday get their own work
week too (Israel works Sunday to Thursday).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import holidays

from certprep.planning.scheduling.calendar import WEEKDAYS, WorkingCalendar


@dataclass(frozen=True)
class CountryDays:
    """The country's layer of a working calendar for some years."""

    country: str
    subdivision: str | None
    weekend: frozenset[int]  # weekdays, Monday = 0
    holidays: Mapping[date, str]  # public holidays and their names
    makeup_working_days: frozenset[date]  # weekend days worked in exchange for a holiday

    @property
    def workweek(self) -> frozenset[int]:
        return frozenset(WEEKDAYS) - self.weekend

    def calendar(
        self,
        *,
        workweek: Iterable[int] | None = None,
        days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
    ) -> WorkingCalendar:
        """The working calendar of an engagement in this country: the country's week (or `workweek`), its
        holidays and make-up days, then the engagement's own days off and extra working days."""
        return WorkingCalendar.layered(
            workweek=self.workweek if workweek is None else workweek,
            public_holidays=self.holidays,
            makeup_working_days=self.makeup_working_days,
            days_off=days_off,
            extra_working_days=extra_working_days,
        )


def supported_countries() -> dict[str, tuple[str, ...]]:
    """Country codes (ISO 3166-1 alpha-2) `holidays` knows, each with its subdivision codes."""
    return {code: tuple(subdivisions) for code, subdivisions in holidays.list_supported_countries().items()}


def country_days(
    country: str, *, years: Iterable[int], subdivision: str | None = None, language: str | None = None
) -> CountryDays:
    """The public holidays and make-up working days of `country` (and `subdivision`) in `years`, holiday
    names in `language` when `holidays` has it (e.g. "en_US", "zh_CN"), else the country's own.

    Raises ValueError for a country or subdivision `holidays` does not know."""
    wanted = sorted(set(years))
    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=wanted, language=language)
    except NotImplementedError as error:
        raise ValueError(str(error)) from error
    in_years = set(wanted)
    return CountryDays(
        country=country,
        subdivision=subdivision,
        weekend=frozenset(found.weekend),
        holidays={day: str(name) for day, name in sorted(found.items()) if day.year in in_years},
        makeup_working_days=frozenset(day for day in found.weekend_workdays if day.year in in_years),
    )
