"""The scheme's ratings, weights, the rule's proposal, the recorded decision, the management-basis statements and
the timeline proposal. Members read, editors write; writes send the version they read (a rating never saved is
version 1, a decision never recorded is version 0) and a stale one is 409."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, VERSIONED
from certprep.core.schemas import Choice, InputSchema
from certprep.engagements.access import engagement_for
from certprep.engagements.choices import Role
from certprep.feasibility import rule
from certprep.feasibility.choices import Outcome, RatingKey
from certprep.feasibility.models import Rating, Recommendation
from certprep.feasibility.selectors.basis import basis_of
from certprep.feasibility.selectors.scheme import (
    arithmetic,
    inputs_record,
    proposal_of,
    ratings_of,
    recommendation_of,
    timeline_of,
)
from certprep.feasibility.services.ratings import rating_update, weights_update
from certprep.feasibility.services.recommendation import recommendation_decide
from certprep.feasibility.words import input_lines, label_value, rule_lines

router = Router()
BASE = "/{engagement_id}/feasibility"
VERSION_HELP = "The version you read; a different stored version gives 409 Conflict."
# The weight is checked by the service (certprep.feasibility.services.ratings), which answers 400 naming the field:
# one rule and one wording for the pages, the API and the engagement file.
WEIGHT_HELP = "A decimal number as a string, 0-100, at most 2 decimals: 1.50"


class FeasibilityRatingOut(Schema):
    key: str
    area: str
    label: str
    score: int | None
    rationale: str
    evidence: str
    weight: str
    version: int


class FeasibilityRatingPatch(InputSchema):
    key: Choice[RatingKey]
    version: int = Field(ge=1, description=VERSION_HELP)
    score: int | None = Field(None, ge=1, le=5, description="1-5; null clears the rating.")
    rationale: str | None = Field(None, max_length=20_000)
    evidence: str | None = Field(None, max_length=20_000)
    weight: str | None = Field(None, min_length=1, max_length=20, description=WEIGHT_HELP)


class FeasibilityRatingsPatch(InputSchema):
    ratings: list[FeasibilityRatingPatch] = Field(min_length=1, max_length=9)


class FeasibilityWeightIn(InputSchema):
    key: Choice[RatingKey]
    weight: str = Field(min_length=1, max_length=20, description=WEIGHT_HELP)
    version: int = Field(ge=1, description=VERSION_HELP)


class FeasibilityWeightsPut(InputSchema):
    weights: list[FeasibilityWeightIn] = Field(min_length=1, max_length=9)


class FeasibilityWeightOut(Schema):
    key: str
    weight: str
    share: str = Field(description="The weight's share of all weights, in percent, 2 decimals.")
    version: int


class FeasibilityCriterionOut(Schema):
    criterion: str
    label: str
    value: str
    source: str
    outcome: str
    missing: bool
    needed_for_go: str = Field(description="The value the input must reach for a go; empty when it is a go.")
    condition: str


class FeasibilityRuleOut(Schema):
    thresholds: dict[str, str]
    text: list[str]


class FeasibilityProposalOut(Schema):
    outcome: str
    score: str | None
    arithmetic: str
    inputs: dict[str, Any]
    criteria: list[FeasibilityCriterionOut]
    rule: FeasibilityRuleOut
    conditions: list[str] = Field(description="What would turn the proposal into a go.")


class FeasibilityRecommendationOut(Schema):
    proposed: str
    outcome: str
    overridden: bool
    conditions: str
    rationale: str
    inputs: dict[str, Any]
    decided_by: str | None
    decided_at: str
    version: int


class FeasibilityRecommendationPut(InputSchema):
    version: int = Field(ge=0, description=VERSION_HELP + " 0 while no decision is recorded.")
    outcome: Choice[Outcome]
    conditions: str = Field("", max_length=20_000)
    rationale: str = Field("", max_length=20_000, description="Required when the outcome differs from the proposal.")


class FeasibilityStatementOut(Schema):
    aspect: str
    text: str
    source: str
    url: str
    signal: int | None


class FeasibilityBasisOut(Schema):
    statements: list[FeasibilityStatementOut]
    suggestions: dict[str, int | None]


class FeasibilityTimelineOut(Schema):
    maturity: int | None
    build_months: int
    trial_months: int
    start: str
    stage1: str | None
    stage2: str | None
    plan_stage1: str | None
    plan_stage2: str | None
    has_plan: bool


def rating_out(rating: Rating) -> dict[str, Any]:
    return {
        "key": rating.key,
        "area": rating.area,
        "label": str(rating.get_key_display()),
        "score": rating.score,
        "rationale": rating.rationale,
        "evidence": rating.evidence,
        "weight": str(rating.weight),
        "version": rating.version,
    }


@router.get(BASE + "/ratings", response={200: list[FeasibilityRatingOut], **READ}, summary="The scheme's ratings")
def ratings_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return [rating_out(r) for r in ratings_of(engagement)]


@router.patch(
    BASE + "/ratings",
    response={200: list[FeasibilityRatingOut], **VERSIONED},
    summary="Change ratings (editors): all or none",
)
def ratings_patch(request: SignedInRequest, engagement_id: int, payload: FeasibilityRatingsPatch) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    for item in payload.ratings:
        values = item.dict(exclude_unset=True, exclude={"key", "version"})
        rating_update(engagement=engagement, actor=request.user, key=item.key, expected_version=item.version, **values)
    return [rating_out(r) for r in ratings_of(engagement)]


def _weights(ratings: list[Rating]) -> list[dict[str, Any]]:
    total = sum((r.weight for r in ratings), start=Decimal(0))
    return [
        {
            "key": r.key,
            "weight": str(r.weight),
            "share": str((r.weight * 100 / total).quantize(rule.TWO_PLACES) if total else Decimal("0.00")),
            "version": r.version,
        }
        for r in ratings
    ]


@router.get(BASE + "/weights", response={200: list[FeasibilityWeightOut], **READ}, summary="The ratings' weights")
def weights_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    return _weights(ratings_of(engagement))


@router.put(BASE + "/weights", response={200: list[FeasibilityWeightOut], **VERSIONED}, summary="Set weights (editors)")
def weights_put(request: SignedInRequest, engagement_id: int, payload: FeasibilityWeightsPut) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    weights = {str(w.key): (w.weight, w.version) for w in payload.weights}
    weights_update(engagement=engagement, actor=request.user, weights=weights)
    return _weights(ratings_of(engagement))


@router.get(
    BASE + "/proposal",
    response={200: FeasibilityProposalOut, **READ},
    summary="The rule's proposal: inputs, rule, outcome and conditions",
)
def proposal_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    view = proposal_of(engagement)
    lines = input_lines(view.proposal, view.inputs, view.economics.currency, get_language() or "en")
    return {
        "outcome": view.proposal.outcome,
        "score": None if view.inputs.score is None else str(view.inputs.score),
        "arithmetic": arithmetic(view.ratings),
        "inputs": inputs_record(view.inputs, view.economics.currency),
        "criteria": [
            {
                "criterion": f.criterion,
                "label": line.label,
                "value": line.value,
                "source": line.source,
                "outcome": f.level.outcome,
                "missing": f.missing,
                "needed_for_go": f.needed if f.level < rule.Level.GO else "",
                "condition": line.condition,
            }
            for f, line in zip(view.proposal.findings, lines, strict=True)
        ],
        "rule": {"thresholds": thresholds(), "text": [label_value(c, t) for c, t in rule_lines()]},
        "conditions": [line.condition for line in lines if line.condition],
    }


def thresholds() -> dict[str, str]:
    names = (
        "GO_SCORE",
        "CONDITIONAL_SCORE",
        "GO_LOWEST",
        "CONDITIONAL_LOWEST",
        "PAYBACK_LIMIT_YEARS",
        "GO_HIGH_RISKS",
        "NO_GO_HIGH_RISKS",
        "GO_PROBABILITY",
    )
    return {name.lower(): str(getattr(rule, name)) for name in names}


def recommendation_out(rec: Recommendation) -> dict[str, Any]:
    return {
        "proposed": rec.proposed,
        "outcome": rec.outcome,
        "overridden": rec.overridden,
        "conditions": rec.conditions,
        "rationale": rec.rationale,
        "inputs": rec.inputs,
        "decided_by": rec.decided_by.get_username() if rec.decided_by else None,
        "decided_at": rec.decided_at.isoformat(),
        "version": rec.version,
    }


@router.get(
    BASE + "/recommendation",
    response={200: FeasibilityRecommendationOut, **READ},
    summary="The recorded decision on the proposal (404 while none is recorded)",
)
def recommendation_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    rec = recommendation_of(engagement)
    if rec is None:
        raise Http404
    return recommendation_out(rec)


@router.put(
    BASE + "/recommendation",
    response={200: FeasibilityRecommendationOut, **VERSIONED},
    summary="Confirm or override the proposal (editors); an override needs a rationale",
)
def recommendation_put(request: SignedInRequest, engagement_id: int, payload: FeasibilityRecommendationPut) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id, role=Role.EDITOR)
    rec = recommendation_decide(
        engagement=engagement,
        actor=request.user,
        expected_version=payload.version,
        outcome=payload.outcome,
        conditions=payload.conditions,
        rationale=payload.rationale,
    )
    return recommendation_out(rec)


@router.get(
    BASE + "/basis",
    response={200: FeasibilityBasisOut, **READ},
    summary="The management-basis statements with their sources and the suggested ratings",
)
def basis_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    basis = basis_of(engagement)
    statements = [
        {"aspect": s.aspect, "text": s.text, "source": s.source, "url": s.url, "signal": s.signal}
        for items in basis.statements.values()
        for s in items
    ]
    return {"statements": statements, "suggestions": {str(k): v for k, v in basis.suggestions.items()}}


@router.get(
    BASE + "/timeline",
    response={200: FeasibilityTimelineOut, **READ},
    summary="The stage dates proposed by maturity, next to the plan's",
)
def timeline_get(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    timeline, plan = timeline_of(engagement, basis_of(engagement))

    def iso(day: Any) -> str | None:
        return day.isoformat() if day else None

    return {
        "maturity": timeline.maturity,
        "build_months": timeline.build_months,
        "trial_months": timeline.trial_months,
        "start": timeline.start.isoformat(),
        "stage1": iso(timeline.stage1),
        "stage2": iso(timeline.stage2),
        "plan_stage1": iso(timeline.plan_stage1),
        "plan_stage2": iso(timeline.plan_stage2),
        "has_plan": plan is not None,
    }
