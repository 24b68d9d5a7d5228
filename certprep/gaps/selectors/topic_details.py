"""Improvement topics read whole, each with its requirements and their priority points, as the API shows them
(the topics page ranks them through selectors.topics)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from certprep.engagements.models import Engagement
from certprep.gaps.models import ImprovementTopic, Rating
from certprep.gaps.rules import requirement_points
from certprep.gaps.selectors.documents import attach_documentation
from certprep.gaps.selectors.weights import EngagementWeights


def topics_with_ratings(engagement: Engagement, *, topic_ids: list[int] | None = None) -> list[ImprovementTopic]:
    """The engagement's topics in creation order (those of topic_ids only, when given), their ratings in
    clause order with the documentation status attached. Four queries."""
    ratings = Rating.objects.select_related("requirement", "assessment").order_by("requirement__order", "pk")
    queryset = (
        ImprovementTopic.objects.filter(engagement=engagement)
        .select_related("owner")
        .prefetch_related(Prefetch("ratings", queryset=ratings))
        .order_by("id")
    )
    if topic_ids is not None:
        queryset = queryset.filter(pk__in=topic_ids)
    topics = list(queryset)
    attach_documentation([r for topic in topics for r in topic.ratings.all()], engagement.pk)
    for topic in topics:
        topic.engagement = engagement
    return topics


def topic_with_ratings(engagement: Engagement, pk: int) -> ImprovementTopic:
    found = topics_with_ratings(engagement, topic_ids=[pk])
    if not found:
        raise Http404
    return found[0]


def rating_points(rating: Rating, weights: EngagementWeights) -> int:
    """The priority points of a rating (documentation attached), with the engagement's weights."""
    return requirement_points(
        level=rating.level,
        target=rating.target,
        default_target=rating.assessment.default_target,
        scale=rating.scale,
        documentation=rating.documentation,
        weight=weights.of_rating(rating),
    )


def topic_points(topic: ImprovementTopic, weights: EngagementWeights) -> int:
    """A topic's priority points: the highest of its requirements' (ratings read by topics_with_ratings)."""
    return max((rating_points(r, weights) for r in topic.ratings.all()), default=0)


def linked_requirements(topic: ImprovementTopic) -> list[tuple[int, str]]:
    """A topic's requirements in clause order as (rating id, "ref name"), like requirement_choices."""
    ratings = topic.ratings.select_related("requirement").order_by("requirement__order")
    return [(r.pk, f"{r.requirement.ref_id} {r.requirement.tr.name}") for r in ratings]


def requirement_labels(engagement: Engagement, rating_ids: list[int]) -> list[tuple[int, str]]:
    """The engagement's ratings with these ids as (rating id, requirement as text), ignoring other ids."""
    ratings = Rating.objects.filter(assessment__engagement=engagement, pk__in=rating_ids).select_related("requirement")
    return [(r.pk, str(r.requirement)) for r in ratings]
