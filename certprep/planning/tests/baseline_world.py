"""A baseline of the small plan of certprep.planning.tests.world, as the isolation walk needs it."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from certprep.planning.models import Baseline
from certprep.planning.tests.world import plan_world


def baseline_world(engagement: Any) -> Baseline:
    """Baseline 0 of the engagement's plan (saved once), holding its two tasks."""
    plan = plan_world(engagement)["plan"]
    baseline, _created = Baseline.objects.get_or_create(
        plan=plan,
        number=0,
        defaults={
            "saved_at": timezone.now(),
            "tasks": [
                {"task": task.pk, "wbs": str(n), "name": task.name, "start": "2027-01-04", "finish": "2027-01-08"}
                for n, task in enumerate(plan.tasks.order_by("order"), 1)
            ],
        },
    )
    return baseline
