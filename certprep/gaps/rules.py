"""The arithmetic of the gap analysis, as plain functions over plain data (no database).

- Capability (ISO/IEC 33020): a level is achieved when its process attributes are at least L (largely)
  and every attribute of the lower levels is F (fully). The capability is the highest level achieved.
- Gap: how many steps the rating is below its target, on its own scale.
- Mixed scales, one normalization (`share`, `common_gap`): a requirement rated on the capability scale
  (0-5) and one rated on the compliance scale (0-3) are compared by the share of their own target they
  reach, min(level, target) / target, a number from 0 to 1. The common gap is COMMON_STEPS x (1 - share):
  three steps from nothing to the target, the span of the compliance scale, so a compliance rating with
  its usual target 3 keeps its plain gap, and a capability rating of 1 against target 3 counts as 2 steps
  like a compliance rating of 1 against 3. Readiness and priorities use this and nothing else.
- Priority: weight x (common gap + 1 when the documented information is not ready), rounded half up;
  high from 4 points, medium from 2, low from 1. The weight is the engagement's (see `effective_weight`).
- Readiness (`summarize`): the weighted mean share over every requirement of the group; an unrated
  requirement counts as not ready (share 0), so rating only the strong areas never raises the figure.
  Coverage (rated / total) is shown beside it.
- Documented information: one status per checklist item; a requirement's status combines the statuses
  of the items that evidence it (`combined_documentation`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from certprep.gaps.choices import DocumentStatus, Priority, Scale

# Process attributes by capability level: (key, level, name).
ATTRIBUTES: tuple[tuple[str, int, str], ...] = (
    ("1.1", 1, _("Process performance")),
    ("2.1", 2, _("Performance management")),
    ("2.2", 2, _("Work product management")),
    ("3.1", 3, _("Process definition")),
    ("3.2", 3, _("Process deployment")),
    ("4.1", 4, _("Quantitative analysis")),
    ("4.2", 4, _("Quantitative control")),
    ("5.1", 5, _("Process innovation")),
    ("5.2", 5, _("Process innovation implementation")),
)  # type: ignore[assignment]
ATTRIBUTE_KEYS: tuple[str, ...] = tuple(key for key, _level, _name in ATTRIBUTES)
ACHIEVEMENTS: tuple[str, ...] = ("N", "P", "L", "F")
# Statuses of documented information that still need work, worst first.
DOCUMENTATION_GAPS: tuple[str, ...] = (
    DocumentStatus.MISSING,
    DocumentStatus.DRAFT,
    DocumentStatus.IN_REVIEW,
    DocumentStatus.UNCONTROLLED,
)
DOCUMENTATION_READY = frozenset({DocumentStatus.APPROVED, DocumentStatus.NOT_NEEDED})
HIGH_FROM = 4
MEDIUM_FROM = 2
COMMON_STEPS = 3
CAPABILITY_CLAUSES = frozenset({"8"})  # the clause of the operational processes, rated on the capability scale
WEIGHT_MIN, WEIGHT_MAX = 1, 5


def scale_max(scale: str) -> int:
    """The top of a rating scale: capability 5, compliance 3 (conforming)."""
    return 5 if scale == Scale.CAPABILITY else 3


def default_target(scale: str) -> int:
    """What certification usually needs: capability 3 (established) or conforming."""
    return 3


def scale_for(policy: str, top_clause: str) -> str:
    """The scale a requirement is rated on when an assessment is created: the policy's own scale, or with
    the mixed policy capability for the clause 8 processes and compliance for every other clause."""
    if policy in (Scale.CAPABILITY, Scale.COMPLIANCE):
        return policy
    return Scale.CAPABILITY if top_clause in CAPABILITY_CLAUSES else Scale.COMPLIANCE


def effective_target(target: int | None, default: int, scale: str) -> int:
    """The requirement's own target, else the assessment's default, never above the top of its scale."""
    return max(1, min(target or default, scale_max(scale)))


def clean_attributes(attributes: Mapping[str, object]) -> dict[str, str]:
    """Only known attribute keys with a valid N/P/L/F value, in level order."""
    return {key: str(attributes[key]) for key in ATTRIBUTE_KEYS if attributes.get(key) in ACHIEVEMENTS}


def capability_level(attributes: Mapping[str, object]) -> int | None:
    """The capability level the attribute ratings achieve, or None when no attribute is rated.

    An attribute not rated counts as N (not achieved)."""
    rated = clean_attributes(attributes)
    if not rated:
        return None
    level = 0
    for candidate in range(1, 6):
        own = [rated.get(key, "N") for key, lvl, _name in ATTRIBUTES if lvl == candidate]
        lower = [rated.get(key, "N") for key, lvl, _name in ATTRIBUTES if lvl < candidate]
        if all(value in ("L", "F") for value in own) and all(value == "F" for value in lower):
            level = candidate
        else:
            break
    return level


def gap(level: int | None, target: int) -> int | None:
    """Steps below the target; None when not rated."""
    if level is None:
        return None
    return max(target - level, 0)


def documentation_gap(status: str) -> int:
    """1 when the documented information is missing, a draft, in review or not controlled, else 0."""
    return 1 if status in DOCUMENTATION_GAPS else 0


def combined_documentation(statuses: Iterable[str]) -> str:
    """A requirement's documentation status from the statuses of the checklist items that evidence it: the
    worst open status when one item still needs work; not checked when an item is not checked; none needed
    when no item is needed; approved otherwise. No item at all: not checked."""
    given = list(statuses)
    for status in DOCUMENTATION_GAPS:
        if status in given:
            return status
    if not given or DocumentStatus.UNKNOWN in given or any(s not in DOCUMENTATION_READY for s in given):
        return DocumentStatus.UNKNOWN
    if all(s == DocumentStatus.NOT_NEEDED for s in given):
        return DocumentStatus.NOT_NEEDED
    return DocumentStatus.APPROVED


def share(level: int | None, target: int) -> float | None:
    """The normalization of every scale: the share of its own target a rating reaches, 0..1 (None: not rated)."""
    if level is None:
        return None
    if target <= 0:
        return 1.0
    return max(0, min(level, target)) / target


def common_gap(level: int | None, target: int) -> float | None:
    """The gap in common steps, COMMON_STEPS x (1 - share): comparable across the two scales."""
    reached = share(level, target)
    return None if reached is None else COMMON_STEPS * (1 - reached)


def priority_points(*, rating_gap: float | None, documentation: str, weight: int) -> int:
    """weight x (gap in common steps + documentation gap), rounded half up; an unrated requirement counts
    only its documentation gap."""
    raw = max(weight, 1) * ((rating_gap or 0) + documentation_gap(documentation))
    return int(raw + 0.5 + 1e-9)


def rating_priority(*, level: int | None, target: int, documentation: str, weight: int) -> tuple[int, str | None]:
    """Priority points and band of one requirement, through the one normalization."""
    points = priority_points(rating_gap=common_gap(level, target), documentation=documentation, weight=weight)
    return points, priority_band(points)


def requirement_points(
    *, level: int | None, target: int | None, default_target: int, scale: str, documentation: str, weight: int
) -> int:
    """Priority points of one rated requirement as stored: its own target (else the assessment's default,
    within its scale) through the one normalization. Topics rank by these, as the screen does."""
    points, _band = rating_priority(
        level=level, target=effective_target(target, default_target, scale), documentation=documentation, weight=weight
    )
    return points


def effective_weight(
    default: int,
    *,
    requirement: int | None = None,
    processes: Iterable[int] = (),
    clauses: Iterable[int] = (),
) -> int:
    """The weight the engagement gives a requirement: its own weight if the engagement set one; else the
    highest weight set for one of its processes; else the weight set for its nearest clause (clauses are
    given nearest first); else the catalogue's weight."""
    if requirement is not None:
        return requirement
    chosen = [w for w in processes if w is not None]
    if chosen:
        return max(chosen)
    for weight in clauses:
        if weight is not None:
            return weight
    return max(default, 1)


def priority_band(points: int) -> str | None:
    """High from 4 points, medium from 2, low from 1; None when there is nothing to improve."""
    if points >= HIGH_FROM:
        return Priority.HIGH
    if points >= MEDIUM_FROM:
        return Priority.MEDIUM
    if points >= 1:
        return Priority.LOW
    return None


def readiness(level: int | None, target: int) -> float | None:
    """The share of the target reached, 0..1; None when not rated (the normalization, see `share`)."""
    return share(level, target)


@dataclass(frozen=True)
class Summary:
    """Readiness of a group of requirements. `percent` is the headline: the weighted share of the targets
    reached over every requirement, an unrated one counting as not ready; `rated_percent` is the same over
    the rated ones only; coverage says how many are rated."""

    percent: float | None
    rated: int
    total: int
    gaps: int
    rated_percent: float | None = None

    @property
    def coverage(self) -> float:
        return round(100.0 * self.rated / self.total, 1) if self.total else 0.0


def summarize(items: Iterable[tuple[int | None, int, int]]) -> Summary:
    """items: (level or None, target, weight). The honest readiness percent over all items (None only when
    there is no item), with the share over the rated ones and the coverage beside it."""
    total = rated = gaps = 0
    weighted_all = weighted_rated = reached = 0.0
    for level, target, weight in items:
        total += 1
        w = max(weight, 1)
        weighted_all += w
        reached_share = share(level, target)
        if reached_share is None:
            continue
        rated += 1
        weighted_rated += w
        reached += w * reached_share
        if reached_share < 1:
            gaps += 1
    percent = round(100.0 * reached / weighted_all, 1) if weighted_all else None
    rated_percent = round(100.0 * reached / weighted_rated, 1) if weighted_rated else None
    return Summary(percent=percent, rated=rated, total=total, gaps=gaps, rated_percent=rated_percent)
