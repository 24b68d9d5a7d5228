"""The plan's baselines, and the plan now compared with one of them (a fixed number of queries at any plan size)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from certprep.planning.baseline_compare import Comparison, TaskDates, compare
from certprep.planning.models import Baseline, Calendar, Plan
from certprep.planning.selectors.page import plan_page
from certprep.planning.selectors.schedule import working_calendar


def baselines_of(plan: Plan) -> QuerySet[Baseline]:
    """The plan's baselines by number, without their task entries (one query)."""
    return Baseline.objects.filter(plan=plan).select_related("saved_by").defer("tasks").order_by("number")


def _day(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def saved_dates(entry: Mapping[str, Any]) -> TaskDates:
    task = entry.get("task")
    return TaskDates(
        task=task if isinstance(task, int) else None,
        wbs=str(entry.get("wbs", "")),
        name=str(entry.get("name", "")),
        start=_day(entry.get("start")),
        finish=_day(entry.get("finish")),
    )


def baseline_comparison(plan: Plan, baseline: Baseline) -> Comparison:
    """The plan as scheduled now against the baseline, slips counted on the engagement's working calendar."""
    page = plan_page(plan)
    current = [TaskDates(row.task.pk, row.wbs, row.task.tr.name, row.start, row.finish) for row in page.rows]
    calendar = working_calendar(Calendar.objects.filter(engagement_id=plan.engagement_id).first(), plan.start_date)
    return compare([saved_dates(entry) for entry in baseline.tasks], current, calendar.working_days_between)
