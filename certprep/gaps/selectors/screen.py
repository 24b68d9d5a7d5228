"""The assessment screen: every requirement of an assessment with its rating, filtered, in a fixed number
of queries whatever the number of requirements."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils.translation import get_language

from certprep.catalogue.models import Requirement
from certprep.catalogue.outline import clause_requirement_ids
from certprep.catalogue.search import text_matches
from certprep.core.actors import Actor
from certprep.gaps.choices import Priority, Scale
from certprep.gaps.models import Assessment, Evidence, Rating
from certprep.gaps.rules import ATTRIBUTE_KEYS, effective_target, gap, rating_priority
from certprep.gaps.selectors.documents import statuses_by_requirement
from certprep.gaps.selectors.lens import process_codes_by_requirement
from certprep.gaps.selectors.suggestions import suggestions_for
from certprep.gaps.selectors.weights import weight_of, weights_by_requirement

RATING_FILTERS = ("unrated", "rated", "gap", "met")


@dataclass
class Filters:
    clause: str = ""
    process: str = ""
    rating: str = ""  # "", unrated, rated, gap, met, or a level "0".."5"
    owner: str = ""  # "", "me", "none", or a user id
    documentation: str = ""  # "", or a Documentation value, or "unknown"
    q: str = ""

    @classmethod
    def from_query(cls, data: Any) -> Filters:
        def get(name: str, limit: int = 50) -> str:
            return str(data.get(name, "") or "").strip()[:limit]

        return cls(
            clause=get("clause", 30),
            process=get("process"),
            rating=get("rating", 10),
            owner=get("owner", 20),
            documentation=get("documentation", 20),
            q=get("q", 100),
        )

    @property
    def active(self) -> bool:
        return any((self.clause, self.process, self.rating, self.owner, self.documentation, self.q))


@dataclass
class Row:
    rating: Rating
    gap: int | None
    target: int
    points: int
    priority: str | None
    priority_label: str = ""
    attributes: list[tuple[str, str]] = field(default_factory=list)
    evidence_count: int = 0
    topic_count: int = 0
    processes: list[str] = field(default_factory=list)
    suggestions: int = 0
    weight: int = 1
    scale: str = Scale.COMPLIANCE

    @property
    def capability(self) -> bool:
        return self.scale == Scale.CAPABILITY


HEAVY = ("requirement__description", "requirement__evidence", "requirement__search_text")


def ratings_query(assessment: Assessment, *, with_counts: bool = True) -> QuerySet[Rating]:
    """The ratings with their requirement and assessor; with_counts annotates evidence and topic counts
    (fine for a page of rows; a whole screen counts them apart, see `screen`)."""
    qs = (
        Rating.objects.filter(assessment=assessment)
        .select_related("requirement", "owner")
        .order_by("requirement__order", "pk")
    )
    if with_counts:
        return qs.select_related("owner").annotate(
            evidence_count=Count("evidence", distinct=True), topic_count=Count("topics", distinct=True)
        )
    return qs.defer(*HEAVY)


def filtered(
    assessment: Assessment,
    filters: Filters,
    *,
    user: Actor,
    codes: dict[int, list[str]],
    with_counts: bool = True,
    statuses: dict[int, str] | None = None,
) -> QuerySet[Rating]:
    """The ratings the filters let through. `statuses` (documentation status by requirement) is read when the
    documentation filter needs it and not given."""
    qs = ratings_query(assessment, with_counts=with_counts)
    if filters.clause:
        qs = qs.filter(
            requirement_id__in=clause_requirement_ids(framework_id=assessment.framework_id, clause=filters.clause)
        )
    if filters.process:
        qs = qs.filter(requirement_id__in=[pk for pk, c in codes.items() if filters.process in c])
    if filters.rating == "unrated":
        qs = qs.filter(level__isnull=True)
    elif filters.rating == "rated":
        qs = qs.filter(level__isnull=False)
    elif filters.rating.isdigit():
        qs = qs.filter(level=int(filters.rating))
    if filters.owner == "me":
        qs = qs.filter(owner=user)
    elif filters.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        qs = qs.filter(owner_id=int(filters.owner))
    if filters.documentation:
        if statuses is None:
            statuses = statuses_by_requirement(assessment.engagement_id)
        if filters.documentation == "unknown":
            qs = qs.exclude(requirement_id__in=[pk for pk, status in statuses.items() if status])
        else:
            wanted = "approved" if filters.documentation == "controlled" else filters.documentation
            qs = qs.filter(requirement_id__in=[pk for pk, status in statuses.items() if status == wanted])
    if filters.q:
        qs = qs.filter(text_matches("requirement__search_text", filters.q) | Q(notes__icontains=filters.q))
    return qs


def row_for(
    rating: Rating,
    assessment: Assessment,
    codes: dict[int, list[str]] | None = None,
    weights: dict[int, int] | None = None,
) -> Row:
    """One requirement as the screen and the API show it. `weights` are the engagement's weights by
    requirement (see selectors.weights); without them the catalogue's weight applies."""
    target = effective_target(rating.target, assessment.default_target, rating.scale)
    rating_gap = gap(rating.level, target)
    weight = weight_of(rating, weights)
    points, band = rating_priority(level=rating.level, target=target, documentation=rating.documentation, weight=weight)
    attributes = rating.attributes or {}
    return Row(
        rating=rating,
        gap=rating_gap,
        target=target,
        points=points,
        priority=band,
        priority_label=str(Priority(band).label) if band is not None else "",
        attributes=[(key, attributes.get(key, "")) for key in ATTRIBUTE_KEYS]
        if rating.scale == Scale.CAPABILITY
        else [],
        weight=weight,
        scale=rating.scale,
        evidence_count=getattr(rating, "evidence_count", 0),
        topic_count=getattr(rating, "topic_count", 0),
        processes=(codes or {}).get(rating.requirement_id, []),
    )


@dataclass
class Screen:
    rows: list[Row]
    total: int
    rated: int
    members: list[Any]
    codes: dict[int, list[str]]
    scales: set[str] = field(default_factory=set)
    parents: dict[int, str] = field(default_factory=dict)


def parent_labels(framework_id: int) -> dict[int, str]:
    """requirement id -> "reference name" (in the active language) of every node that has children, so a
    leaf shows what it belongs to ("8.5.1 Change management" above "Policy"). One query; each label once."""
    rows = Requirement.objects.filter(
        framework_id=framework_id, pk__in=Requirement.objects.filter(framework_id=framework_id).values("parent_id")
    ).values_list("pk", "ref_id", "name", "translations")
    lang = (get_language() or "en").lower()
    labels = {}
    for pk, ref_id, name, translations in rows:
        shown = name
        for key in (lang, lang.split("-")[0]):
            shown = ((translations or {}).get(key) or {}).get("name") or shown
        labels[pk] = f"{ref_id} {shown}".strip()
    return labels


def screen(assessment: Assessment, filters: Filters, *, user: Actor, with_suggestions: bool = True) -> Screen:
    codes = process_codes_by_requirement(assessment.framework_id)
    statuses = statuses_by_requirement(assessment.engagement_id, framework_id=assessment.framework_id)
    weights = weights_by_requirement(assessment.engagement_id, assessment.framework_id, codes=codes)
    ratings = list(filtered(assessment, filters, user=user, codes=codes, with_counts=False, statuses=statuses))
    for rating in ratings:
        rating.documentation = statuses.get(rating.requirement_id, "")
    evidence = Counter(Evidence.objects.filter(rating__assessment=assessment).values_list("rating_id", flat=True))
    topics = Counter(
        Rating.topics.through.objects.filter(rating__assessment=assessment).values_list("rating_id", flat=True)
    )
    for rating in ratings:
        rating.evidence_count = evidence.get(rating.pk, 0)  # type: ignore[attr-defined]
        rating.topic_count = topics.get(rating.pk, 0)  # type: ignore[attr-defined]
    rows = [row_for(r, assessment, codes, weights) for r in ratings]
    if filters.rating == "gap":
        rows = [row for row in rows if row.points > 0]
    elif filters.rating == "met":
        rows = [row for row in rows if row.gap == 0]
    if with_suggestions:
        open_suggestions = suggestions_for(assessment, ratings)
        for row in rows:
            row.suggestions = len(open_suggestions.get(row.rating.pk, ()))
    counts = Rating.objects.filter(assessment=assessment).aggregate(
        total=Count("pk"),
        rated=Count("pk", filter=Q(level__isnull=False)),
        capability=Count("pk", filter=Q(scale=Scale.CAPABILITY)),
        compliance=Count("pk", filter=Q(scale=Scale.COMPLIANCE)),
    )
    members = list(
        get_user_model().objects.filter(memberships__engagement_id=assessment.engagement_id).order_by("username")
    )
    scales = {str(scale) for scale in (Scale.CAPABILITY, Scale.COMPLIANCE) if counts[scale]}
    return Screen(
        rows=rows,
        total=counts["total"],
        rated=counts["rated"],
        members=members,
        codes=codes,
        scales=scales,
        parents=parent_labels(assessment.framework_id),
    )


class LazyRows:
    """Rows a paginator slices: counted without loading them, and only the page's items made into rows."""

    def __init__(self, items: QuerySet[Rating] | Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self._items = items
        self._convert = convert

    def __len__(self) -> int:
        if isinstance(self._items, QuerySet):
            return self._items.count()
        return len(self._items)

    def __getitem__(self, index: slice) -> list[Any]:
        return [self._convert(item) for item in self._items[index]]

    def then(self, convert: Callable[[Any], Any]) -> LazyRows:
        """The same rows, each then passed through `convert` (an API's output)."""
        first = self._convert
        return LazyRows(self._items, lambda item: convert(first(item)))


def rating_rows(assessment: Assessment, filters: Filters, *, user: Actor) -> LazyRows:
    """The rows the filters let through, as the API pages them: only the rows of a page are built. A gap or
    a met target depends on each row's effective target, so those filters are decided per row, as the
    screen does."""
    codes = process_codes_by_requirement(assessment.framework_id)
    statuses = statuses_by_requirement(assessment.engagement_id)
    weights = weights_by_requirement(assessment.engagement_id, assessment.framework_id, codes=codes)
    ratings = filtered(assessment, filters, user=user, codes=codes, statuses=statuses)

    def row(rating: Rating) -> Row:
        rating.documentation = statuses.get(rating.requirement_id, "")
        return row_for(rating, assessment, codes, weights)

    if filters.rating in ("gap", "met"):
        rows = [row(rating) for rating in ratings]
        return LazyRows([r for r in rows if (r.points > 0 if filters.rating == "gap" else r.gap == 0)], lambda r: r)
    return LazyRows(ratings, row)
