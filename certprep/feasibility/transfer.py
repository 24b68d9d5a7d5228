"""The feasibility section of the engagement file: the ratings and the recorded decision (this module), and the
benefits and the risk register (certprep.feasibility.transfer_benefits), exported through the same models the
import validates. The decider is a user name, matched only among the engagement's members. Every value passes
the services' own checks before anything is written."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.errors import ServiceError
from certprep.core.schemas import Choice
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import Outcome, RatingKey
from certprep.feasibility.models import Rating, Recommendation
from certprep.feasibility.selectors.scheme import default_rating
from certprep.feasibility.services.ratings import TEXT_LIMIT, checked_rating
from certprep.feasibility.transfer_benefits import BenefitsSection, benefits_check, benefits_export, benefits_import
from certprep.people.models import Person


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RatingPart(_Part):
    key: Choice[RatingKey]
    score: int | None = Field(None, ge=1, le=5)
    rationale: str = Field("", max_length=TEXT_LIMIT)
    evidence: str = Field("", max_length=TEXT_LIMIT)
    weight: str = Field("1", pattern=r"^\d{1,3}(\.\d{1,2})?$")


class RecommendationPart(_Part):
    proposed: Choice[Outcome]
    outcome: Choice[Outcome]
    conditions: str = Field("", max_length=TEXT_LIMIT)
    rationale: str = Field("", max_length=TEXT_LIMIT)
    inputs: dict[str, Any] = Field(default_factory=dict)
    decided_by: str = Field("", max_length=150)
    decided_at: datetime.datetime


class FeasibilitySection(_Part):
    ratings: list[RatingPart] = Field(default_factory=list, max_length=len(RatingKey))
    recommendation: RecommendationPart | None = None
    benefits: BenefitsSection = Field(default_factory=BenefitsSection)


def feasibility_export(engagement: Engagement, *, people: dict[int, int]) -> dict[str, Any]:
    """people: a person's id -> their position in the file (for the benefits half)."""
    ratings = [
        RatingPart(
            key=RatingKey(r.key),
            score=r.score,
            rationale=r.rationale,
            evidence=r.evidence,
            weight=str(r.weight),
        )
        for r in Rating.objects.filter(engagement=engagement).order_by("pk")
    ]
    stored = Recommendation.objects.filter(engagement=engagement).select_related("decided_by").first()
    recommendation = None
    if stored is not None:
        recommendation = RecommendationPart(
            proposed=Outcome(stored.proposed),
            outcome=Outcome(stored.outcome),
            conditions=stored.conditions,
            rationale=stored.rationale,
            inputs=stored.inputs,
            decided_by=stored.decided_by.get_username() if stored.decided_by else "",
            decided_at=stored.decided_at,
        )
    benefits = BenefitsSection.model_validate(benefits_export(engagement, people=people))
    return FeasibilitySection(ratings=ratings, recommendation=recommendation, benefits=benefits).model_dump(mode="json")


def feasibility_check(section: FeasibilitySection, *, people: int | None) -> None:
    """Refuse the section before anything is written: one rating per aspect, each value within bounds."""
    keys = [r.key for r in section.ratings]
    if len(set(keys)) != len(keys):
        raise ServiceError(_("Feasibility section: an aspect is rated twice."))
    for n, rating in enumerate(section.ratings, 1):
        try:
            checked_rating(rating.model_dump(exclude={"key"}))
        except ServiceError as exc:
            raise ServiceError(
                _("Feasibility section, rating %(n)s: %(problem)s") % {"n": n, "problem": exc.message}
            ) from None
    decision = section.recommendation
    if decision is not None and decision.outcome != decision.proposed and not decision.rationale.strip():
        raise ServiceError(_("Feasibility section: an override of the proposal has no rationale."))
    benefits_check(section.benefits, people=people)


def feasibility_import(
    engagement: Engagement, section: FeasibilitySection, *, people: Sequence[Person], members: Collection[str]
) -> None:
    """Write a checked section into the new engagement (inside the engagement import's transaction)."""
    ratings = []
    for part in section.ratings:
        rating = default_rating(engagement, part.key)
        for name, value in checked_rating(part.model_dump(exclude={"key"})).items():
            setattr(rating, name, value)
        ratings.append(rating)
    Rating.objects.bulk_create(ratings)
    decision = section.recommendation
    if decision is not None:
        user = None
        if decision.decided_by and decision.decided_by in members:
            user = get_user_model().objects.filter(username=decision.decided_by).first()
        Recommendation.objects.create(
            engagement=engagement,
            proposed=decision.proposed,
            outcome=decision.outcome,
            conditions=decision.conditions,
            rationale=decision.rationale,
            inputs=decision.inputs,
            decided_by=user,
            decided_at=decision.decided_at,
        )
    benefits_import(engagement, section.benefits, people=list(people))
