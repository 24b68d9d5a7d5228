"""Stage 1 readiness: which source answers each item, as plain functions over plain data (no database).

A certification body checks a few things before the stage 1 audit (choices.Stage1Item). For each of them the
answer comes from the first source that says something, in this order of precedence:

1. the documented-information checklist: the items marked for it or evidencing its clauses, those with a
   status; ready when every one of them is approved or not needed (rules.DOCUMENTATION_READY);
2. the latest assessment's rating of the item's clauses, those rated; ready when none is below its target;
3. the survey answer that speaks for it (ready or not);
4. nothing: unknown.

The SMS operating long enough is answered from the settings alone: the day operation started.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from certprep.gaps.rules import DOCUMENTATION_READY, gap

OPERATING_DAYS = 91  # about 3 months


@dataclass(frozen=True)
class DocumentFact:
    """A checklist item that speaks for an item: its name and its status ("" when not checked)."""

    name: str
    status: str


@dataclass(frozen=True)
class RatingFact:
    """The rating of one of the item's clauses: its reference, its level (None when not rated), its target."""

    ref: str
    level: int | None
    target: int


@dataclass(frozen=True)
class Decision:
    """The answer for one item: ready (True), not ready (False) or unknown (None), the source that gave it
    (documents, rating, survey, or "" for none) and what of that source the page shows."""

    state: bool | None
    kind: str
    documents: tuple[DocumentFact, ...] = ()
    ratings: tuple[RatingFact, ...] = ()


def decide(documents: Sequence[DocumentFact], ratings: Sequence[RatingFact], survey: bool | None = None) -> Decision:
    """The answer for one stage 1 item, from the first source that says something (see the module's docstring).
    The documents shown are those not ready when there are any, else all that have a status."""
    checked = tuple(d for d in documents if d.status)
    if checked:
        open_items = tuple(d for d in checked if d.status not in DOCUMENTATION_READY)
        return Decision(state=not open_items, kind="documents", documents=open_items or checked)
    rated = tuple(r for r in ratings if r.level is not None)
    if rated:
        return Decision(state=all(gap(r.level, r.target) == 0 for r in rated), kind="rating", ratings=rated)
    if survey is not None:
        return Decision(state=survey, kind="survey")
    return Decision(state=None, kind="")


def operating_days(since: datetime.date | None, today: datetime.date) -> int | None:
    """Days the SMS has been operating, None when the start is not set."""
    return None if since is None else (today - since).days


def operating_long_enough(since: datetime.date | None, today: datetime.date) -> bool | None:
    days = operating_days(since, today)
    return None if days is None else days >= OPERATING_DAYS
