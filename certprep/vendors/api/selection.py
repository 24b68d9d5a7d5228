"""The selection through the API: criteria with weights, scores with rationale, the comparison (normalized
3-year totals, ranking with each criterion's contribution, sensitivity) and the decisions."""

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED, WRITE
from certprep.core.api_refs import body_ref
from certprep.core.schemas import Choice, InputSchema, QueryInput
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.vendors.access import criterion_for, vendor_for
from certprep.vendors.api.common import BASE, VERSION_HELP
from certprep.vendors.api.register import VersionQuery
from certprep.vendors.choices import VendorKind
from certprep.vendors.models import Criterion, Decision, Quote, Score
from certprep.vendors.selection import as_decimal
from certprep.vendors.selectors.comparison import comparison
from certprep.vendors.services.selection import (
    criterion_create,
    criterion_delete,
    criterion_update,
    decision_record,
    score_set,
)

router = Router()
CRITERIA = BASE + "/vendor-criteria"


class CriterionOut(Schema):
    id: int
    name: str
    weight: int = Field(description="Points from 0 to 100; each criterion counts for its share of all points.")
    order: int
    is_price: bool = Field(description="Scored from the quotes' 3-year totals: 5 x cheapest / this total.")
    version: int


class CriterionIn(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    weight: int = Field(ge=0, le=100)
    is_price: bool = False


class CriterionPatch(InputSchema):
    version: int = Field(ge=1, description=VERSION_HELP)
    name: str | None = Field(None, min_length=1, max_length=200)
    weight: int | None = Field(None, ge=0, le=100)
    is_price: bool | None = None


class ScoreOut(Schema):
    vendor_id: int
    criterion_id: int
    score: int
    rationale: str
    version: int


class ScoreIn(InputSchema):
    score: int = Field(ge=1, le=5, description="1: poorly, 5: very well.")
    rationale: str = Field("", max_length=5000)
    version: int | None = Field(None, ge=1, description="The version you read, to change an existing score.")


class KindQuery(QueryInput):
    kind: Choice[VendorKind] = VendorKind.CERTIFICATION_BODY


class StandingOut(Schema):
    vendor_id: int
    name: str
    currency: str | None = Field(description="The currency of the vendor's latest quote (totals are in it).")
    years: list[str] = Field(description="The latest quote's totals for cycle years 0 to 3.")
    total: str | None = Field(description="Its 3-year total, the quote check's missing parts included.")
    contributions: dict[str, str] = Field(description="Criterion id -> what it adds to the weighted score.")
    weighted_score: str = Field(description="Of 5, rounded to 2 places.")
    check: list[str] = Field(description="The quote check's open questions, as question:answer.")


class SensitivityOut(Schema):
    criterion_id: int
    up: int | None = Field(description="Points the weight must rise to change the winner; null: no change to 100.")
    down: int | None = Field(description="Points the weight must fall to change the winner; null: no change to 0.")


class VendorComparisonOut(Schema):
    kind: str
    currencies: list[str]
    price_scored: bool = Field(description="False when the quotes are in different currencies (the budget converts).")
    recommended: int | None
    refused: str | None = Field(description="no_vendors, no_weight or price_alone when nothing is recommended.")
    standings: list[StandingOut]
    sensitivity: list[SensitivityOut]


class DecisionOut(Schema):
    id: int
    kind: str
    vendor_id: int
    quote_id: int | None
    decided_by: str
    decided_at: datetime.datetime
    rationale: str


class DecisionIn(InputSchema):
    vendor: int = Field(ge=1, description="The id of the vendor chosen.")
    quote: int | None = Field(None, ge=1, description="The quote the decision takes; the latest when left out.")
    rationale: str = Field(min_length=1, max_length=20_000)


def criterion_out(criterion: Criterion) -> dict[str, Any]:
    names = ("id", "name", "weight", "order", "is_price", "version")
    return {name: getattr(criterion, name) for name in names}


def score_out(score: Score) -> dict[str, Any]:
    names = ("vendor_id", "criterion_id", "score", "rationale", "version")
    return {name: getattr(score, name) for name in names}


def decision_out(decision: Decision) -> dict[str, Any]:
    names = ("id", "kind", "vendor_id", "quote_id", "decided_at", "rationale")
    return {name: getattr(decision, name) for name in names} | {"decided_by": decision.decided_by_label}


@router.get(CRITERIA, response={200: list[CriterionOut], **READ}, summary="The selection criteria and weights")
def criterion_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [criterion_out(c) for c in Criterion.objects.filter(engagement=engagement)]


@router.post(CRITERIA, response={201: CriterionOut, **WRITE}, summary="Add a criterion (editors)")
def criterion_post(request: SignedInRequest, engagement_id: int, payload: CriterionIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    return Status(201, criterion_out(criterion_create(engagement=engagement, actor=request.user, **payload.dict())))


@router.patch(
    CRITERIA + "/{criterion_id}", response={200: CriterionOut, **VERSIONED}, summary="Change a criterion or its weight"
)
def criterion_patch(request: SignedInRequest, engagement_id: int, criterion_id: int, payload: CriterionPatch) -> Any:
    criterion, _m = criterion_for(request.user, engagement_id, criterion_id, role=Role.EDITOR)
    changes = payload.dict(exclude_unset=True)
    changes.pop("version")
    criterion_update(criterion=criterion, actor=request.user, expected_version=payload.version, **changes)
    return criterion_out(criterion)


@router.delete(CRITERIA + "/{criterion_id}", response={204: None, **VERSIONED}, summary="Remove a criterion")
def criterion_remove(
    request: SignedInRequest, engagement_id: int, criterion_id: int, query: Query[VersionQuery]
) -> Any:
    criterion, _m = criterion_for(request.user, engagement_id, criterion_id, role=Role.EDITOR)
    criterion_delete(criterion=criterion, actor=request.user, expected_version=query.version)
    return Status(204, None)


@router.get(BASE + "/vendors/{vendor_id}/scores", response={200: list[ScoreOut], **READ}, summary="A vendor's scores")
def score_list(request: HttpRequest, engagement_id: int, vendor_id: int) -> Any:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id)
    return [score_out(s) for s in Score.objects.filter(vendor=vendor)]


@router.put(
    BASE + "/vendors/{vendor_id}/scores/{criterion_id}",
    response={200: ScoreOut, **VERSIONED},
    summary="Score a vendor on a criterion (editors; send the version to change a score)",
)
def score_put(request: SignedInRequest, engagement_id: int, vendor_id: int, criterion_id: int, payload: ScoreIn) -> Any:
    vendor, _m = vendor_for(request.user, engagement_id, vendor_id, role=Role.EDITOR)
    criterion, _m = criterion_for(request.user, engagement_id, criterion_id, role=Role.EDITOR)
    score = score_set(
        vendor=vendor,
        criterion=criterion,
        actor=request.user,
        score=payload.score,
        rationale=payload.rationale,
        expected_version=payload.version,
    )
    return score_out(score)


@router.get(
    BASE + "/vendor-comparison",
    response={200: VendorComparisonOut, **READ},
    summary="The comparison of one kind of vendor: totals, ranking with contributions, sensitivity",
)
def comparison_get(request: HttpRequest, engagement_id: int, query: Query[KindQuery]) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    found = comparison(engagement, kind=str(query.kind), on=timezone.localdate())
    standings = []
    for standing in found.ranking.standings:
        row = found.row_of(standing.vendor)
        standings.append(
            {
                "vendor_id": standing.vendor,
                "name": row.vendor.name,
                "currency": row.quote.currency if row.quote else None,
                "years": [str(amount) for amount in row.years.values()],
                "total": None if row.total is None else str(row.total),
                "contributions": {str(k): str(as_decimal(v, 4)) for k, v in standing.contributions.items()},
                "weighted_score": str(as_decimal(standing.total)),
                "check": [f"{question.value}:{answer.value}" for question, answer in row.check],
            }
        )
    return {
        "kind": found.kind,
        "currencies": found.currencies,
        "price_scored": found.price_scored,
        "recommended": found.ranking.recommended,
        "refused": found.ranking.refused.value if found.ranking.refused else None,
        "standings": standings,
        "sensitivity": [{"criterion_id": s.criterion, "up": s.up, "down": s.down} for s in found.sensitivity],
    }


@router.get(
    BASE + "/vendor-decisions",
    response={200: list[DecisionOut], **READ},
    summary="The decisions, newest first per kind (the first of each kind counts)",
)
def decision_list(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [decision_out(d) for d in Decision.objects.filter(engagement=engagement)]


@router.post(
    BASE + "/vendor-decisions",
    response={201: DecisionOut, **WRITE},
    summary="Record the choice of a vendor, who and why (editors; a certification body is named on the plan)",
)
def decision_post(request: SignedInRequest, engagement_id: int, payload: DecisionIn) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    vendor = body_ref(
        engagement.vendors.all(), payload.vendor, field="vendor", message=_("Choose a vendor of this engagement.")
    )
    quote = (
        body_ref(
            Quote.objects.filter(vendor=vendor),
            payload.quote,
            field="quote",
            message=_("Choose a quote of this vendor."),
        )
        if payload.quote
        else None
    )
    vendor.engagement = engagement
    return Status(
        201, decision_out(decision_record(vendor=vendor, actor=request.user, rationale=payload.rationale, quote=quote))
    )
