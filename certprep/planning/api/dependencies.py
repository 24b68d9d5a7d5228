"""The dependencies between the plan's tasks: listed, added to a task, removed."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema
from certprep.engagements.choices import Role
from certprep.planning.access import dependency_for, plan_for, task_named
from certprep.planning.api.common import BASE
from certprep.planning.choices import LagUnit, LinkType
from certprep.planning.models import Dependency
from certprep.planning.services.tasks import PredecessorLink, dependency_add, dependency_remove

router = Router()


class DependencyOut(Schema):
    id: int
    predecessor_id: int
    successor_id: int
    type: str = Field(description="FS, SS, FF or SF.")
    lag: float = Field(description="Working days, or per cent of the predecessor's duration; negative overlaps.")
    lag_unit: str = Field(description='"d" or "%".')


class DependencyIn(InputSchema):
    predecessor_id: int = Field(ge=1)
    successor_id: int = Field(ge=1)
    type: Choice[LinkType] = LinkType.FS
    lag: float = Field(0, ge=-10_000, le=10_000)
    lag_unit: Choice[LagUnit] = LagUnit.DAYS
    version: int = Field(ge=1, description="The successor task's version you read; a stale one gives 409.")


def dependency_out(dependency: Dependency) -> dict[str, Any]:
    return {
        "id": dependency.pk,
        "predecessor_id": dependency.predecessor_id,
        "successor_id": dependency.successor_id,
        "type": dependency.type,
        "lag": float(dependency.lag),
        "lag_unit": dependency.lag_unit,
    }


@router.get(BASE + "/dependencies", response={200: list[DependencyOut], **READ}, summary="The plan's dependencies")
def dependency_list(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return [dependency_out(d) for d in Dependency.objects.filter(plan=plan).order_by("pk")]


@router.post(
    BASE + "/dependencies",
    response={201: DependencyOut, **VERSIONED},
    summary="Add a predecessor to a task (editors; send the successor's version)",
)
def dependency_create(request: SignedInRequest, engagement_id: int, payload: DependencyIn) -> Any:
    plan, _m = plan_for(request.user, engagement_id, role=Role.EDITOR)
    successor = task_named(plan.engagement, payload.successor_id, field="successor_id")
    predecessor = task_named(plan.engagement, payload.predecessor_id, field="predecessor_id")
    successor.plan = plan
    link = PredecessorLink(predecessor, payload.type, Decimal(str(round(payload.lag, 2))), payload.lag_unit)
    dependency = dependency_add(successor=successor, actor=request.user, expected_version=payload.version, link=link)
    return Status(201, dependency_out(dependency))


@router.delete(
    BASE + "/dependencies/{dependency_id}", response={204: None, **WRITE}, summary="Remove a dependency (editors)"
)
def dependency_delete(request: SignedInRequest, engagement_id: int, dependency_id: int) -> Any:
    dependency, _m = dependency_for(request.user, engagement_id, dependency_id, role=Role.EDITOR)
    dependency_remove(dependency=dependency, actor=request.user)
    return Status(204, None)
