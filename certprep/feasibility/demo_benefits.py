"""The demo engagement's benefits and risks: the usual benefits with KPIs measured at the demo organization,
five of them priced in the budget's reporting currency, and the usual risks rated for it, each with an owner
among its people, a countermeasure with a due date (one of them overdue) and a status."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from certprep.core.actors import Actor
from certprep.engagements.models import Engagement
from certprep.feasibility.choices import BenefitKey, RiskStatus
from certprep.feasibility.models import Benefit, Risk
from certprep.feasibility.services.benefits import benefit_update, benefits_seed
from certprep.feasibility.services.risks import risk_update, risks_seed
from certprep.people.models import Person

# code -> (baseline, target, money value per year or None, first year)
BENEFITS: dict[str, tuple[str, str, Decimal | None, int]] = {
    BenefitKey.STABLE_SERVICE: ("98.9 % (last 12 months)", "99.7 %", Decimal(180000), 1),
    BenefitKey.CONTINUAL_IMPROVEMENT: ("2 improvements a quarter", "6 a quarter", Decimal(60000), 1),
    BenefitKey.DELIVERY_TIME: ("4.5 working days", "2 working days", Decimal(90000), 2),
    BenefitKey.STAFF: ("21 % of IT staff left last year", "12 %", Decimal(120000), 2),
    BenefitKey.SUPPLIER_MANAGEMENT: ("3 of 14 contracts reviewed", "all 14 reviewed each year", Decimal(50000), 1),
}

# code -> (likelihood, impact, owner's place among the people, due in days from today, status)
RISKS: dict[str, tuple[int, int, int, int, str]] = {
    "weak_commitment": (2, 5, 0, 30, RiskStatus.MITIGATING),
    "key_person": (4, 4, 1, 45, RiskStatus.OPEN),
    "trial_workload": (4, 3, 2, 90, RiskStatus.OPEN),
    "audit_slot": (3, 5, 1, -10, RiskStatus.OPEN),
    "scope_creep": (3, 3, 0, 60, RiskStatus.MITIGATING),
    "paper_system": (3, 4, 3, 120, RiskStatus.OPEN),
    "consultant_dependency": (2, 3, 2, 150, RiskStatus.OPEN),
    "budget_cut": (1, 4, 0, -30, RiskStatus.CLOSED),
}


def load_benefits_demo(*, engagement: Engagement, actor: Actor) -> None:
    """Fill the demo's benefits and risk register; nothing when it has some already."""
    if Benefit.objects.filter(engagement=engagement).exists() or Risk.objects.filter(engagement=engagement).exists():
        return
    benefits_seed(engagement=engagement, actor=actor)
    for benefit in Benefit.objects.filter(engagement=engagement, code__in=list(BENEFITS)):
        baseline, target, value, first_year = BENEFITS[benefit.code]
        benefit_update(
            benefit=benefit,
            actor=actor,
            expected_version=benefit.version,
            baseline=baseline,
            target=target,
            value_per_year=value,
            first_year=first_year,
        )
    risks_seed(engagement=engagement, actor=actor)
    people = list(Person.objects.filter(engagement=engagement).order_by("pk")[:4])
    today = timezone.localdate()
    for risk in Risk.objects.filter(engagement=engagement, code__in=list(RISKS)):
        likelihood, impact, owner, days, status = RISKS[risk.code]
        risk_update(
            risk=risk,
            actor=actor,
            expected_version=risk.version,
            likelihood=likelihood,
            impact=impact,
            owner=people[owner % len(people)] if people else None,
            due=today + datetime.timedelta(days=days),
            status=status,
        )
