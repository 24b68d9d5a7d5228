"""Saving the plan's schedule as a baseline (0-10, as MS Project's Baseline and Baseline 1-10) and deleting one.
Overwriting a saved baseline is refused unless the person confirmed it; both are recorded in the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.planning.models import Baseline, Plan, Task
from certprep.planning.selectors.baselines import scheduled_dates

BASELINE_NUMBERS = range(11)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def baseline_entries(plan: Plan) -> list[dict[str, Any]]:
    """The plan as it is scheduled now, one entry per task, in the shape `Baseline.tasks` keeps."""
    current, _calendar = scheduled_dates(plan)
    tasks = {
        task.pk: task
        for task in Task.objects.filter(plan=plan).only("pk", "name", "duration_days", "effort_hours", "milestone")
    }
    return [
        {
            "task": dates.task,
            "wbs": dates.wbs,
            "name": tasks[dates.task].name,
            "start": _iso(dates.start),
            "finish": _iso(dates.finish),
            "duration_days": tasks[dates.task].duration_days,
            "effort_hours": tasks[dates.task].effort_hours,
            "milestone": tasks[dates.task].milestone,
        }
        for dates in current
        if dates.task in tasks
    ]


@transaction.atomic
def baseline_save(
    *,
    plan: Plan,
    actor: Actor,
    number: int,
    name: str = "",
    overwrite: bool = False,
    saved_at: datetime.datetime | None = None,
) -> Baseline:
    """Save the current schedule as baseline `number`; one already saved under that number is replaced only
    when `overwrite` says the person confirmed it."""
    if number not in BASELINE_NUMBERS:
        raise ServiceError(_("A baseline number is 0 to 10."), field="number")
    existing = Baseline.objects.select_for_update().filter(plan=plan, number=number).first()
    if existing is not None and not overwrite:
        raise ServiceError(
            _("Baseline %(number)s was saved on %(date)s. Confirm to replace it with the plan as it is now.")
            % {"number": number, "date": date_format(timezone.localtime(existing.saved_at), "DATE_FORMAT")},
            field="overwrite",
        )
    baseline = existing or Baseline(plan=plan, number=number)
    baseline.name = name.strip()
    baseline.saved_at = saved_at or timezone.now()
    baseline.saved_by = actor
    baseline.tasks = baseline_entries(plan)
    baseline.save()
    audit_record(
        engagement=plan.engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
        obj=baseline,
        values={"number": number, "name": baseline.name, "tasks": len(baseline.tasks)},
    )
    return baseline


@transaction.atomic
def baseline_delete(*, baseline: Baseline, actor: Actor) -> None:
    audit_record(
        engagement=baseline.plan.engagement,
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=baseline,
        values={"number": baseline.number, "name": baseline.name, "tasks": len(baseline.tasks)},
    )
    baseline.delete()
