"""The demo plan's schedule risk: three-point estimates on the tasks still to do (wider for establishing and
trialling processes, where organizations slip most, narrower for fixed steps such as the audits), and one
stored run of 5,000 iterations, so the risk page opens with its dates, charts and critical tasks. Finished
tasks keep their duration and are listed as without an estimate."""

from __future__ import annotations

from certprep.core.actors import Actor
from certprep.planning.models import Plan, RiskRun, Task
from certprep.planning.services.risk import risk_run

SEED = 20_260_301
FIXED_STEPS = ("task:stage1", "task:stage2", "task:book-audits", "task:certificate")


def _estimate(task: Task) -> tuple[int, int]:
    days = task.duration_days
    if task.origin_key in FIXED_STEPS:
        return days, days + max(1, days // 2)
    wide = task.process_code != "" or "trial" in task.origin_key
    return max(days * 8 // 10, 1), days * (18 if wide else 14) // 10 + 1


def load_risk_demo(*, plan: Plan, actor: Actor) -> None:
    if RiskRun.objects.filter(plan=plan).exists():
        return
    tasks = list(
        Task.objects.filter(plan=plan, milestone=False, duration_days__gt=0, children__isnull=True).exclude(
            percent_complete=100
        )
    )
    for task in tasks:
        task.optimistic_days, task.pessimistic_days = _estimate(task)
    Task.objects.bulk_update(tasks, ["optimistic_days", "pessimistic_days"])
    risk_run(plan=plan, actor=actor, iterations=5000, seed=SEED)
