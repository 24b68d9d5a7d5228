"""The suggested rating of each management-basis aspect from the facts certprep has gathered: plain functions,
no database. Each fact that speaks for an aspect gives a signal on the 1-5 scale (what it means is written next
to the statement on the page); the suggestion is the mean of an aspect's signals rounded half up, or None when
nothing speaks for it yet. The person rating the aspect confirms or changes it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

# The profile's ITIL adoption (engagements.choices.ItilAdoption) on the 1-5 scale.
ITIL_SIGNAL = {"none": 1, "awareness": 2, "partial": 3, "broad": 4, "mature": 5}


def percent_signal(percent: float | Decimal) -> int:
    """A share reached (0-100 %) on the 1-5 scale: below 20 % is 1, from 80 % on is 5."""
    value = Decimal(str(percent))
    return max(1, min(5, 1 + int(value // 20)))


def matrix_signal(*, roles: int, errors: int, warnings: int) -> int | None:
    """The responsibility matrix: none yet says nothing; rule errors (no accountable, an activity no one does)
    mean a weak structure, warnings only an adequate one, a clean matrix a strong one."""
    if roles == 0:
        return None
    if errors:
        return 2
    return 3 if warnings else 4


def certifications_signal(count: int) -> int:
    """Management systems already certified: documents, internal audit and management review exist."""
    return 4 if count else 2


def gaps_share_signal(*, gaps: int, rated: int) -> int | None:
    """The share of rated requirements below their target: the more, the riskier the current system during
    certification (5 when none is below target, 1 when all are)."""
    if not rated:
        return None
    return max(1, min(5, 5 - (4 * gaps) // rated))


def suggestion(signals: Iterable[int | None]) -> int | None:
    known = [s for s in signals if s is not None]
    if not known:
        return None
    mean = Decimal(sum(known)) / len(known)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
