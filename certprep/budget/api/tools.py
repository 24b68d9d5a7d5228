"""The budget's tool options: adapting the ITSM platform in use or buying a new tool, each with its initial and
yearly cost; listed, added, changed and deleted with versions, and one chosen (the budget's tool lines follow
the chosen option). The same services and rules as the tool options page."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from certprep.budget.access import tool_in
from certprep.budget.api.common import BASE, VERSION_HELP, Amount, Currency
from certprep.budget.choices import ToolKind
from certprep.budget.models import ToolOption
from certprep.budget.services.inputs import settings_in, settings_update, tool_add, tool_delete, tool_update
from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema, VersionQuery
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role

router = Router()
STORED = Decimal("0.0001")


class ToolOptionOut(Schema):
    id: int
    kind: str = Field(description="adapt (the existing ITSM platform) or buy (a new tool).")
    name: str
    initial_cost: str = Field(description="What the option costs once, in the initial year.")
    yearly_cost: str = Field(description="Licences and upkeep in each of the three later years.")
    currency: str
    note: str
    chosen: bool = Field(description="True for the option the budget's tool lines come from.")
    version: int


class ToolOptionIn(InputSchema):
    kind: Choice[ToolKind]
    name: str = Field(min_length=1, max_length=200)
    initial_cost: Amount = "0"
    yearly_cost: Amount = "0"
    currency: Currency
    note: str = Field("", max_length=5000)


class ToolOptionPut(ToolOptionIn):
    version: int = Field(ge=1, description=VERSION_HELP)


class ToolChoiceIn(InputSchema):
    version: int = Field(ge=1, description="The version of the budget's settings you read (GET .../settings).")


class ToolChoiceOut(Schema):
    chosen_tool: int
    settings_version: int


def tool_out(option: ToolOption, chosen_id: int | None) -> dict[str, Any]:
    return {
        "id": option.pk,
        "kind": option.kind,
        "name": option.name,
        # As stored (4 decimals), whether the option was just written or read back.
        "initial_cost": str(option.initial_cost.quantize(STORED)),
        "yearly_cost": str(option.yearly_cost.quantize(STORED)),
        "currency": option.currency,
        "note": option.note,
        "chosen": option.pk == chosen_id,
        "version": option.version,
    }


def _fields(payload: ToolOptionIn) -> dict[str, Any]:
    data = payload.dict()
    data.pop("version", None)
    data["kind"] = str(data["kind"])
    return data


@router.get(BASE + "/tools", response={200: list[ToolOptionOut], **READ}, summary="The tool options")
def tool_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    chosen = settings_in(engagement).chosen_tool_id
    return [tool_out(option, chosen) for option in ToolOption.objects.filter(engagement=engagement)]


@router.post(BASE + "/tools", response={201: ToolOptionOut, **WRITE}, summary="Add a tool option (editors)")
def tool_create(request: SignedInRequest, engagement_id: int, payload: ToolOptionIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    option = tool_add(engagement=engagement, actor=request.user, **_fields(payload))
    return Status(201, tool_out(option, settings_in(engagement).chosen_tool_id))


@router.put(
    BASE + "/tools/{tool_id}", response={200: ToolOptionOut, **VERSIONED}, summary="Change a tool option (editors)"
)
def tool_put(request: SignedInRequest, engagement_id: int, tool_id: int, payload: ToolOptionPut) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    option = tool_in(engagement, tool_id)
    saved = tool_update(option=option, actor=request.user, expected_version=payload.version, **_fields(payload))
    return tool_out(saved, settings_in(engagement).chosen_tool_id)


@router.delete(
    BASE + "/tools/{tool_id}",
    response={204: None, **VERSIONED},
    summary="Delete a tool option (editors)",
    description="Deleting the chosen option leaves no option chosen; the tool lines go at the next recompute.",
)
def tool_remove(request: SignedInRequest, engagement_id: int, tool_id: int, query: Query[VersionQuery]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    tool_delete(option=tool_in(engagement, tool_id), actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.post(
    BASE + "/tools/{tool_id}/choose",
    response={200: ToolChoiceOut, **VERSIONED},
    summary="Choose the tool option the budget's tool lines come from (editors)",
)
def tool_choose(request: SignedInRequest, engagement_id: int, tool_id: int, payload: ToolChoiceIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    option = tool_in(engagement, tool_id)
    budget = settings_update(
        budget=settings_in(engagement), actor=request.user, expected_version=payload.version, chosen_tool=option
    )
    return {"chosen_tool": option.pk, "settings_version": budget.version}
