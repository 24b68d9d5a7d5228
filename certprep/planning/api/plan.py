"""The plan: its start, operating time, span and scheduling problems; generating it."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import InputSchema, IsoDate
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE, VERSION_HELP, sent
from certprep.planning.models import Plan
from certprep.planning.selectors.schedule import plan_schedule
from certprep.planning.services.generation import plan_generate
from certprep.planning.services.tasks import plan_update

router = Router()


class PlanOut(Schema):
    start_date: datetime.date
    minimum_operating_months: int
    template_version: int
    generated_at: datetime.datetime | None
    finish_date: datetime.date | None = Field(description="When the last task finishes, as scheduled.")
    problems: list[str] = Field(description="What the scheduling found wrong, naming the tasks.")
    version: int


class PlanPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    start_date: IsoDate | None = None
    minimum_operating_months: int | None = Field(None, ge=1, le=24)


def plan_out(plan: Plan) -> dict[str, Any]:
    scheduled = plan_schedule(plan)
    return {
        "start_date": plan.start_date,
        "minimum_operating_months": plan.minimum_operating_months,
        "template_version": plan.template_version,
        "generated_at": plan.generated_at,
        "finish_date": scheduled.result.finish.date() if scheduled.result.finish else None,
        "problems": scheduled.problems,
        "version": plan.version,
    }


@router.get(BASE, response={200: PlanOut, **READ}, summary="The plan (404 while it has not been generated)")
def plan_get(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return plan_out(plan)


@router.post(BASE, response={201: PlanOut, **WRITE}, summary="Generate the plan (editors; refused when it has tasks)")
def plan_create(request: SignedInRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    plan = plan_generate(engagement=engagement, actor=request.user)
    return Status(201, plan_out(plan))


@router.patch(BASE, response={200: PlanOut, **VERSIONED}, summary="Change the plan's start or operating time (editors)")
def plan_patch(request: SignedInRequest, engagement_id: int, payload: PlanPatch) -> Any:
    plan, _m = plan_for(request.user, engagement_id, role=Role.EDITOR)
    plan_update(plan=plan, actor=request.user, expected_version=payload.version, **sent(payload))
    return plan_out(plan)
