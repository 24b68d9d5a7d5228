"""The demo plan's baseline: baseline 0 saved as the plan stood when it was generated (its start), and one task
under way that has since run a week longer than planned, so the comparison shows what slipped."""

from __future__ import annotations

import datetime

from django.utils import timezone

from certprep.core.actors import Actor
from certprep.planning.models import Baseline, Plan
from certprep.planning.selectors.schedule import plan_schedule
from certprep.planning.services.baselines import baseline_save
from certprep.planning.services.tasks import task_update

LATE_DAYS = 5


def load_baseline_demo(*, plan: Plan, actor: Actor) -> None:
    if Baseline.objects.filter(plan=plan).exists():
        return
    saved_at = timezone.make_aware(datetime.datetime.combine(plan.start_date, datetime.time(9)))
    baseline_save(plan=plan, actor=actor, number=0, name="", saved_at=saved_at)
    under_way = [
        row
        for row in plan_schedule(plan).rows
        if row.scheduled is not None and not row.scheduled.summary and 0 < row.task.percent_complete < 100
    ]
    if not under_way:
        return
    late = next((row.task for row in under_way if row.scheduled and row.scheduled.critical), under_way[0].task)
    longer = late.duration_days + LATE_DAYS
    # A pessimistic estimate below the new duration would be refused: it grows with it (None stays None).
    pessimistic = max(longer, late.pessimistic_days) if late.pessimistic_days is not None else None
    task_update(
        task=late, actor=actor, expected_version=late.version, duration_days=longer, pessimistic_days=pessimistic
    )
