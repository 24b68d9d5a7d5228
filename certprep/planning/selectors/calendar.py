"""The working calendar page's reading: the countries whose public holidays are known, and the days off coming
up on the engagement's calendar."""

from __future__ import annotations

import datetime
import re
from functools import cache

import holidays
from django.utils import timezone
from django.utils.translation import get_language
from holidays import registry

from certprep.planning.models import Calendar
from certprep.planning.scheduling.public_holidays import country_days, supported_countries

UPCOMING_DAYS = 366


@cache
def country_choices() -> list[tuple[str, str]]:
    """(ISO code, "Name (code)") of every country `holidays` knows, by name."""
    names = {entry[1]: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0]) for entry in registry.COUNTRIES.values()}
    return sorted(
        ((code, f"{names.get(code, code)} ({code})") for code in supported_countries()), key=lambda pair: pair[1]
    )


def _holiday_language(country: str) -> str | None:
    """The reader's language for the holidays' names, when `holidays` has it for this country."""
    wanted = "zh_CN" if (get_language() or "").startswith("zh") else "en_US"
    return wanted if wanted in holidays.list_localized_countries().get(country, []) else None


def upcoming_days_off(calendar: Calendar) -> list[tuple[datetime.date, str]]:
    """The public holidays and own days off of the coming year, with the holiday's name ("" for an own day)."""
    today = timezone.localdate()
    until = today + datetime.timedelta(days=UPCOMING_DAYS)
    days: dict[datetime.date, str] = {}
    if calendar.country:
        try:
            found = country_days(
                calendar.country,
                years=range(today.year, until.year + 1),
                subdivision=calendar.region or None,
                language=_holiday_language(calendar.country),
            )
        except ValueError:
            found = None
        if found is not None:
            days.update(found.holidays)
    for text in calendar.days_off:
        days.setdefault(datetime.date.fromisoformat(text), "")
    return sorted((day, name) for day, name in days.items() if today <= day <= until)
