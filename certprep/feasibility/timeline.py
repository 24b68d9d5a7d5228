"""When stage 1 and stage 2 can be, judged by the current maturity: plain functions, no database.

A less mature organization needs longer to build its service management system and a longer trial operation
before a certification body will find enough records at stage 1. The months below are this tool's own rule of
thumb (shown on the page); stage 2 follows stage 1 after the window to close its findings."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

# maturity level (1-5) -> (months to build the system, months of trial operation before stage 1)
MONTHS_BY_MATURITY: dict[int, tuple[int, int]] = {1: (9, 6), 2: (7, 5), 3: (5, 4), 4: (3, 3), 5: (2, 3)}
FINDINGS_WINDOW_DAYS = 42  # when the plan names none


def maturity_level(readiness_percent: float | None, itil_signal: int | None) -> int | None:
    """The gap analysis's readiness (0-100 %) on the 1-5 scale when there is one, else the profile's ITIL adoption."""
    if readiness_percent is not None:
        return max(1, min(5, 1 + int(readiness_percent // 20)))
    return itil_signal


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Timeline:
    maturity: int | None
    build_months: int
    trial_months: int
    start: datetime.date
    stage1: datetime.date | None
    stage2: datetime.date | None
    plan_stage1: datetime.date | None
    plan_stage2: datetime.date | None

    @property
    def stage1_early_days(self) -> int | None:
        """How many days the plan's stage 1 comes before the proposal's (negative: after it); None without both."""
        if self.stage1 is None or self.plan_stage1 is None:
            return None
        return (self.stage1 - self.plan_stage1).days


def propose_timeline(
    *,
    maturity: int | None,
    start: datetime.date,
    findings_window_days: int | None,
    plan_stage1: datetime.date | None,
    plan_stage2: datetime.date | None,
) -> Timeline:
    """The proposed stage dates from `start` (the plan's start, or today without a plan); none without a maturity."""
    if maturity is None:
        return Timeline(None, 0, 0, start, None, None, plan_stage1, plan_stage2)
    build, trial = MONTHS_BY_MATURITY[max(1, min(5, maturity))]
    stage1 = add_months(start, build + trial)
    window = findings_window_days if findings_window_days else FINDINGS_WINDOW_DAYS
    stage2 = stage1 + datetime.timedelta(days=window)
    return Timeline(maturity, build, trial, start, stage1, stage2, plan_stage1, plan_stage2)
