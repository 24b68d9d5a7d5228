"""The comparison's dates and slips as the page shows them, each distinct value written once (a plan of 1,500
tasks has a few hundred distinct dates and a few dozen distinct slips, so the page does not format each cell)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import get_language, ngettext

from certprep.core.dates import day_text
from certprep.planning.baseline_compare import Comparison, TaskSlip


@dataclass(frozen=True)
class Shown:
    """A date or a slip as the page shows it: its text, the machine-readable value and the CSS class."""

    text: str
    value: str = ""
    css: str = ""


NONE = Shown("—")


def _day(day: datetime.date) -> Shown:
    return Shown(day_text(day), day.isoformat())


@lru_cache(maxsize=4096)
def _slip(days: int, language: str | None) -> Shown:
    if days > 0:
        return Shown(ngettext("+%(n)s day", "+%(n)s days", days) % {"n": days}, css="slip late")
    if days < 0:
        return Shown(ngettext("%(n)s day", "%(n)s days", days) % {"n": days}, css="slip early")
    return Shown("0", css="slip")


def shown_day(day: datetime.date | None) -> Shown:
    return NONE if day is None else _day(day)


def shown_slip(days: int | None) -> Shown:
    return NONE if days is None else _slip(days, get_language())


@dataclass(frozen=True)
class ShownRow:
    row: TaskSlip
    cells: tuple[Shown, Shown, Shown, Shown, Shown, Shown]  # baseline start, start, slip, baseline finish, ...


def shown_rows(comparison: Comparison) -> list[ShownRow]:
    return [
        ShownRow(
            row,
            (
                shown_day(row.baseline.start),
                shown_day(row.current.start),
                shown_slip(row.start_slip),
                shown_day(row.baseline.finish),
                shown_day(row.current.finish),
                shown_slip(row.finish_slip),
            ),
        )
        for row in comparison.tasks
    ]
