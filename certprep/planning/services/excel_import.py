"""Importing the plan from an Excel workbook (certprep.planning.exchange.excel): the file is read and checked
whole first, bounded before any work, and the first problem is refused naming sheet, row and column; people
are matched by name among the engagement's people. Then, after the person has seen the preview, the plan's
tasks are replaced by the file's in one transaction (all or nothing), and the import is kept (PlanImport).

The file carries tasks, their outline, links, constraints, progress, resources and estimates; what a
generated task knew besides (its rule and reason, its improvement topic) is not in a workbook, so the
imported tasks are tasks added by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.models import AuditEntry
from certprep.core.uploads import upload_name
from certprep.core.versioning import save_versioned
from certprep.people.models import Person
from certprep.planning.choices import ExchangeFormat, TaskOrigin
from certprep.planning.exchange.excel import SheetTask, read_tasks, tasks_sheet
from certprep.planning.models import Assignment, Dependency, Plan, PlanImport, Task

ORDER_STEP = 10
ZH = "zh-hans"


@dataclass(frozen=True)
class ExcelPreview:
    """What an import would do: the file's tasks, the people it names, and how many tasks it replaces."""

    file_name: str
    tasks: list[SheetTask]
    people: dict[str, Person]
    replaced: int

    @property
    def names(self) -> list[str]:
        return sorted({person.name for person in self.people.values()}, key=str.casefold)


def _people(plan: Plan, tasks: Sequence[SheetTask]) -> dict[str, Person]:
    """The engagement's people the file names, by name; an unknown or ambiguous name is refused at its cell."""
    by_name: dict[str, list[Person]] = {}
    for person in Person.objects.filter(engagement_id=plan.engagement_id).order_by("pk"):
        by_name.setdefault(person.name.strip().casefold(), []).append(person)
    sheet = tasks_sheet()
    found: dict[str, Person] = {}
    for task in tasks:
        for name, _share in task.resources:
            matches = by_name.get(name.casefold(), [])
            if not matches:
                raise sheet.fail(
                    task.line, "resources", _('"%(name)s" is not one of the engagement\'s people.') % {"name": name}
                )
            if len(matches) > 1:
                raise sheet.fail(
                    task.line,
                    "resources",
                    _('"%(name)s": the engagement has %(n)s people of this name; rename one first.')
                    % {"name": name, "n": len(matches)},
                )
            found[name.casefold()] = matches[0]
    return found


def excel_preview(*, plan: Plan, raw: bytes, filename: str) -> ExcelPreview:
    """Read and check the file without storing anything."""
    tasks = read_tasks(raw, filename)
    people = _people(plan, tasks)
    return ExcelPreview(
        file_name=upload_name(filename),
        tasks=tasks,
        people=people,
        replaced=Task.objects.filter(plan=plan).count(),
    )


def _parents(tasks: Sequence[SheetTask]) -> list[int | None]:
    """Each row's summary task (its index), from the outline levels."""
    parents: list[int | None] = []
    stack: list[int] = []  # indexes of the open summary tasks, one per level
    for index, task in enumerate(tasks):
        del stack[task.level - 1 :]
        parents.append(stack[-1] if stack else None)
        stack.append(index)
    return parents


def _new_tasks(plan: Plan, tasks: Sequence[SheetTask]) -> list[Task]:
    made = Task.objects.bulk_create(
        [
            Task(
                plan=plan,
                order=number * ORDER_STEP,
                outline_level=task.level,
                name=task.name,
                translations={ZH: {"name": task.name_zh}} if task.name_zh else {},
                duration_days=task.duration_days,
                optimistic_days=task.optimistic_days,
                pessimistic_days=task.pessimistic_days,
                milestone=task.milestone,
                percent_complete=task.percent_complete,
                actual_start=task.actual_start,
                actual_finish=task.actual_finish,
                notes=task.notes,
                constraint_type=task.constraint_type,
                constraint_date=task.constraint_date,
                origin=TaskOrigin.MANUAL,
            )
            for number, task in enumerate(tasks, 1)
        ]
    )
    for task, parent in zip(made, _parents(tasks), strict=True):
        task.parent_id = made[parent].pk if parent is not None else None
    Task.objects.bulk_update([task for task in made if task.parent_id], ["parent"])
    return made


@transaction.atomic
def excel_import(
    *, plan: Plan, actor: Actor, raw: bytes, filename: str, expected_version: int
) -> tuple[PlanImport, ExcelPreview]:
    """Replace the plan's tasks by the workbook's. The plan's version is the one the preview was made on: a
    plan changed since is refused (409) and nothing is stored. Returns the import kept and what it read."""
    preview = excel_preview(plan=plan, raw=raw, filename=filename)
    people = preview.people
    save_versioned(plan, expected_version=expected_version, fields=[])
    Task.objects.filter(plan=plan).delete()
    made = _new_tasks(plan, preview.tasks)
    Dependency.objects.bulk_create(
        Dependency(
            plan=plan,
            predecessor=made[link.row - 1],
            successor=made[index],
            type=link.type,
            lag=link.lag,
            lag_unit=link.unit,
        )
        for index, task in enumerate(preview.tasks)
        for link in task.predecessors
    )
    Assignment.objects.bulk_create(
        Assignment(task=made[index], person=people[name.casefold()], share=share)
        for index, task in enumerate(preview.tasks)
        for name, share in task.resources
    )
    imported = PlanImport.objects.create(
        plan=plan,
        format=ExchangeFormat.XLSX,
        file_name=preview.file_name,
        imported_by=actor,
        task_count=len(made),
    )
    audit_record(
        engagement=plan.engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=plan,
        changes={"tasks": [preview.replaced, len(made)], "imported": [None, preview.file_name]},
    )
    return imported, preview
