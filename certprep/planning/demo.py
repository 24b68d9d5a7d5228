"""The demo engagement's plan: generated from what the demo knows (its profile, gap assessments, topics and role
holders), started some weeks ago on a Chinese working calendar, and partly done: what the schedule finishes
before today is complete with its actual dates, what it has under way is partly complete."""

from __future__ import annotations

import datetime

from django.utils import timezone

from certprep.core.actors import Actor
from certprep.engagements.models import Engagement
from certprep.planning.audit_demo import load_audits_demo
from certprep.planning.demo_baselines import load_baseline_demo
from certprep.planning.models import Calendar, Plan, Task
from certprep.planning.risk_demo import load_risk_demo
from certprep.planning.selectors.schedule import plan_schedule
from certprep.planning.services.generation import plan_generate

WEEKS_AGO = 10


def _progress(task: Task, start: datetime.date, finish: datetime.date, today: datetime.date) -> bool:
    """Record what the schedule says happened by today; whether the task changed."""
    if start >= today:
        return False
    task.actual_start = start
    if finish < today:
        task.actual_finish, task.percent_complete = finish, 100
    else:
        elapsed, length = (today - start).days, max((finish - start).days, 1)
        task.percent_complete = min(90, max(10, round(100 * elapsed / length / 10) * 10))
    return True


def load_plan_demo(*, engagement: Engagement, actor: Actor) -> None:
    if Plan.objects.filter(engagement=engagement).exists():
        return
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday() + 7 * WEEKS_AGO)
    Calendar.objects.get_or_create(engagement=engagement, defaults={"country": "CN"})
    plan = plan_generate(engagement=engagement, actor=actor, start_date=monday)
    changed = []
    for row in plan_schedule(plan).rows:
        if row.scheduled is None or row.scheduled.summary:
            continue
        if _progress(row.task, row.scheduled.start.date(), row.scheduled.finish.date(), today):
            changed.append(row.task)
    Task.objects.bulk_update(changed, ["actual_start", "actual_finish", "percent_complete"])
    load_audits_demo(plan=plan, actor=actor)
    load_baseline_demo(plan=plan, actor=actor)
    load_risk_demo(plan=plan, actor=actor)
