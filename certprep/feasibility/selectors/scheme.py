"""The feasibility scheme as one read: the nine ratings (stored, or unsaved with their default weights while
nobody rated them), the weighted score, the economics and the risk summary (from the benefits-and-risks half),
the rule's proposal, the recorded decision and the timeline proposal by maturity. A fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from certprep.engagements.models import Engagement
from certprep.feasibility import rule
from certprep.feasibility.choices import BASIS_KEYS, Area, RatingKey
from certprep.feasibility.models import Rating, Recommendation
from certprep.feasibility.selectors.basis import Basis, basis_of
from certprep.feasibility.selectors.economics import Economics, economics_of
from certprep.feasibility.selectors.risks import RiskSummary, risk_summary
from certprep.feasibility.timeline import Timeline, maturity_level, propose_timeline
from certprep.planning.choices import AuditKind
from certprep.planning.models import AuditBooking, Plan

# The default weights: the management basis weighs twice what each feasibility dimension does, so an
# organization without a working basis cannot score its way to a go on technical grounds.
DEFAULT_WEIGHTS: dict[str, Decimal] = {
    key: Decimal("2.00") if key in BASIS_KEYS else Decimal("1.00") for key in RatingKey
}


def default_rating(engagement: Engagement, key: str) -> Rating:
    area = Area.BASIS if key in BASIS_KEYS else Area.DIMENSION
    return Rating(engagement=engagement, key=key, area=area, weight=DEFAULT_WEIGHTS[key])


def ratings_of(engagement: Engagement) -> list[Rating]:
    """The nine ratings in the scheme's order, the unsaved defaults standing in for those never saved (one query)."""
    stored = {r.key: r for r in Rating.objects.filter(engagement=engagement)}
    return [stored.get(key) or default_rating(engagement, key) for key in RatingKey]


def score_of(ratings: list[Rating]) -> Decimal | None:
    return rule.weighted_score((r.score, r.weight) for r in ratings)


def arithmetic(ratings: list[Rating]) -> str:
    """The score's sum written out: (4 × 2 + 3 × 1) ÷ (2 + 1); empty when nothing is rated."""
    counted = [r for r in ratings if r.score is not None and r.weight > 0]
    if not counted:
        return ""
    top = " + ".join(f"{r.score} × {r.weight.normalize()}" for r in counted)
    bottom = " + ".join(str(r.weight.normalize()) for r in counted)
    return f"({top}) ÷ ({bottom})"


def rule_inputs(ratings: list[Rating], economics: Economics, risks: RiskSummary) -> rule.Inputs:
    return rule.Inputs(
        score=score_of(ratings),
        lowest=rule.lowest_rating(r.score for r in ratings),
        net_benefit=economics.net_benefit,
        payback_years=economics.payback_years,
        open_high_risks=risks.open_high,
        schedule_probability=risks.schedule_probability,
    )


def inputs_record(inputs: rule.Inputs, currency: str) -> dict[str, Any]:
    """The inputs as the recommendation keeps them: language-neutral JSON."""

    def text(value: Decimal | None) -> str | None:
        return None if value is None else str(value)

    return {
        "score": text(inputs.score),
        "lowest": inputs.lowest,
        "net_benefit": text(inputs.net_benefit),
        "payback_years": text(inputs.payback_years),
        "open_high_risks": inputs.open_high_risks,
        "schedule_probability": text(inputs.schedule_probability),
        "currency": currency,
    }


@dataclass(frozen=True)
class ProposalView:
    ratings: list[Rating]
    economics: Economics
    risks: RiskSummary
    inputs: rule.Inputs
    proposal: rule.Proposal


def proposal_of(engagement: Engagement) -> ProposalView:
    ratings = ratings_of(engagement)
    economics, risks = economics_of(engagement), risk_summary(engagement)
    inputs = rule_inputs(ratings, economics, risks)
    return ProposalView(ratings, economics, risks, inputs, rule.propose(inputs))


def recommendation_of(engagement: Engagement) -> Recommendation | None:
    return Recommendation.objects.filter(engagement=engagement).select_related("decided_by").first()


def stage_dates(plan: Plan | None) -> tuple[datetime.date | None, datetime.date | None]:
    """The plan's booked stage 1 date (its first) and stage 2 date (its last batch), or None."""
    if plan is None:
        return None, None
    days: dict[str, list[datetime.date]] = {AuditKind.STAGE1: [], AuditKind.STAGE2: []}
    for kind, day in AuditBooking.objects.filter(plan=plan, kind__in=list(days)).values_list("kind", "date"):
        days[kind].append(day)
    stage1, stage2 = days[AuditKind.STAGE1], days[AuditKind.STAGE2]
    return (min(stage1) if stage1 else None), (max(stage2) if stage2 else None)


def timeline_of(engagement: Engagement, basis: Basis) -> tuple[Timeline, Plan | None]:
    plan = Plan.objects.filter(engagement=engagement).first()
    stage1, stage2 = stage_dates(plan)
    timeline = propose_timeline(
        maturity=maturity_level(basis.readiness_percent, basis.itil_signal),
        start=plan.start_date if plan else timezone.localdate(),
        findings_window_days=plan.findings_window_days if plan else None,
        plan_stage1=stage1,
        plan_stage2=stage2,
    )
    return timeline, plan


@dataclass(frozen=True)
class Scheme:
    engagement: Engagement
    view: ProposalView
    basis: Basis
    recommendation: Recommendation | None
    timeline: Timeline
    has_plan: bool

    @property
    def ratings(self) -> list[Rating]:
        return self.view.ratings

    @property
    def score(self) -> Decimal | None:
        return self.view.inputs.score

    @property
    def basis_ratings(self) -> list[Rating]:
        return [r for r in self.view.ratings if r.key in BASIS_KEYS]

    @property
    def dimension_ratings(self) -> list[Rating]:
        return [r for r in self.view.ratings if r.key not in BASIS_KEYS]


def scheme_of(engagement: Engagement) -> Scheme:
    view = proposal_of(engagement)
    basis = basis_of(engagement)
    timeline, plan = timeline_of(engagement, basis)
    return Scheme(engagement, view, basis, recommendation_of(engagement), timeline, plan is not None)
