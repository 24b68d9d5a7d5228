"""The plan's baselines: listed, saved (a number already saved is replaced only with overwrite), deleted, and
compared with the plan as it is scheduled now."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, WRITE
from certprep.core.schemas import InputSchema
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE
from certprep.planning.baseline_access import baseline_for
from certprep.planning.baseline_compare import TaskDates
from certprep.planning.models import Baseline
from certprep.planning.selectors.baselines import baseline_comparison, baselines_of
from certprep.planning.services.baselines import baseline_delete, baseline_save

router = Router()
NUMBER = "As MS Project numbers them: 0 is the baseline, 1 to 10 further ones."


class BaselineOut(Schema):
    number: int = Field(description=NUMBER)
    name: str
    saved_at: datetime.datetime
    saved_by: str | None


class BaselineIn(InputSchema):
    number: int = Field(ge=0, le=10, description=NUMBER)
    name: str = Field("", max_length=120)
    overwrite: bool = Field(False, description="Replace a baseline already saved under this number (else 400).")


class TaskDatesOut(Schema):
    task_id: int | None
    wbs: str
    name: str
    start: datetime.date | None
    finish: datetime.date | None


class TaskSlipOut(Schema):
    task_id: int | None
    wbs: str
    name: str
    baseline_start: datetime.date | None
    baseline_finish: datetime.date | None
    start: datetime.date | None
    finish: datetime.date | None
    start_slip_days: int | None = Field(description="Working days; positive is later than the baseline.")
    finish_slip_days: int | None


class ComparisonOut(Schema):
    baseline: BaselineOut
    baseline_finish: datetime.date | None = Field(description="The plan's finish as the baseline saved it.")
    finish: datetime.date | None = Field(description="The plan's finish as scheduled now.")
    finish_slip_days: int | None = Field(description="Working days; positive is later than the baseline.")
    slipped_tasks: int = Field(description="Tasks finishing later than in the baseline.")
    tasks: list[TaskSlipOut]
    added: list[TaskDatesOut] = Field(description="Tasks added since the baseline was saved.")
    removed: list[TaskDatesOut] = Field(description="Tasks in the baseline no longer in the plan.")


def baseline_out(baseline: Baseline) -> dict[str, Any]:
    return {
        "number": baseline.number,
        "name": baseline.name,
        "saved_at": baseline.saved_at,
        "saved_by": baseline.saved_by.get_username() if baseline.saved_by else None,
    }


def _dates(task: TaskDates) -> dict[str, Any]:
    return {"task_id": task.task, "wbs": task.wbs, "name": task.name, "start": task.start, "finish": task.finish}


@router.get(BASE + "/baselines", response={200: list[BaselineOut], **READ}, summary="The plan's baselines")
def baseline_list(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return [baseline_out(baseline) for baseline in baselines_of(plan)]


@router.post(
    BASE + "/baselines",
    response={201: BaselineOut, **WRITE},
    summary="Save the plan as scheduled now as a baseline (editors)",
)
def baseline_create(request: SignedInRequest, engagement_id: int, payload: BaselineIn) -> Any:
    plan, _m = plan_for(request.user, engagement_id, role=Role.EDITOR)
    baseline = baseline_save(
        plan=plan, actor=request.user, number=payload.number, name=payload.name, overwrite=payload.overwrite
    )
    return Status(201, baseline_out(baseline))


@router.get(
    BASE + "/baselines/{baseline_number}",
    response={200: ComparisonOut, **READ},
    summary="The plan now against a baseline: slips, tasks added and removed",
)
def baseline_compare(request: HttpRequest, engagement_id: int, baseline_number: int) -> Any:
    baseline, _m = baseline_for(request.user, engagement_id, baseline_number)
    result = baseline_comparison(baseline.plan, baseline)
    return {
        "baseline": baseline_out(baseline),
        "baseline_finish": result.baseline_finish,
        "finish": result.current_finish,
        "finish_slip_days": result.finish_slip,
        "slipped_tasks": result.slipped,
        "tasks": [
            {
                **_dates(row.current),
                "baseline_start": row.baseline.start,
                "baseline_finish": row.baseline.finish,
                "start_slip_days": row.start_slip,
                "finish_slip_days": row.finish_slip,
            }
            for row in result.tasks
        ],
        "added": [_dates(task) for task in result.added],
        "removed": [_dates(task) for task in result.removed],
    }


@router.delete(
    BASE + "/baselines/{baseline_number}", response={204: None, **WRITE}, summary="Delete a baseline (editors)"
)
def baseline_destroy(request: SignedInRequest, engagement_id: int, baseline_number: int) -> Any:
    baseline, _m = baseline_for(request.user, engagement_id, baseline_number, role=Role.EDITOR)
    baseline_delete(baseline=baseline, actor=request.user)
    return Status(204, None)
