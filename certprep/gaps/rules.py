"""The arithmetic of the gap analysis, as plain functions over plain data (no database).

- Capability (ISO/IEC 33020): a level is achieved when its process attributes are at least L (largely)
  and every attribute of the lower levels is F (fully). The capability is the highest level achieved.
- Gap: how many steps the rating is below its target.
- Priority: requirement weight x (rating gap + 1 when the documented information is missing, a draft or
  not controlled); high from 4 points, medium from 2, low from 1.
- Readiness: the weighted share of the target reached, over the rated requirements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from certprep.gaps.choices import Documentation, Priority, Scale

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
DOCUMENTATION_GAPS = frozenset({Documentation.MISSING, Documentation.DRAFT, Documentation.UNCONTROLLED})
HIGH_FROM = 4
MEDIUM_FROM = 2


def scale_max(scale: str) -> int:
    """The top of a rating scale: capability 5, compliance 3 (conforming)."""
    return 5 if scale == Scale.CAPABILITY else 3


def default_target(scale: str) -> int:
    """What certification usually needs: capability 3 (established) or conforming."""
    return 3


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
    """1 when the documented information is missing, a draft or not controlled, else 0."""
    return 1 if status in DOCUMENTATION_GAPS else 0


def priority_points(*, rating_gap: int | None, documentation: str, weight: int) -> int:
    """weight x (rating gap + documentation gap); an unrated requirement counts only its documentation gap."""
    return max(weight, 1) * ((rating_gap or 0) + documentation_gap(documentation))


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
    """The share of the target reached, 0..1; None when not rated."""
    if level is None:
        return None
    if target <= 0:
        return 1.0
    return min(level, target) / target


@dataclass(frozen=True)
class Summary:
    """Readiness of a group of requirements: percent over the rated ones, and how many are rated."""

    percent: float | None
    rated: int
    total: int
    gaps: int

    @property
    def coverage(self) -> float:
        return 100.0 * self.rated / self.total if self.total else 0.0


def summarize(items: Iterable[tuple[int | None, int, int]]) -> Summary:
    """items: (level or None, target, weight). Weighted readiness percent over the rated items."""
    total = rated = gaps = 0
    weighted = reached = 0.0
    for level, target, weight in items:
        total += 1
        share = readiness(level, target)
        if share is None:
            continue
        rated += 1
        w = max(weight, 1)
        weighted += w
        reached += w * share
        if share < 1:
            gaps += 1
    percent = round(100.0 * reached / weighted, 1) if weighted else None
    return Summary(percent=percent, rated=rated, total=total, gaps=gaps)
