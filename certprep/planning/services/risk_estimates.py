"""The three-point estimates of many tasks saved at once, from the risk page's estimate table: all or nothing.
Each changed task goes through `task_update` with the version the table was read at, so the rules and the
audit trail are the task form's; a stale row refuses the whole table with the conflict message, and a row
that breaks a rule is named."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.errors import ConflictError, ServiceError
from certprep.planning.models import Plan, Task
from certprep.planning.services.tasks import task_update


@dataclass(frozen=True)
class EstimateChange:
    task: int
    version: int
    optimistic_days: int | None
    pessimistic_days: int | None


@transaction.atomic
def estimates_save(*, plan: Plan, actor: Actor, changes: Sequence[EstimateChange]) -> int:
    """Save the changed estimates; how many tasks changed."""
    tasks = {task.pk: task for task in Task.objects.filter(plan=plan, pk__in=[c.task for c in changes])}
    saved = 0
    for change in changes:
        task = tasks.get(change.task)
        if task is None:
            raise ServiceError(_("A task of the table is no longer in the plan: open the table again."))
        if (task.optimistic_days, task.pessimistic_days) == (change.optimistic_days, change.pessimistic_days):
            continue
        task.plan = plan
        try:
            task_update(
                task=task,
                actor=actor,
                expected_version=change.version,
                optimistic_days=change.optimistic_days,
                pessimistic_days=change.pessimistic_days,
            )
        except ConflictError:
            raise
        except ServiceError as exc:
            if exc.field:  # on the row's field, whose label names the task
                raise ServiceError(exc.message, field=f"{exc.field.split('_')[0]}_{task.pk}") from exc
            raise ServiceError(_("%(task)s: %(problem)s") % {"task": task.name, "problem": exc.message}) from exc
        saved += 1
    return saved
