"""A plan imported from MS Project (MSPDI or .mpp): previewed first, then imported in one transaction.

The import replaces the plan's tasks, their dependencies and assignments (and its baselines when the file has
some), sets the plan's start and the calendar's work week and own days from the file, and keeps a PlanImport
with what certprep could not represent. People are matched to the engagement's people by name; a resource
without a match is listed, never created. The plan's version read by the person is checked, so an import
prepared on a stale page is refused with the conflict message. Nothing is written when anything is refused."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ConflictError, ServiceError
from certprep.core.models import AuditEntry
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.people.models import Person
from certprep.planning.choices import ExchangeFormat, TaskOrigin
from certprep.planning.exchange.document import DocCalendar, ProjectDocument
from certprep.planning.exchange.mpp import mpp_to_mspdi
from certprep.planning.exchange.mspdi_read import ReadFile, read_mspdi
from certprep.planning.models import Assignment, Baseline, Calendar, Dependency, Plan, PlanImport, Task
from certprep.planning.scheduling import WorkingCalendar
from certprep.planning.selectors.schedule import working_calendar


@dataclass(frozen=True)
class ImportPreview:
    """What importing the file would do."""

    file_name: str
    format: str
    plan_version: int | None  # the version the import will check; None: the engagement has no plan yet
    replaced_tasks: int
    tasks: int
    dependencies: int
    matched_people: list[str]
    unmatched_resources: list[str]
    baselines: list[int]
    start: datetime.date
    unrepresented: list[str]


def file_format(file_name: str) -> str:
    """MSPDI or .mpp by the file's extension; ServiceError for anything else."""
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension == "xml":
        return ExchangeFormat.MSPDI
    if extension == "mpp":
        return ExchangeFormat.MPP
    raise ServiceError(_("Upload an MS Project XML file (.xml) or an MS Project file (.mpp)."), field="file")


def read_file(data: bytes, file_name: str) -> tuple[str, ReadFile]:
    kind = file_format(file_name)
    return kind, read_mspdi(mpp_to_mspdi(data) if kind == ExchangeFormat.MPP else data)


def _people(engagement: Engagement, document: ProjectDocument) -> tuple[dict[int, Person], list[str]]:
    """The engagement's person for each resource of the file whose name is one person's (case and spaces aside);
    the names of the others."""
    people = list(Person.objects.filter(engagement=engagement))
    names = Counter(" ".join(person.name.split()).casefold() for person in people)
    by_name = {" ".join(person.name.split()).casefold(): person for person in people}
    matched, unmatched = {}, []
    for resource in document.resources:
        key = " ".join(resource.name.split()).casefold()
        if names.get(key) == 1:
            matched[resource.uid] = by_name[key]
        else:
            unmatched.append(resource.name)
    return matched, unmatched


def _unmatched_text(names: list[str]) -> list[str]:
    return [
        _("%(name)s: no person of the engagement has this name, so their assignments were not imported.")
        % {"name": name}
        for name in names
    ]


def plan_import_preview(*, engagement: Engagement, data: bytes, file_name: str) -> ImportPreview:
    """Read the file and say what importing it would replace and what it cannot represent (writes nothing)."""
    kind, read = read_file(data, file_name)
    document = read.document
    plan = Plan.objects.filter(engagement=engagement).first()
    matched, unmatched = _people(engagement, document)
    return ImportPreview(
        file_name=file_name,
        format=kind,
        plan_version=plan.version if plan else None,
        replaced_tasks=Task.objects.filter(plan=plan).count() if plan else 0,
        tasks=len(document.tasks),
        dependencies=sum(len(task.links) for task in document.tasks),
        matched_people=sorted({person.name for person in matched.values()}),
        unmatched_resources=unmatched,
        baselines=sorted({baseline.number for task in document.tasks for baseline in task.baselines}),
        start=document.start,
        unrepresented=[*read.unrepresented, *_unmatched_text(unmatched)],
    )


def _plan(engagement: Engagement, start: datetime.date, expected_version: int | None) -> Plan:
    plan = Plan.objects.filter(engagement=engagement).first()
    if plan is None:
        if expected_version:
            raise ConflictError(_("The plan you saw has been deleted since you opened the page; nothing was imported."))
        return Plan.objects.create(engagement=engagement, start_date=start)
    if expected_version is None:
        raise ServiceError(_("Send the plan's version you read."), field="version")
    plan.start_date = start
    return save_versioned(plan, expected_version=expected_version, fields=["start_date"])


def _calendar(engagement: Engagement, found: DocCalendar, start: datetime.date) -> None:
    """The file's work week and its exceptions, less what the engagement's country already gives."""
    calendar, _created = Calendar.objects.get_or_create(engagement=engagement)
    if not found.workweek:
        raise ServiceError(_("The file's calendar has no working weekday."))
    calendar.workweek = sorted(found.workweek)
    country: WorkingCalendar = working_calendar(
        Calendar(engagement=engagement, country=calendar.country, region=calendar.region, workweek=calendar.workweek),
        start,
    )
    off = {day for day, _name in found.days_off}
    calendar.days_off = sorted(day.isoformat() for day in off if country.is_working(day))
    calendar.extra_working_days = sorted(
        day.isoformat() for day, _name in found.working_days if day not in off and not country.is_working(day)
    )
    save_versioned(calendar, expected_version=calendar.version, fields=["workweek", "days_off", "extra_working_days"])


def _tasks(plan: Plan, document: ProjectDocument) -> dict[int, Task]:
    made = Task.objects.bulk_create(
        Task(
            plan=plan,
            order=(n + 1) * 10,
            outline_level=task.outline_level,
            name=task.name,
            duration_days=0 if task.milestone else task.duration_days,
            milestone=task.milestone,
            effort_hours=task.effort_hours,
            percent_complete=task.percent_complete,
            actual_start=task.actual_start,
            actual_finish=task.actual_finish,
            notes=task.notes,
            constraint_type=task.constraint_type,
            constraint_date=task.constraint_date,
            origin=TaskOrigin.MANUAL,
        )
        for n, task in enumerate(document.tasks)
    )
    by_uid = {task.uid: row for task, row in zip(document.tasks, made, strict=True)}
    parents: list[Task] = []
    for task, row in zip(document.tasks, made, strict=True):
        parents = parents[: task.outline_level - 1]
        if parents:
            row.parent = parents[-1]
        parents.append(row)
    Task.objects.bulk_update([row for row in made if row.parent_id], ["parent"])
    return by_uid


def _baselines(plan: Plan, document: ProjectDocument, by_uid: dict[int, Task]) -> None:
    numbers = sorted({b.number for task in document.tasks for b in task.baselines if 0 <= b.number <= 10})
    if not numbers:
        return
    Baseline.objects.filter(plan=plan).delete()
    now = timezone.now()
    Baseline.objects.bulk_create(
        Baseline(
            plan=plan,
            number=number,
            saved_at=now,
            tasks=[
                {
                    "task": by_uid[task.uid].pk,
                    "wbs": task.wbs,
                    "name": task.name,
                    "start": b.start.isoformat() if b.start else None,
                    "finish": b.finish.isoformat() if b.finish else None,
                    "duration_days": b.duration_days,
                    "effort_hours": b.work_hours,
                    "milestone": task.milestone,
                }
                for task in document.tasks
                for b in task.baselines
                if b.number == number
            ],
        )
        for number in numbers
    )


@transaction.atomic
def plan_import_file(
    *, engagement: Engagement, actor: Actor, data: bytes, file_name: str, expected_version: int | None
) -> PlanImport:
    """Replace the plan's tasks with the file's (see the module's description); the PlanImport kept."""
    kind, read = read_file(data, file_name)
    document = read.document
    plan = _plan(engagement, document.start, expected_version)
    _calendar(engagement, document.calendar, document.start)
    replaced = Task.objects.filter(plan=plan).count()
    Task.objects.filter(plan=plan).delete()
    by_uid = _tasks(plan, document)
    Dependency.objects.bulk_create(
        Dependency(
            plan=plan,
            predecessor=by_uid[link.predecessor],
            successor=by_uid[task.uid],
            type=link.type,
            lag=link.lag,
            lag_unit=link.unit,
        )
        for task in document.tasks
        for link in task.links
    )
    matched, unmatched = _people(engagement, document)
    Assignment.objects.bulk_create(
        Assignment(task=by_uid[item.task], person=matched[item.resource], share=item.units)
        for item in document.assignments
        if item.resource in matched
    )
    _baselines(plan, document, by_uid)
    record = PlanImport.objects.create(
        plan=plan,
        format=kind,
        file_name=file_name[:255],
        imported_by=actor,
        task_count=len(document.tasks),
        unrepresented=[*read.unrepresented, *_unmatched_text(unmatched)],
    )
    audit_record(
        engagement=engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=record,
        values={"file": record.file_name, "tasks": record.task_count, "replaced tasks": replaced},
    )
    return record
