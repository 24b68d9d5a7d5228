"""Days written out in the reader's language, for the pages and charts that write hundreds of them (a plan's
table, its Gantt chart, the resources' weeks, a baseline comparison): each (language, format, day) is formatted
once per process. The formats are the language's own (config/formats), which do not change while it runs."""

from __future__ import annotations

import datetime
from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language


@lru_cache(maxsize=16384)
def _written(language: str | None, format_name: str, day: datetime.date) -> str:
    return str(formats.date_format(day, format_name))


def day_text(day: datetime.date, format_name: str = "DATE_FORMAT") -> str:
    """`day` in the active language's `format_name` (DATE_FORMAT, MONTH_DAY_FORMAT, YEAR_MONTH_FORMAT or a
    format string such as "M")."""
    return _written(get_language(), format_name, day)
