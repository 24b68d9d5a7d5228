"""Reading the project risk register: the summary other parts of the scheme use (open high risks, the plan's
chance of meeting the stage 2 audit date), the register's rows and the heat map's counts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certprep.engagements.models import Engagement
from certprep.feasibility.benefits_usual import AUDIT_SLOT, shown
from certprep.feasibility.choices import RiskStatus
from certprep.feasibility.heatmap import HIGH as HIGH_SCORE
from certprep.feasibility.heatmap import HeatWords, level
from certprep.feasibility.models import Risk
from certprep.planning.choices import AuditKind
from certprep.planning.models import RiskRun

PROBABILITY_STEP = Decimal("0.0001")


@dataclass(frozen=True)
class RiskSummary:
    """Open risks (not closed) with a high score, all open risks, and the latest schedule-risk run's chance of
    finishing stage 2 by its booked date (0-1; None without a run or a booked stage 2)."""

    open_high: int
    open_total: int
    schedule_probability: Decimal | None


@dataclass(frozen=True)
class ScheduleInput:
    """The plan's latest schedule-risk run as an input of the register."""

    run_id: int
    run_at: datetime.datetime
    probability: Decimal | None
    booked: datetime.date | None
    p80: datetime.date | None


def score(likelihood: int, impact: int) -> int:
    return likelihood * impact


def register(engagement: Engagement) -> QuerySet[Risk]:
    return Risk.objects.filter(engagement=engagement).select_related("owner").order_by("position", "pk")


def _stage2(results: dict[str, Any]) -> dict[str, Any] | None:
    targets = [t for t in results.get("targets", []) if isinstance(t, dict) and t.get("kind") == AuditKind.STAGE2]
    return max(targets, key=lambda t: t.get("batch", 1)) if targets else None


def schedule_input(engagement: Engagement) -> ScheduleInput | None:
    """The latest run's stage 2 figures (the last batch when stage 2 is audited in batches); None without a run."""
    run = RiskRun.objects.filter(plan__engagement=engagement).order_by("-created_at", "-pk").first()
    if run is None:
        return None
    stage2 = _stage2(run.results or {})
    if stage2 is None:
        return ScheduleInput(run.pk, run.created_at, None, None, None)
    probability = stage2.get("probability")
    booked = stage2.get("booked")
    p80 = (stage2.get("percentiles") or {}).get("80")
    return ScheduleInput(
        run_id=run.pk,
        run_at=run.created_at,
        probability=None
        if probability is None
        else Decimal(str(probability)).quantize(PROBABILITY_STEP, rounding=ROUND_HALF_UP),
        booked=datetime.date.fromisoformat(str(booked)) if booked else None,
        p80=datetime.date.fromisoformat(str(p80)) if p80 else None,
    )


def risk_summary(engagement: Engagement) -> RiskSummary:
    """Two queries."""
    rows = (
        Risk.objects.filter(engagement=engagement).exclude(status=RiskStatus.CLOSED).values_list("likelihood", "impact")
    )
    scores = [score(likelihood, impact) for likelihood, impact in rows]
    schedule = schedule_input(engagement)
    return RiskSummary(
        open_high=sum(1 for value in scores if value >= HIGH_SCORE),
        open_total=len(scores),
        schedule_probability=schedule.probability if schedule else None,
    )


def heat_counts(risks: list[Risk], *, include_closed: bool = False) -> Counter[tuple[int, int]]:
    """(likelihood, impact) -> how many risks sit in that cell (closed ones left out unless asked)."""
    return Counter(
        (risk.likelihood, risk.impact) for risk in risks if include_closed or risk.status != RiskStatus.CLOSED
    )


@dataclass(frozen=True)
class RiskRow:
    """A risk as the register shows it: its texts in the reader's language while still the shipped ones, its
    score and level, whether its countermeasure is overdue, and whether it concerns the audit bookings."""

    risk: Risk
    title: str
    description: str
    countermeasure: str
    score: int
    level: str
    overdue: bool
    about_bookings: bool


def risk_rows(engagement: Engagement, *, today: datetime.date) -> list[RiskRow]:
    """The register in its order (one query)."""
    return [
        RiskRow(
            risk=risk,
            title=shown("risk", risk.code, "title", risk.title),
            description=shown("risk", risk.code, "description", risk.description),
            countermeasure=shown("risk", risk.code, "countermeasure", risk.countermeasure),
            score=score(risk.likelihood, risk.impact),
            level=level(risk.likelihood, risk.impact),
            overdue=risk.due is not None and risk.due < today and risk.status != RiskStatus.CLOSED,
            about_bookings=risk.code == AUDIT_SLOT,
        )
        for risk in register(engagement)
    ]


def heat_words(counts: Counter[tuple[int, int]]) -> HeatWords:
    """The heat map's texts in the active language; its description counts the risks by level."""
    by_level: Counter[str] = Counter()
    for (likelihood, impact), count in counts.items():
        by_level[level(likelihood, impact)] += count

    def cell(likelihood: int, impact: int, count: int) -> str:
        risks = ngettext("%(count)s risk", "%(count)s risks", count) % {"count": count}
        return _("Likelihood %(likelihood)s, impact %(impact)s: %(risks)s") % {
            "likelihood": likelihood,
            "impact": impact,
            "risks": risks,
        }

    return HeatWords(
        title=_("Risk heat map: open risks by likelihood and impact"),
        desc=_("%(high)s high, %(medium)s medium and %(low)s low open risks.")
        % {"high": by_level["high"], "medium": by_level["medium"], "low": by_level["low"]},
        likelihood=_("Likelihood"),
        impact=_("Impact"),
        cell=cell,
    )
