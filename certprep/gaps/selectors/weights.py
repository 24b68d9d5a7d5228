"""The weight each requirement carries in an engagement: the engagement's own weight for the requirement, its
process or its clause, else the catalogue's (rule: certprep.gaps.rules.effective_weight)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from certprep.catalogue.models import Requirement
from certprep.engagements.models import Engagement
from certprep.gaps.choices import WeightScope
from certprep.gaps.models import Rating, Weight
from certprep.gaps.rules import effective_weight
from certprep.gaps.selectors.lens import process_codes_by_requirement, processes


@dataclass(frozen=True)
class Overrides:
    requirement: dict[str, int]  # urn -> weight
    process: dict[str, int]  # code -> weight
    clause: dict[str, int]  # urn -> weight

    def __bool__(self) -> bool:
        return bool(self.requirement or self.process or self.clause)


def overrides(engagement_id: int) -> Overrides:
    """The weights the engagement set (one query)."""
    found: dict[str, dict[str, int]] = {scope: {} for scope in WeightScope.values}
    for scope, key, weight in Weight.objects.filter(engagement_id=engagement_id).values_list("scope", "key", "weight"):
        found[scope][key] = weight
    return Overrides(
        requirement=found[WeightScope.REQUIREMENT],
        process=found[WeightScope.PROCESS],
        clause=found[WeightScope.CLAUSE],
    )


def weights_by_requirement(
    engagement_id: int,
    framework_id: int,
    *,
    codes: dict[int, list[str]] | None = None,
    set_here: Overrides | None = None,
) -> dict[int, int]:
    """requirement id -> the weight it carries in the engagement. One query when the engagement set no
    weight (the catalogue's weights are then read where the ratings are), three otherwise; `set_here`, when
    the caller read the engagement's weights already, saves the first."""
    if set_here is None:
        set_here = overrides(engagement_id)
    if not set_here:
        return {}
    rows = list(Requirement.objects.filter(framework_id=framework_id).values_list("pk", "parent_id", "urn", "weight"))
    parent: dict[int, int | None] = {pk: parent_id for pk, parent_id, _u, _w in rows}
    urn = {pk: u for pk, _p, u, _w in rows}
    if codes is None:
        codes = process_codes_by_requirement(framework_id)
    result: dict[int, int] = {}
    for pk, parent_id, own_urn, weight in rows:
        ancestors: list[int | None] = []
        node: int | None = parent_id
        seen = 0
        while node is not None and seen < 50:
            ancestors.append(set_here.clause.get(urn.get(node, "")))
            node, seen = parent.get(node), seen + 1
        result[pk] = effective_weight(
            weight,
            requirement=set_here.requirement.get(own_urn),
            processes=[set_here.process[c] for c in codes.get(pk, ()) if c in set_here.process],
            clauses=[w for w in ancestors if w is not None],
        )
    return result


def weight_of(rating: Rating, weights: dict[int, int] | None) -> int:
    """The weight of one rating's requirement: from the map when the engagement set weights, else the catalogue's."""
    if weights:
        return weights.get(rating.requirement_id, rating.requirement.weight)
    return rating.requirement.weight


class EngagementWeights:
    """The weights of one engagement's requirements, read once per framework when first asked for (topics
    and their lists can span assessments of several frameworks)."""

    def __init__(self, engagement_id: int) -> None:
        self.engagement_id = engagement_id
        self._set_here: Overrides | None = None
        self._by_framework: dict[int, dict[int, int]] = {}

    def of(self, *, requirement_id: int, framework_id: int, catalogue_weight: int) -> int:
        if self._set_here is None:
            self._set_here = overrides(self.engagement_id)  # one query, whatever the number of frameworks
        if not self._set_here:
            return catalogue_weight
        if framework_id not in self._by_framework:
            self._by_framework[framework_id] = weights_by_requirement(
                self.engagement_id, framework_id, set_here=self._set_here
            )
        return self._by_framework[framework_id].get(requirement_id, catalogue_weight)

    def of_rating(self, rating: Rating) -> int:
        return self.of(
            requirement_id=rating.requirement_id,
            framework_id=rating.assessment.framework_id,
            catalogue_weight=rating.requirement.weight,
        )


def rating_weight(rating: Rating) -> int:
    """The weight of one requirement in its engagement (one query when no weight is set)."""
    engagement_id = rating.assessment.engagement_id
    return weight_of(rating, weights_by_requirement(engagement_id, rating.assessment.framework_id))


@dataclass
class WeightPage:
    """What the weights page lists, each row with the weight set in the engagement (or None)."""

    processes: list[tuple[str, str, Weight | None]]  # code, name, weight
    clauses: list[tuple[str, str, Weight | None]]  # urn, "ref name", weight
    requirements: list[tuple[str, str, int, Weight | None]]  # urn, "ref name", catalogue weight, weight


def weight_page(engagement: Engagement) -> WeightPage:
    """The lens processes, the clauses (nodes with children) of the frameworks the engagement assesses, and
    the requirements whose weight the engagement sets. Four queries."""
    set_here = {(w.scope, w.key): w for w in Weight.objects.filter(engagement=engagement)}
    frameworks = engagement.assessments.values("framework_id")
    clauses = (
        Requirement.objects.filter(framework_id__in=frameworks)
        .filter(Exists(Requirement.objects.filter(parent=OuterRef("pk"))))
        .select_related("framework")
        .order_by("framework_id", "order")
    )
    urns = [key for scope, key in set_here if scope == WeightScope.REQUIREMENT]
    requirements = Requirement.objects.filter(framework_id__in=frameworks, urn__in=urns).order_by(
        "framework_id", "order"
    )
    return WeightPage(
        processes=[(p.code, p.tr.name, set_here.get((WeightScope.PROCESS, p.code))) for p in processes()],
        clauses=[
            (c.urn, f"{c.ref_id} {c.tr.name}".strip(), set_here.get((WeightScope.CLAUSE, c.urn))) for c in clauses
        ],
        requirements=[
            (r.urn, f"{r.ref_id} {r.tr.name}".strip(), r.weight, set_here.get((WeightScope.REQUIREMENT, r.urn)))
            for r in requirements
        ],
    )
