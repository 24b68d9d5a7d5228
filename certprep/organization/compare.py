"""Comparing a document's figures now with its figures at the approval (pure, no database).

The digest is the sha256 of the figures' keys and values in their order, written as canonical JSON: the labels
are left out (they are in the reader's language), so the same document has the same digest in every language."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from certprep.core.parts import ApprovalFigure


def stored(figures: Sequence[ApprovalFigure]) -> list[dict[str, str]]:
    """The figures as an approval stores them."""
    return [{"key": f.key, "label": f.label, "value": f.value} for f in figures]


def digest(figures: Sequence[ApprovalFigure] | Sequence[Mapping[str, Any]]) -> str:
    pairs = [[f.key, f.value] if isinstance(f, ApprovalFigure) else [str(f["key"]), str(f["value"])] for f in figures]
    canonical = json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Difference:
    """One figure that differs: `before` None when it was added since, `after` None when it was removed."""

    key: str
    label: str
    before: str | None
    after: str | None
    words: Mapping[str, str] = field(default_factory=dict)  # the figure's coded values in words (ApprovalFigure)

    @property
    def before_shown(self) -> str | None:
        return None if self.before is None else self.words.get(self.before, self.before)

    @property
    def after_shown(self) -> str | None:
        return None if self.after is None else self.words.get(self.after, self.after)

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "changed"


def differences(approved: Sequence[Mapping[str, Any]], now: Sequence[ApprovalFigure]) -> list[Difference]:
    """The figures changed, added or removed since the approval: changed and added in today's order, then the
    removed ones in the approval's order. The label is today's (the approval's for a removed figure)."""
    then = {str(f["key"]): f for f in approved}
    current = {f.key for f in now}
    found = [
        Difference(f.key, f.label, None if f.key not in then else str(then[f.key]["value"]), f.value, f.words)
        for f in now
        if f.key not in then or str(then[f.key]["value"]) != f.value
    ]
    found.extend(
        Difference(str(f["key"]), str(f.get("label", f["key"])), str(f["value"]), None)
        for f in approved
        if str(f["key"]) not in current
    )
    return found
