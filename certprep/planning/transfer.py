"""The plan's section of the engagement file: the plan, its working calendar, its tasks with their assignees, and
the dependencies, exported through the same part models the import validates (certprep.core.parts).

Tasks are referred to by their position in the section's list (a parent comes before its children), people by
their position in the file's people (certprep.people.handovers), improvement topics by their position among
the gap analysis's topics in the file (that section lists them in the order of their ids, and its import
creates them in that order).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice
from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic
from certprep.people.models import Person
from certprep.planning.audit_transfer import BookingPart, bookings_export, bookings_import, bookings_problem
from certprep.planning.choices import ConstraintType, LagUnit, LinkType, TaskOrigin
from certprep.planning.exchange_transfer import MAX_IMPORTS, PlanImportPart, plan_imports_export, plan_imports_import
from certprep.planning.models import Assignment, Calendar, Dependency, Plan, Task
from certprep.planning.risk_transfer import RiskRunPart, risk_runs_check, risk_runs_export, risk_runs_import
from certprep.planning.transfer_baselines import BaselinePart, baseline_parts, baselines_check, baselines_import


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanHeadPart(_Part):
    start_date: datetime.date
    minimum_operating_months: int = Field(3, ge=1, le=24)
    template_version: int = Field(0, ge=0)
    generated_at: datetime.datetime | None = None
    findings_window_days: int = Field(30, ge=1, le=365)
    certification_body: str = Field("", max_length=200)


class CalendarPart(_Part):
    country: str = Field("", max_length=2)
    region: str = Field("", max_length=10)
    workweek: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4], max_length=7)
    days_off: list[datetime.date] = Field(default_factory=list, max_length=5000)
    extra_working_days: list[datetime.date] = Field(default_factory=list, max_length=5000)


class AssignmentPart(_Part):
    person: int = Field(ge=0, description="Position in the file's people.")
    share: int = Field(100, ge=1, le=100)


class TaskPart(_Part):
    parent: int | None = Field(None, ge=0, description="Position of an earlier task of this section.")
    order: int = Field(0, ge=0)
    outline_level: int = Field(1, ge=1, le=100)
    name: str = Field(min_length=1, max_length=300)
    translations: dict[str, dict[str, str]] = Field(default_factory=dict)
    duration_days: int = Field(1, ge=0, le=5000)
    optimistic_days: int | None = Field(None, ge=0, le=5000)
    pessimistic_days: int | None = Field(None, ge=0, le=5000)
    milestone: bool = False
    effort_hours: int | None = Field(None, ge=0)
    percent_complete: int = Field(0, ge=0, le=100)
    actual_start: datetime.date | None = None
    actual_finish: datetime.date | None = None
    notes: str = ""
    constraint_type: Choice[ConstraintType] = ConstraintType.ASAP
    constraint_date: datetime.date | None = None
    origin: Choice[TaskOrigin] = TaskOrigin.MANUAL
    origin_key: str = Field("", max_length=120)
    rule: str = Field("", max_length=60)
    reason: dict[str, Any] = Field(default_factory=dict)
    generated: dict[str, Any] = Field(default_factory=dict)
    topic: int | None = Field(None, ge=0, description="Position among the gap analysis's topics in the file.")
    process_code: str = Field("", max_length=50)
    assignments: list[AssignmentPart] = Field(default_factory=list)


class DependencyPart(_Part):
    predecessor: int = Field(ge=0)
    successor: int = Field(ge=0)
    type: Choice[LinkType] = LinkType.FS
    lag: Decimal = Field(Decimal(0), ge=-10_000, le=10_000, decimal_places=2)
    lag_unit: Choice[LagUnit] = LagUnit.DAYS


class PlanPart(_Part):
    """The plan's section; empty (no plan) for an engagement without one."""

    plan: PlanHeadPart | None = None
    calendar: CalendarPart | None = None
    tasks: list[TaskPart] = Field(default_factory=list)
    dependencies: list[DependencyPart] = Field(default_factory=list)
    baselines: list[BaselinePart] = Field(default_factory=list, max_length=11)
    bookings: list[BookingPart] = Field(default_factory=list)
    risk_runs: list[RiskRunPart] = Field(default_factory=list)
    imports: list[PlanImportPart] = Field(default_factory=list, max_length=MAX_IMPORTS)


TASK_FIELDS = (
    "order",
    "outline_level",
    "name",
    "translations",
    "duration_days",
    "optimistic_days",
    "pessimistic_days",
    "milestone",
    "effort_hours",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "notes",
    "constraint_type",
    "constraint_date",
    "origin",
    "origin_key",
    "rule",
    "reason",
    "generated",
    "process_code",
)
CALENDAR_FIELDS = ("country", "region", "workweek", "days_off", "extra_working_days")


# Export ----------------------------------------------------------------------------------------------------


def _task_parts(tasks: list[Task], people: dict[int, int], topics: dict[int, int]) -> list[TaskPart]:
    position = {task.pk: n for n, task in enumerate(tasks)}
    return [
        TaskPart(
            parent=position.get(task.parent_id) if task.parent_id else None,
            topic=topics.get(task.topic_id) if task.topic_id else None,
            assignments=[
                AssignmentPart(person=people[a.person_id], share=a.share)
                for a in task.assignments.all()
                if a.person_id in people
            ],
            **{name: getattr(task, name) for name in TASK_FIELDS},
        )
        for task in tasks
    ]


def parents_first(tasks: list[Task]) -> list[Task]:
    """The tasks in the plan section's order (each parent before its subtasks, otherwise by id): a task's position
    in the engagement file, by which other sections name it."""
    by_pk = {task.pk: task for task in tasks}
    placed: dict[int, Task] = {}

    def place(task: Task, seen: frozenset[int] = frozenset()) -> None:
        parent = by_pk.get(task.parent_id) if task.parent_id else None
        if parent is not None and parent.pk not in placed and parent.pk not in seen:
            place(parent, seen | {task.pk})
        placed.setdefault(task.pk, task)

    for task in tasks:
        place(task)
    return list(placed.values())


def plan_export(engagement: Engagement, *, people: Sequence[int]) -> dict[str, Any]:
    """The section as JSON-ready data (`people`: the ids of the file's people, in its order)."""
    plan = Plan.objects.filter(engagement=engagement).first()
    calendar = Calendar.objects.filter(engagement=engagement).first()
    part = PlanPart(
        calendar=CalendarPart(**{name: getattr(calendar, name) for name in CALENDAR_FIELDS}) if calendar else None
    )
    if plan is not None:
        part.plan = PlanHeadPart(
            start_date=plan.start_date,
            minimum_operating_months=plan.minimum_operating_months,
            template_version=plan.template_version,
            generated_at=plan.generated_at,
            findings_window_days=plan.findings_window_days,
            certification_body=plan.certification_body,
        )
        tasks = parents_first(list(Task.objects.filter(plan=plan).prefetch_related("assignments").order_by("pk")))
        topic_ids = ImprovementTopic.objects.filter(engagement=engagement).order_by("id").values_list("pk", flat=True)
        part.tasks = _task_parts(
            tasks, {pk: n for n, pk in enumerate(people)}, {pk: n for n, pk in enumerate(topic_ids)}
        )
        position = {task.pk: n for n, task in enumerate(tasks)}
        part.dependencies = [
            DependencyPart(
                predecessor=position[d.predecessor_id],
                successor=position[d.successor_id],
                type=LinkType(d.type),
                lag=d.lag,
                lag_unit=LagUnit(d.lag_unit),
            )
            for d in Dependency.objects.filter(plan=plan).order_by("pk")
        ]
        part.baselines = baseline_parts(plan, position)
        part.bookings = bookings_export(plan, position)
        part.risk_runs = risk_runs_export(plan, position)
        part.imports = plan_imports_export(plan)
    return part.model_dump(mode="json")


# Check and import ------------------------------------------------------------------------------------------


def _refused(message: str) -> ServiceError:
    return ServiceError(_("Plan section: %(problem)s") % {"problem": message})


def plan_check(part: PlanPart, *, people: int | None, topics: int | None) -> None:
    """Refuse a section whose references point nowhere, before anything is written (`people` and `topics`: how
    many the file's people and gap analysis sections list)."""
    if part.plan is None and (part.tasks or part.dependencies):
        raise _refused(_("tasks without a plan."))
    if part.plan is None and part.imports:
        raise _refused(_("imported files without a plan."))
    for n, task in enumerate(part.tasks):
        if task.parent is not None and task.parent >= n:
            raise _refused(_("task %(n)s names a parent that does not come before it.") % {"n": n + 1})
        if any(a.person >= (people or 0) for a in task.assignments):
            raise _refused(_("task %(n)s names a person the file does not have.") % {"n": n + 1})
        if task.topic is not None and task.topic >= (topics or 0):
            raise _refused(_("a task names an improvement topic the file does not have."))
    pairs = set()
    for d in part.dependencies:
        if max(d.predecessor, d.successor) >= len(part.tasks) or d.predecessor == d.successor:
            raise _refused(_("a dependency names a task the section does not have, or a task itself."))
        if (d.predecessor, d.successor) in pairs:
            raise _refused(_("two dependencies between the same tasks."))
        pairs.add((d.predecessor, d.successor))
    if (problem := bookings_problem(part.bookings, len(part.tasks), planned=part.plan is not None)) is not None:
        raise _refused(problem)
    baselines_check(part.baselines, tasks=len(part.tasks), refused=_refused)
    risk_runs_check(part.risk_runs, tasks=len(part.tasks), refused=_refused)
    if part.calendar and any(day not in range(7) for day in part.calendar.workweek):
        raise _refused(_("a working weekday is a number from 0 (Monday) to 6."))


def plan_import(*, engagement: Engagement, part: PlanPart, people: Sequence[Person]) -> None:
    """Write a checked section into the new engagement."""
    if part.calendar is not None:
        values = part.calendar.model_dump(mode="json")
        Calendar.objects.create(engagement=engagement, **values)
    if part.plan is None:
        return
    plan = Plan.objects.create(engagement=engagement, **part.plan.model_dump())
    topics = list(ImprovementTopic.objects.filter(engagement=engagement).order_by("id"))
    tasks: list[Task] = []
    for t in part.tasks:  # one by one: a task's parent is created before it
        values = t.model_dump(include=set(TASK_FIELDS))
        tasks.append(
            Task.objects.create(
                plan=plan,
                parent=tasks[t.parent] if t.parent is not None else None,
                topic=topics[t.topic] if t.topic is not None else None,
                **values,
            )
        )
    Assignment.objects.bulk_create(
        Assignment(task=task, person=people[a.person], share=a.share)
        for task, t in zip(tasks, part.tasks, strict=True)
        for a in t.assignments
    )
    Dependency.objects.bulk_create(
        Dependency(
            plan=plan,
            predecessor=tasks[d.predecessor],
            successor=tasks[d.successor],
            type=d.type,
            lag=d.lag,
            lag_unit=d.lag_unit,
        )
        for d in part.dependencies
    )
    baselines_import(plan=plan, parts=part.baselines, tasks=tasks)
    bookings_import(plan, part.bookings, tasks)
    risk_runs_import(plan=plan, parts=part.risk_runs, tasks=tasks)
    plan_imports_import(plan=plan, parts=part.imports)
