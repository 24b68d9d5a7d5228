"""The budget's lines: listed with their amounts, a typed line added, changed or deleted; derived lines
recomputed from their inputs."""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.budget.access import line_for
from certprep.budget.api.common import BASE, VERSION_HELP, Amount, Currency
from certprep.budget.choices import Category, CycleYear
from certprep.budget.models import BudgetLine
from certprep.budget.money import line_amount
from certprep.budget.services.derived import budget_recompute
from certprep.budget.services.lines import line_add, line_delete, line_update
from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.schemas import Choice, InputSchema
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role

router = Router()


class LineOut(Schema):
    id: int
    category: str
    description: str
    quantity: str
    unit: str
    unit_price: str
    currency: str
    amount: str = Field(description="quantity x unit price, rounded half-up once to the currency's minor unit.")
    cycle_year: int = Field(description="0 initial year, 1 and 2 surveillance years, 3 recertification year.")
    source: str = Field(description="typed, derived or quote.")
    derived_key: str
    estimate: bool
    note: str
    version: int


class LineIn(InputSchema):
    category: Choice[Category]
    description: str = Field(min_length=1, max_length=300)
    quantity: Amount = "1"
    unit: str = Field("", max_length=40)
    unit_price: Amount
    currency: Currency
    cycle_year: Choice[CycleYear] = CycleYear.INITIAL
    note: str = Field("", max_length=5000)


class LinePut(LineIn):
    version: int = Field(ge=1, description=VERSION_HELP)


class RecomputeOut(Schema):
    created: int
    changed: int
    removed: int


def line_out(line: BudgetLine) -> dict[str, Any]:
    names = ("id", "category", "description", "unit", "currency", "cycle_year", "source", "derived_key")
    out: dict[str, Any] = {name: getattr(line, name) for name in names}
    out |= {"estimate": line.estimate, "note": line.note, "version": line.version}
    out |= {"quantity": str(line.quantity), "unit_price": str(line.unit_price)}
    out["amount"] = str(line_amount(line.quantity, line.unit_price, line.currency))
    return out


def _fields(payload: LineIn) -> dict[str, Any]:
    data = payload.dict()
    data.pop("version", None)
    data["cycle_year"] = int(data["cycle_year"])
    return data


@router.get(BASE + "/lines", response={200: list[LineOut], **READ}, summary="The budget's lines")
def line_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [line_out(line) for line in BudgetLine.objects.filter(engagement=engagement)]


@router.post(BASE + "/lines", response={201: LineOut, **WRITE}, summary="Add a typed line (editors)")
def line_create(request: SignedInRequest, engagement_id: int, payload: LineIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return Status(201, line_out(line_add(engagement=engagement, actor=request.user, **_fields(payload))))


@router.put(
    BASE + "/lines/{budget_line_id}", response={200: LineOut, **VERSIONED}, summary="Change a typed line (editors)"
)
def line_put(request: SignedInRequest, engagement_id: int, budget_line_id: int, payload: LinePut) -> Any:
    line, _m = line_for(request.user, engagement_id, budget_line_id, role=Role.EDITOR)
    saved = line_update(line=line, actor=request.user, expected_version=payload.version, **_fields(payload))
    return line_out(saved)


@router.delete(
    BASE + "/lines/{budget_line_id}", response={204: None, **VERSIONED}, summary="Delete a typed line (editors)"
)
def line_remove(request: SignedInRequest, engagement_id: int, budget_line_id: int, version: int | None = None) -> Any:
    line, _m = line_for(request.user, engagement_id, budget_line_id, role=Role.EDITOR)
    line_delete(line=line, actor=request.user, expected_version=version)
    return Status(204, None)


@router.post(
    BASE + "/recompute",
    response={200: RecomputeOut, **WRITE},
    summary="Recompute the derived lines from their inputs (editors)",
)
def recompute(request: SignedInRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    done = budget_recompute(engagement=engagement)
    return {"created": done.created, "changed": done.changed, "removed": done.removed}
