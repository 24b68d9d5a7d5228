"""What goes with a task when it is deleted: the tasks below it, the dependencies that name any of them and the
people assigned to them (a fixed number of queries, whatever the plan's size)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from certprep.planning.models import Assignment, Dependency, Task


def task_descendants(task: Task) -> list[Task]:
    """The tasks below a task, at any depth, in outline order (one query)."""
    tasks = list(Task.objects.filter(plan_id=task.plan_id).order_by("order", "pk").only("pk", "parent_id", "name"))
    below: dict[int | None, list[Task]] = {}
    for other in tasks:
        below.setdefault(other.parent_id, []).append(other)
    found: list[Task] = []
    seen = {task.pk}

    def walk(pk: int) -> None:
        for child in below.get(pk, []):
            if child.pk not in seen:
                seen.add(child.pk)
                found.append(child)
                walk(child.pk)

    walk(task.pk)
    return found


@dataclass(frozen=True)
class TaskRemoval:
    """A task about to be deleted and everything deleted with it."""

    task: Task
    subtasks: list[Task]
    dependencies: list[Dependency]
    assignments: list[Assignment]


def task_removal(task: Task) -> TaskRemoval:
    subtasks = task_descendants(task)
    removed = [task.pk, *(child.pk for child in subtasks)]
    dependencies = list(
        Dependency.objects.filter(Q(predecessor_id__in=removed) | Q(successor_id__in=removed))
        .select_related("predecessor", "successor")
        .order_by("pk")
    )
    assignments = list(
        Assignment.objects.filter(task_id__in=removed).select_related("person", "task").order_by("task__order", "pk")
    )
    return TaskRemoval(task=task, subtasks=subtasks, dependencies=dependencies, assignments=assignments)
