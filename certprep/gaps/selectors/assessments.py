"""Assessments of an engagement with their progress, for the overview page and the API."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from certprep.catalogue.models import Requirement
from certprep.engagements.models import Engagement
from certprep.gaps.models import Assessment


def assessment_list(engagement: Engagement, *, newest_first: bool = False) -> QuerySet[Assessment]:
    """The assessments with how many requirements each has (requirement_count) and how many are rated
    (rated_count); oldest first, or newest first as the overview lists them."""
    order = ("-assessed_on", "-pk") if newest_first else ("assessed_on", "pk")
    return (
        Assessment.objects.filter(engagement=engagement)
        .select_related("framework", "created_by", "based_on")
        .annotate(
            requirement_count=Count("ratings", distinct=True),
            rated_count=Count("ratings", filter=Q(ratings__level__isnull=False), distinct=True),
        )
        .order_by(*order)
    )


def latest_assessment(engagement: Engagement) -> Assessment | None:
    """The engagement's newest assessment, without counts (one short query), or None."""
    return Assessment.objects.filter(engagement=engagement).order_by("-assessed_on", "-pk").first()


def assessment_counted(engagement: Engagement, pk: int) -> Assessment:
    """One assessment with its counts, as assessment_list gives them (after a write, to show it)."""
    found = assessment_list(engagement).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def top_clauses(framework_id: int) -> list[str]:
    """References of a framework's top-level nodes (the screen's clause filter)."""
    return list(
        Requirement.objects.filter(framework_id=framework_id, parent__isnull=True).values_list("ref_id", flat=True)
    )


def clauses_with_children(framework_id: int) -> list[tuple[str, str]]:
    """(reference, name) of every node with children, in framework order: what a scale can be set for."""
    rows = (
        Requirement.objects.filter(framework_id=framework_id)
        .filter(Exists(Requirement.objects.filter(parent=OuterRef("pk"))))
        .order_by("order")
        .values_list("ref_id", "name")
    )
    return [(ref, name) for ref, name in rows if ref]
