"""Moving a task in the outline: indenting makes it a subtask of the task above it (which becomes a summary task),
outdenting moves it up a level, right after its summary task. The tasks below it move with it; the WBS numbers
follow. Each move checks the version read and is recorded in the audit trail.

Unlike MS Project, outdenting does not take the tasks that followed it under the same summary task along as its
subtasks: they stay where they are, so a move never changes more than the task and what is below it."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.versioning import save_versioned
from certprep.planning.models import Task
from certprep.planning.selectors.tasks import task_descendants
from certprep.planning.services.tasks import place_in_outline


def _move(task: Task, actor: Actor, expected_version: int, parent: Task | None, after: Task | None) -> Task:
    before = task.parent.name if task.parent else None
    delta = ((parent.outline_level + 1) if parent else 1) - task.outline_level
    task.order = place_in_outline(task.plan, parent, after)
    task.parent, task.outline_level = parent, task.outline_level + delta
    save_versioned(task, expected_version=expected_version, fields=["parent", "order", "outline_level"])
    below = [child.pk for child in task_descendants(task)]
    if delta and below:
        Task.objects.filter(pk__in=below).update(outline_level=F("outline_level") + delta)
    audit_record(
        engagement=task.plan.engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=task,
        changes={"parent": [before, parent.name if parent else None]},
    )
    return task


@transaction.atomic
def task_indent(*, task: Task, actor: Actor, expected_version: int) -> Task:
    """Make the task a subtask of the task above it under the same summary task (at the end of its subtasks)."""
    siblings = list(Task.objects.filter(plan_id=task.plan_id, parent_id=task.parent_id).order_by("order", "pk"))
    index = next(n for n, sibling in enumerate(siblings) if sibling.pk == task.pk)
    if index == 0:
        raise ServiceError(_("There is no task above it to go under."), field="parent_id")
    above = siblings[index - 1]
    above.plan = task.plan
    return _move(task, actor, expected_version, above, None)


@transaction.atomic
def task_outdent(*, task: Task, actor: Actor, expected_version: int) -> Task:
    """Move the task up a level, right after the summary task it was under."""
    parent = Task.objects.filter(pk=task.parent_id).first() if task.parent_id else None
    if parent is None:
        raise ServiceError(_("The task is at the top level already."), field="parent_id")
    grandparent = Task.objects.filter(pk=parent.parent_id).first() if parent.parent_id else None
    return _move(task, actor, expected_version, grandparent, parent)
