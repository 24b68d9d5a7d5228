"""A small plan of an engagement, as the isolation walk and the API tests need it: two tasks, one dependency."""

from __future__ import annotations

import datetime
from typing import Any

from certprep.planning.models import Calendar, Dependency, Plan, Task


def plan_world(engagement: Any) -> dict[str, Any]:
    """The engagement's plan (created once) with a task "Design" followed by a task "Trial"."""
    plan, _created = Plan.objects.get_or_create(
        engagement=engagement, defaults={"start_date": datetime.date(2027, 1, 4)}
    )
    Calendar.objects.get_or_create(engagement=engagement)
    first, _c = Task.objects.get_or_create(plan=plan, name="Design", defaults={"order": 10, "duration_days": 5})
    second, _c = Task.objects.get_or_create(plan=plan, name="Trial", defaults={"order": 20, "duration_days": 10})
    dependency, _c = Dependency.objects.get_or_create(plan=plan, predecessor=first, successor=second)
    return {"plan": plan, "task": first, "successor": second, "dependency": dependency}
