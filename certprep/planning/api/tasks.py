"""The plan's tasks with their schedule; changing one."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema, IsoDate, VersionQuery
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for, task_for, task_named
from certprep.planning.api.common import BASE, VERSION_HELP, sent
from certprep.planning.choices import ConstraintType
from certprep.planning.selectors.page import PageRow, plan_page
from certprep.planning.services.task_outline import task_indent, task_outdent
from certprep.planning.services.tasks import task_add, task_delete, task_update

router = Router()
OPTIMISTIC_HELP = (
    "Three-point estimate for the schedule risk analysis: working days if everything goes well (at most the "
    "duration, which is the most likely figure)."
)
PESSIMISTIC_HELP = "Three-point estimate: working days if much goes wrong (at least the duration)."


class TaskOut(Schema):
    id: int
    row: int = Field(description="The task's row (MS Project's ID) in outline order.")
    wbs: str
    parent_id: int | None
    name: str
    name_zh: str
    duration_days: int
    optimistic_days: int | None = Field(description=OPTIMISTIC_HELP)
    pessimistic_days: int | None = Field(description=PESSIMISTIC_HELP)
    milestone: bool
    percent_complete: int
    actual_start: datetime.date | None
    actual_finish: datetime.date | None
    constraint_type: str
    constraint_date: datetime.date | None
    notes: str
    start: datetime.date | None = Field(description="As scheduled on the working calendar.")
    finish: datetime.date | None
    total_float_days: float | None
    critical: bool
    summary: bool
    predecessors: str = Field(description='By row, in MS Project notation: "3FS+2d;5SS".')
    assignees: list[str]
    origin: str
    rule: str
    why: str = Field(description="Why a generated task is there and lasts what it lasts.")
    version: int


class TaskPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    name: str | None = Field(None, min_length=1, max_length=300)
    name_zh: str | None = Field(None, max_length=300)
    duration_days: int | None = Field(None, ge=0, le=5000)
    optimistic_days: int | None = Field(None, ge=0, le=5000, description=OPTIMISTIC_HELP + " null clears it.")
    pessimistic_days: int | None = Field(None, ge=0, le=5000, description=PESSIMISTIC_HELP + " null clears it.")
    milestone: bool | None = None
    percent_complete: int | None = Field(None, ge=0, le=100)
    actual_start: IsoDate | None = None
    actual_finish: IsoDate | None = None
    constraint_type: Choice[ConstraintType] | None = None
    constraint_date: IsoDate | None = None
    notes: str | None = Field(None, max_length=20_000)


class TaskIn(InputSchema):
    name: str = Field(min_length=1, max_length=300)
    name_zh: str = Field("", max_length=300)
    parent_id: int | None = Field(None, ge=1, description="The summary task it goes below; null: the top level.")
    after_id: int | None = Field(
        None, ge=1, description="A task under the same summary task to place it after; null: at the end."
    )
    duration_days: int = Field(1, ge=0, le=5000)
    milestone: bool = False


class TaskMove(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)


def task_out(row: PageRow) -> dict[str, Any]:
    task = row.task
    return {
        "id": task.pk,
        "row": row.number,
        "wbs": row.wbs,
        "parent_id": task.parent_id,
        "name": task.name,
        "name_zh": (task.translations.get("zh-hans") or {}).get("name", ""),
        **{
            name: getattr(task, name)
            for name in (
                "duration_days",
                "optimistic_days",
                "pessimistic_days",
                "milestone",
                "percent_complete",
                "actual_start",
                "actual_finish",
                "constraint_type",
                "constraint_date",
                "notes",
                "origin",
                "rule",
                "version",
            )
        },
        "start": row.start,
        "finish": row.finish,
        "total_float_days": row.total_float_days,
        "critical": row.critical,
        "summary": row.summary,
        "predecessors": row.predecessors,
        "assignees": row.assignees,
        "why": row.why,
    }


@router.get(BASE + "/tasks", response={200: list[TaskOut], **READ}, summary="The tasks in outline order, scheduled")
def task_list(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return [task_out(row) for row in plan_page(plan).rows]


def _one(plan: Any, task_id: int) -> dict[str, Any]:
    return task_out(next(row for row in plan_page(plan).rows if row.task.pk == task_id))


@router.get(BASE + "/tasks/{task_id}", response={200: TaskOut, **READ}, summary="One task, scheduled")
def task_get(request: HttpRequest, engagement_id: int, task_id: int) -> Any:
    task, _m = task_for(request.user, engagement_id, task_id)
    return _one(task.plan, task.pk)


@router.patch(
    BASE + "/tasks/{task_id}",
    response={200: TaskOut, **VERSIONED},
    summary="Change a task (editors; send the version you read; null clears the actual and constraint dates)",
)
def task_patch(request: SignedInRequest, engagement_id: int, task_id: int, payload: TaskPatch) -> Any:
    task, _m = task_for(request.user, engagement_id, task_id, role=Role.EDITOR)
    changes = sent(payload)
    name_zh = changes.pop("name_zh", None)
    task_update(task=task, actor=request.user, expected_version=payload.version, name_zh=name_zh, **changes)
    return _one(task.plan, task.pk)


@router.post(
    BASE + "/tasks",
    response={201: TaskOut, **WRITE},
    summary="Add a task by hand (editors): below a summary task, after one of its tasks",
)
def task_create(request: SignedInRequest, engagement_id: int, payload: TaskIn) -> Any:
    plan, _m = plan_for(request.user, engagement_id, role=Role.EDITOR)
    parent = task_named(plan.engagement, payload.parent_id, field="parent_id") if payload.parent_id else None
    after = task_named(plan.engagement, payload.after_id, field="after_id") if payload.after_id else None
    task = task_add(
        plan=plan,
        actor=request.user,
        name=payload.name,
        name_zh=payload.name_zh,
        parent=parent,
        after=after,
        duration_days=payload.duration_days,
        milestone=payload.milestone,
    )
    return Status(201, _one(plan, task.pk))


@router.delete(
    BASE + "/tasks/{task_id}",
    response={204: None, **VERSIONED},
    summary="Delete a task with the tasks below it, their dependencies and assignments (editors)",
)
def task_destroy(request: SignedInRequest, engagement_id: int, task_id: int, query: Query[VersionQuery]) -> Any:
    task, _m = task_for(request.user, engagement_id, task_id, role=Role.EDITOR)
    task_delete(task=task, actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.post(
    BASE + "/tasks/{task_id}/indent",
    response={200: TaskOut, **VERSIONED},
    summary="Put a task under the task above it, which becomes a summary task (editors)",
)
def task_indent_api(request: SignedInRequest, engagement_id: int, task_id: int, payload: TaskMove) -> Any:
    task, _m = task_for(request.user, engagement_id, task_id, role=Role.EDITOR)
    task_indent(task=task, actor=request.user, expected_version=payload.version)
    return _one(task.plan, task.pk)


@router.post(
    BASE + "/tasks/{task_id}/outdent",
    response={200: TaskOut, **VERSIONED},
    summary="Move a task up a level, right after its summary task (editors)",
)
def task_outdent_api(request: SignedInRequest, engagement_id: int, task_id: int, payload: TaskMove) -> Any:
    task, _m = task_for(request.user, engagement_id, task_id, role=Role.EDITOR)
    task_outdent(task=task, actor=request.user, expected_version=payload.version)
    return _one(task.plan, task.pk)
