"""Improvement topics with the priority their requirements give them (a fixed number of queries)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch

from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic, Rating
from certprep.gaps.rules import HIGH_FROM, MEDIUM_FROM, gap, priority_band, priority_points

BAND_ORDER = {"high": 0, "medium": 1, "low": 2, None: 3}


@dataclass
class Line:
    rating: Rating
    gap: int | None
    points: int


@dataclass
class TopicView:
    topic: ImprovementTopic
    lines: list[Line] = field(default_factory=list)
    points: int = 0
    priority: str | None = None
    evidence: int = 0


def topic_views(engagement: Engagement, *, topic_ids: list[int] | None = None) -> list[TopicView]:
    ratings = (
        Rating.objects.select_related("requirement", "assessment")
        .defer("requirement__description", "requirement__evidence", "requirement__search_text", "notes")
        .annotate(evidence_total=Count("evidence"))
        .order_by("requirement__order")
    )
    qs = (
        ImprovementTopic.objects.filter(engagement=engagement)
        .select_related("owner", "assessment")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
    )
    if topic_ids is not None:
        qs = qs.filter(pk__in=topic_ids)
    views = []
    for topic in qs:
        view = TopicView(topic=topic)
        for rating in topic.ratings.all():
            target = rating.target or rating.assessment.default_target
            rating_gap = gap(rating.level, target)
            points = priority_points(
                rating_gap=rating_gap, documentation=rating.documentation, weight=rating.requirement.weight
            )
            view.lines.append(Line(rating=rating, gap=rating_gap, points=points))
            view.evidence += rating.evidence_total  # type: ignore[attr-defined]
        view.points = max((line.points for line in view.lines), default=0)
        view.priority = priority_band(view.points)
        views.append(view)
    views.sort(key=lambda v: (BAND_ORDER[v.priority], -v.points, v.topic.due_date or _FAR, v.topic.pk))
    return views


class _Far:
    def __lt__(self, other: Any) -> bool:
        return False

    def __gt__(self, other: Any) -> bool:
        return True


_FAR: Any = _Far()
RULE = {"high": HIGH_FROM, "medium": MEDIUM_FROM}
