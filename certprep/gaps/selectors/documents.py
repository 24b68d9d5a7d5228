"""The documentation status of requirements, read from the one place it is stored: the checklist items that
evidence them (one query for a whole engagement)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from certprep.engagements.models import Engagement
from certprep.gaps.choices import DocumentKind, DocumentStatus
from certprep.gaps.models import DocumentItem, Rating
from certprep.gaps.rules import combined_documentation


@dataclass(frozen=True)
class LinkedItem:
    """A checklist item as a requirement sees it."""

    pk: int
    name: str
    status: str
    status_label: str


def _links(
    engagement_id: int, requirement_ids: Iterable[int] | None = None, framework_id: int | None = None
) -> list[tuple[int, str]]:
    through = DocumentItem.requirements.through
    rows = through.objects.filter(documentitem__engagement_id=engagement_id)
    if framework_id is not None:
        rows = rows.filter(requirement__framework_id=framework_id)
    if requirement_ids is not None:
        rows = rows.filter(requirement_id__in=list(requirement_ids))
    return list(rows.values_list("requirement_id", "documentitem__status"))


def statuses_by_requirement(engagement_id: int, *, framework_id: int | None = None) -> dict[int, str]:
    """requirement id -> its combined documentation status, for every requirement a checklist item evidences
    (only those of one framework when given)."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for requirement_id, status in _links(engagement_id, framework_id=framework_id):
        grouped[requirement_id].append(status)
    return {pk: combined_documentation(statuses) for pk, statuses in grouped.items()}


def attach_documentation(ratings: Iterable[Rating], engagement_id: int) -> dict[int, str]:
    """Give each rating its documentation status (one query); returns the statuses by requirement."""
    statuses = statuses_by_requirement(engagement_id)
    for rating in ratings:
        rating.documentation = statuses.get(rating.requirement_id, "")
    return statuses


def documentation_of(rating: Rating) -> str:
    """One rating's documentation status, read again (one query): what the checklist says now."""
    rating.__dict__.pop("_documentation", None)
    return rating.documentation


def items_for(engagement_id: int, requirement_id: int) -> list[LinkedItem]:
    """The checklist items that evidence one requirement, in checklist order."""
    items = DocumentItem.objects.filter(engagement_id=engagement_id, requirements=requirement_id).order_by(
        "order", "pk"
    )
    return [
        LinkedItem(pk=item.pk, name=str(item.tr.name), status=item.status, status_label=item.get_status_display())
        for item in items
    ]


def linked_documentation(rating: Rating) -> dict[str, str]:
    """rating id -> documentation status, for the ratings of the same assessment whose requirements share a
    checklist item with this rating's requirement (their status changes with it). Two queries."""
    through = DocumentItem.requirements.through
    engagement_id = rating.assessment.engagement_id
    items = through.objects.filter(
        documentitem__engagement_id=engagement_id, requirement_id=rating.requirement_id
    ).values("documentitem_id")
    requirement_ids = set(
        through.objects.filter(documentitem_id__in=items)
        .exclude(requirement_id=rating.requirement_id)
        .values_list("requirement_id", flat=True)
    )
    if not requirement_ids:
        return {}
    statuses = statuses_by_requirement(engagement_id)
    others = Rating.objects.filter(assessment_id=rating.assessment_id, requirement_id__in=requirement_ids)
    return {str(pk): statuses.get(req, "") for pk, req in others.values_list("pk", "requirement_id")}


def checklist_items(engagement: Engagement, *, kind: str = "", status: str = "") -> QuerySet[DocumentItem]:
    """The checklist in its order with owners and the requirements each item evidences; `kind` (a DocumentKind)
    and `status` (a DocumentStatus, or "unknown" for not checked) narrow it, other values are ignored."""
    items = (
        DocumentItem.objects.filter(engagement=engagement)
        .select_related("owner")
        .prefetch_related("requirements")
        .order_by("order", "pk")
    )
    if kind in DocumentKind.values:
        items = items.filter(kind=kind)
    if status == "unknown":
        items = items.filter(status="")
    elif status and status in DocumentStatus.values:
        items = items.filter(status=status)
    return items
