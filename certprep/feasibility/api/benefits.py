"""The benefits, the economics, the risk register and its heat map through the API, under
/{engagement_id}/feasibility/. Members read, editors write; writes send the version they read (409 when stale);
amounts are Decimal strings, never floats."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from certprep.budget.money import round_money
from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.api_refs import MAX_ID
from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice, InputSchema, IsoDate, VersionQuery
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.feasibility.benefits_access import benefit_for, risk_for
from certprep.feasibility.choices import Lens, RiskStatus
from certprep.feasibility.heatmap import level
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.selectors.economics import economics_detail
from certprep.feasibility.selectors.risks import heat_counts, register, risk_rows, schedule_input
from certprep.feasibility.services.benefits import BENEFIT_FIELDS, benefit_create, benefit_delete, benefit_update
from certprep.feasibility.services.risks import RISK_FIELDS, risk_create, risk_delete, risk_update
from certprep.people.models import Person

router = Router()
BASE = "/{engagement_id}/feasibility"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
Money = Annotated[
    str, Field(pattern=r"^\d{1,13}(\.\d{1,4})?$", description="A decimal amount as a string, below 10^13: 1234.50")
]
Scale = Annotated[int, Field(ge=1, le=5)]


class FeasibilityBenefitOut(Schema):
    id: int
    code: str = Field(description="The usual benefit it started from (choices of the seeds), or empty.")
    title: str
    effect: str
    kpi: str
    baseline: str
    target: str
    lenses: list[str] = Field(description="development_goals, it_resources, environment, efficiency, ...")
    value_per_year: str | None = Field(description="Money value per year in the budget's reporting currency.")
    first_year: int = Field(description="Cycle year 1-3 from which the value counts.")
    position: int
    version: int


class FeasibilityBenefitIn(InputSchema):
    title: str = Field(min_length=1, max_length=300)
    effect: str = Field("", max_length=20_000)
    kpi: str = Field("", max_length=300)
    baseline: str = Field("", max_length=100)
    target: str = Field("", max_length=100)
    lenses: list[Choice[Lens]] = Field(default_factory=list, max_length=len(Lens))
    value_per_year: Money | None = None
    first_year: int = Field(1, ge=1, le=3)


class FeasibilityBenefitPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    effect: str | None = Field(None, max_length=20_000)
    kpi: str | None = Field(None, max_length=300)
    baseline: str | None = Field(None, max_length=100)
    target: str | None = Field(None, max_length=100)
    lenses: list[Choice[Lens]] | None = Field(None, max_length=len(Lens))
    value_per_year: Money | None = Field(None, description="null clears it.")
    first_year: int | None = Field(None, ge=1, le=3)


class FeasibilityYearOut(Schema):
    year: int = Field(description="0 initial certification year, 1 and 2 surveillance years, 3 recertification.")
    cash_out: str
    internal: str
    costs: str
    benefits: str
    net: str
    running_total: str


class FeasibilityCaseOut(Schema):
    case: str = Field(description="expected, benefits_down (-30 %), costs_up (+30 %) or both.")
    benefits: str
    costs: str
    net_benefit: str
    payback_years: str | None
    simple_return: str | None


class FeasibilityEconomicsOut(Schema):
    """Amounts in the reporting currency, rounded half-up to its minor unit (the figures are worked unrounded)."""

    currency: str
    costs: str | None = Field(description="null while the budget has no line or lacks an exchange rate.")
    benefits: str
    net_benefit: str | None
    payback_years: str | None = Field(description="Years from the certificate; null when not within the cycle.")
    simple_return: str | None = Field(description="Net benefit / costs, as a ratio (0.2353 = 23.53 %).")
    missing: list[str] = Field(description="What is missing for complete figures, in the request's language.")
    years: list[FeasibilityYearOut]
    sensitivity: list[FeasibilityCaseOut]


class FeasibilityRiskOut(Schema):
    id: int
    code: str = Field(description="The usual risk it started from, or empty.")
    title: str
    description: str
    likelihood: int
    impact: int
    score: int = Field(description="likelihood x impact, 1-25.")
    level: str = Field(description="low (below 8), medium (8-14) or high (15 and above).")
    owner_id: int | None = Field(description="A person of the engagement.")
    countermeasure: str
    due: datetime.date | None
    overdue: bool = Field(description="Past its due date and not closed.")
    status: str = Field(description="open, mitigating or closed.")
    position: int
    version: int


class FeasibilityRiskIn(InputSchema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=20_000)
    likelihood: Scale = 3
    impact: Scale = 3
    owner_id: int | None = Field(None, ge=1, description="A person of the engagement, or null.")
    countermeasure: str = Field("", max_length=20_000)
    due: IsoDate | None = None
    status: Choice[RiskStatus] = RiskStatus.OPEN


class FeasibilityRiskPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=20_000)
    likelihood: Scale | None = None
    impact: Scale | None = None
    owner_id: int | None = Field(None, ge=1, description="null clears it.")
    countermeasure: str | None = Field(None, max_length=20_000)
    due: IsoDate | None = Field(None, description="null clears it.")
    status: Choice[RiskStatus] | None = None


class FeasibilityHeatCellOut(Schema):
    likelihood: int
    impact: int
    level: str
    count: int


class FeasibilityHeatMapOut(Schema):
    cells: list[FeasibilityHeatCellOut] = Field(description="All 25 cells; open risks only (closed ones left out).")
    open_total: int
    schedule_probability: str | None = Field(
        description="The latest schedule-risk run's chance (0-1) of finishing stage 2 by its booked date."
    )
    schedule_p80: datetime.date | None


def benefit_out(benefit: Benefit) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(benefit, name) for name in BENEFIT_FIELDS}
    value = benefit.value_per_year
    out |= {"id": benefit.pk, "code": benefit.code, "position": benefit.position, "version": benefit.version}
    out["value_per_year"] = None if value is None else str(value)
    return out


def risk_out(risk: Risk, *, today: datetime.date) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(risk, name) for name in RISK_FIELDS if name != "owner"}
    overdue = risk.due is not None and risk.due < today and risk.status != RiskStatus.CLOSED
    return out | {
        "id": risk.pk,
        "code": risk.code,
        "owner_id": risk.owner_id,
        "score": risk.likelihood * risk.impact,
        "level": level(risk.likelihood, risk.impact),
        "overdue": overdue,
        "position": risk.position,
        "version": risk.version,
    }


def _benefit_fields(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("value_per_year") is not None:
        data["value_per_year"] = Decimal(data["value_per_year"])
    if data.get("lenses") is not None:
        data["lenses"] = [str(lens) for lens in data["lenses"]]
    return data


def _risk_fields(engagement: Engagement, data: dict[str, Any]) -> dict[str, Any]:
    if "owner_id" in data:
        pk = data.pop("owner_id")
        owner = None
        if pk is not None:
            owner = Person.objects.filter(engagement=engagement, pk=pk).first() if pk <= MAX_ID else None
            if owner is None:
                raise ServiceError(_("No person of this engagement has this id."), field="owner_id")
        data["owner"] = owner
    return data


def _sent(payload: Schema) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    data.pop("version", None)
    return data


@router.get(BASE + "/benefits", response={200: list[FeasibilityBenefitOut], **READ}, summary="The benefits")
def benefits_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [benefit_out(b) for b in Benefit.objects.filter(engagement=engagement).order_by("position", "pk")]


@router.post(BASE + "/benefits", response={201: FeasibilityBenefitOut, **WRITE}, summary="Add a benefit (editors)")
def benefits_post(request: SignedInRequest, engagement_id: int, payload: FeasibilityBenefitIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    benefit = benefit_create(engagement=engagement, actor=request.user, **_benefit_fields(payload.dict()))
    return Status(201, benefit_out(benefit))


@router.get(BASE + "/benefits/{benefit_id}", response={200: FeasibilityBenefitOut, **READ}, summary="One benefit")
def benefit_get(request: HttpRequest, engagement_id: int, benefit_id: int) -> Any:
    benefit, _m = benefit_for(request.user, engagement_id, benefit_id)
    return benefit_out(benefit)


@router.patch(
    BASE + "/benefits/{benefit_id}",
    response={200: FeasibilityBenefitOut, **VERSIONED},
    summary="Change a benefit (editors; send the version)",
)
def benefit_patch(
    request: SignedInRequest, engagement_id: int, benefit_id: int, payload: FeasibilityBenefitPatch
) -> Any:
    benefit, _m = benefit_for(request.user, engagement_id, benefit_id, role=Role.EDITOR)
    changes = _benefit_fields(_sent(payload))
    benefit_update(benefit=benefit, actor=request.user, expected_version=payload.version, **changes)
    return benefit_out(benefit)


@router.delete(BASE + "/benefits/{benefit_id}", response={204: None, **VERSIONED}, summary="Remove a benefit (editors)")
def benefit_remove(request: SignedInRequest, engagement_id: int, benefit_id: int, query: Query[VersionQuery]) -> Any:
    benefit, _m = benefit_for(request.user, engagement_id, benefit_id, role=Role.EDITOR)
    benefit_delete(benefit=benefit, actor=request.user, expected_version=query.version)
    return Status(204, None)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@router.get(
    BASE + "/economics",
    response={200: FeasibilityEconomicsOut, **READ},
    summary="Costs, priced benefits, payback, net benefit, simple return and their sensitivity",
)
def economics_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    detail = economics_detail(engagement)
    eco = detail.economics

    def money(value: Decimal | None) -> str | None:
        return None if value is None else str(round_money(value, eco.currency))

    years = []
    if detail.figures is not None and detail.cash_by_year is not None and detail.internal_by_year is not None:
        flows = detail.figures.flows
        for year, values in enumerate(
            zip(
                detail.cash_by_year,
                detail.internal_by_year,
                flows.costs,
                flows.benefits,
                flows.net_by_year(),
                flows.cumulative(),
                strict=True,
            )
        ):
            keys = ("cash_out", "internal", "costs", "benefits", "net", "running_total")
            years.append({"year": year} | {key: money(value) for key, value in zip(keys, values, strict=True)})
    cases = [
        {
            "case": case.key,
            "benefits": money(case.figures.flows.benefit_total),
            "costs": money(case.figures.flows.cost_total),
            "net_benefit": money(case.figures.net_benefit),
            "payback_years": _text(case.figures.payback_years),
            "simple_return": _text(case.figures.simple_return),
        }
        for case in detail.cases
    ]
    return {
        "currency": eco.currency,
        "costs": money(eco.costs),
        "benefits": money(eco.benefits),
        "net_benefit": money(eco.net_benefit),
        "payback_years": _text(eco.payback_years),
        "simple_return": _text(eco.simple_return),
        "missing": list(eco.missing),
        "years": years,
        "sensitivity": cases,
    }


@router.get(BASE + "/risks", response={200: list[FeasibilityRiskOut], **READ}, summary="The risk register")
def risks_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    today = timezone.localdate()
    return [risk_out(risk, today=today) for risk in register(engagement)]


@router.post(BASE + "/risks", response={201: FeasibilityRiskOut, **WRITE}, summary="Add a risk (editors)")
def risks_post(request: SignedInRequest, engagement_id: int, payload: FeasibilityRiskIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    data = _risk_fields(engagement, payload.dict())
    risk = risk_create(engagement=engagement, actor=request.user, **data)
    return Status(201, risk_out(risk, today=timezone.localdate()))


@router.get(BASE + "/risks/{risk_id}", response={200: FeasibilityRiskOut, **READ}, summary="One risk")
def risk_get(request: HttpRequest, engagement_id: int, risk_id: int) -> Any:
    risk, _m = risk_for(request.user, engagement_id, risk_id)
    return risk_out(risk, today=timezone.localdate())


@router.patch(
    BASE + "/risks/{risk_id}",
    response={200: FeasibilityRiskOut, **VERSIONED},
    summary="Change a risk (editors; send the version)",
)
def risk_patch(request: SignedInRequest, engagement_id: int, risk_id: int, payload: FeasibilityRiskPatch) -> Any:
    risk, _m = risk_for(request.user, engagement_id, risk_id, role=Role.EDITOR)
    changes = _risk_fields(risk.engagement, _sent(payload))
    risk_update(risk=risk, actor=request.user, expected_version=payload.version, **changes)
    return risk_out(risk, today=timezone.localdate())


@router.delete(BASE + "/risks/{risk_id}", response={204: None, **VERSIONED}, summary="Remove a risk (editors)")
def risk_remove(request: SignedInRequest, engagement_id: int, risk_id: int, query: Query[VersionQuery]) -> Any:
    risk, _m = risk_for(request.user, engagement_id, risk_id, role=Role.EDITOR)
    risk_delete(risk=risk, actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.get(
    BASE + "/risk-heat-map",
    response={200: FeasibilityHeatMapOut, **READ},
    summary="The heat map's 25 cells with their counts of open risks, and the schedule-risk input",
)
def heat_map_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    rows = risk_rows(engagement, today=timezone.localdate())
    counts = heat_counts([row.risk for row in rows])
    schedule = schedule_input(engagement)
    return {
        "cells": [
            {"likelihood": li, "impact": im, "level": level(li, im), "count": counts.get((li, im), 0)}
            for li in range(5, 0, -1)
            for im in range(1, 6)
        ],
        "open_total": sum(counts.values()),
        "schedule_probability": None if schedule is None else _text(schedule.probability),
        "schedule_p80": None if schedule is None else schedule.p80,
    }
