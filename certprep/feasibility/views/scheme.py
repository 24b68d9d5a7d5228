"""The scheme's pages: the overview (ratings, weighted score, the rule's proposal, the decision, the timeline), one
page per rating (its anchors, and for the management basis the statements certprep gathered with a suggested
rating), and the decision on the proposal."""

from __future__ import annotations

from decimal import Decimal
from functools import partial
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certprep.budget.money import format_money
from certprep.core.actors import SignedInRequest
from certprep.core.feedback import submit_form
from certprep.engagements.access import can, engagement_for_page
from certprep.engagements.choices import Role
from certprep.engagements.models import Engagement
from certprep.feasibility import rule
from certprep.feasibility.access import rating_in
from certprep.feasibility.choices import BASIS_KEYS, Outcome, Score
from certprep.feasibility.forms import DecisionForm, RatingForm
from certprep.feasibility.models import Rating
from certprep.feasibility.selectors.basis import basis_of
from certprep.feasibility.selectors.scheme import Scheme, arithmetic, proposal_of, recommendation_of, scheme_of
from certprep.feasibility.services.ratings import rating_update
from certprep.feasibility.services.recommendation import recommendation_decide
from certprep.feasibility.timeline import MONTHS_BY_MATURITY
from certprep.feasibility.words import ANCHORS, input_lines, rule_lines

ACTIVE = "feasibility"


def _context(engagement: Engagement, membership: Any, **extra: Any) -> dict[str, Any]:
    return {
        "engagement": engagement,
        "membership": membership,
        "active": ACTIVE,
        "editable": can(membership, Role.EDITOR),
        **extra,
    }


def _rows(ratings: list[Rating], suggestions: dict[str, int | None], total_weight: Any) -> list[dict[str, Any]]:
    return [
        {
            "rating": r,
            "label": r.get_key_display(),
            "suggested": suggestions.get(r.key),
            "share": (r.weight * 100 / total_weight).quantize(rule.TWO_PLACES) if total_weight else None,
        }
        for r in ratings
    ]


def _money(scheme: Scheme) -> dict[str, str | None]:
    economics, language = scheme.view.economics, get_language() or "en"

    def fmt(value: Any) -> str | None:
        return None if value is None else format_money(value, economics.currency, language)

    return {"costs": fmt(economics.costs), "benefits": fmt(economics.benefits), "net": fmt(economics.net_benefit)}


@login_required
def overview(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    scheme = scheme_of(engagement)
    view = scheme.view
    total_weight = sum((r.weight for r in view.ratings if r.weight > 0), start=Decimal(0))
    suggestions = scheme.basis.suggestions
    return render(
        request,
        "feasibility/overview.html",
        _context(
            engagement,
            membership,
            scheme=scheme,
            basis_rows=_rows(scheme.basis_ratings, suggestions, total_weight),
            dimension_rows=_rows(scheme.dimension_ratings, suggestions, total_weight),
            arithmetic=arithmetic(view.ratings),
            lines=input_lines(view.proposal, view.inputs, view.economics.currency, get_language() or "en"),
            rule_lines=rule_lines(),
            money=_money(scheme),
            months=sorted(MONTHS_BY_MATURITY.items()),
            proposed_label=Outcome(view.proposal.outcome).label,
        ),
    )


@login_required
def rating_edit(request: SignedInRequest, engagement_id: int, kind: str) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    rating = rating_in(engagement, kind)
    initial = {
        "expected_version": rating.version,
        "score": rating.score,
        "rationale": rating.rationale,
        "evidence": rating.evidence,
        "weight": rating.weight,
    }
    form = RatingForm(request.POST or None, initial=initial)
    saved, conflict = submit_form(
        request,
        form,
        partial(rating_update, engagement=engagement, actor=request.user, key=kind),
        _("Rating saved."),
    )
    if saved is not None:
        return redirect("feasibility:overview", engagement.pk)
    basis = basis_of(engagement) if kind in BASIS_KEYS else None
    return render(
        request,
        "feasibility/rating.html",
        _context(
            engagement,
            membership,
            form=form,
            conflict=conflict,
            rating=rating,
            label=rating.get_key_display(),
            anchors=list(zip(Score.labels, ANCHORS[kind], strict=True)),
            statements=basis.statements[kind] if basis else None,
            suggested=basis.suggested(kind) if basis else None,
        ),
    )


@login_required
def decision(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    engagement, membership = engagement_for_page(request, engagement_id)
    view = proposal_of(engagement)
    stored = recommendation_of(engagement)
    initial: dict[str, Any] = {"expected_version": stored.version if stored else 0}
    if stored is not None:
        initial |= {"outcome": stored.outcome, "conditions": stored.conditions, "rationale": stored.rationale}
    else:
        initial |= {"outcome": view.proposal.outcome}
        if view.proposal.level == rule.Level.CONDITIONAL:
            lines = input_lines(view.proposal, view.inputs, view.economics.currency, get_language() or "en")
            initial["conditions"] = "\n".join(line.condition for line in lines if line.condition)
    form = DecisionForm(request.POST or None, initial=initial)
    saved, conflict = submit_form(
        request,
        form,
        partial(recommendation_decide, engagement=engagement, actor=request.user),
        _("Recommendation recorded."),
    )
    if saved is not None:
        return redirect("feasibility:overview", engagement.pk)
    return render(
        request,
        "feasibility/decision.html",
        _context(
            engagement,
            membership,
            form=form,
            conflict=conflict,
            proposal=view.proposal,
            proposed_label=Outcome(view.proposal.outcome).label,
            stored=stored,
            lines=input_lines(view.proposal, view.inputs, view.economics.currency, get_language() or "en"),
        ),
    )
