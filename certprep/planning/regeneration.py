"""Regenerating a plan: what a new generation would add, change and remove (pure, no database).

A generated task stores the values its rule gave it (`generated`). Comparing a new proposal with those
values, not with the task as it is now, tells what the rules now say differently; comparing the task as it
is now with them tells what a person edited. A change that would overwrite an edit, and a removal of a task
someone edited or started, is marked so the page asks before applying it (unticked by default); nothing is
applied without the user's confirmation, and tasks added by hand are never touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from certprep.planning.rules import ProposedTask

FIELDS = ("name", "name_zh", "duration", "milestone", "parent", "predecessors")


def snapshot(task: ProposedTask) -> dict[str, Any]:
    """The values a rule gives a task, in the JSON shape stored as the task's `generated`."""
    return {
        "name": task.name,
        "name_zh": task.name_zh,
        "duration": task.duration,
        "milestone": task.milestone,
        "parent": task.parent,
        "predecessors": sorted([link.predecessor, link.type, link.lag] for link in task.predecessors),
    }


@dataclass(frozen=True)
class StoredTask:
    """A generated task as stored: its values now (same shape as `snapshot`) and as generated."""

    key: str
    name: str
    current: Mapping[str, Any]
    generated: Mapping[str, Any]
    started: bool = False  # progress or actual dates recorded


class ChangeKind(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    key: str
    name: str
    fields: tuple[str, ...] = ()
    overrides_edit: bool = False  # applying it loses something a person did

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def edited_fields(stored: StoredTask) -> tuple[str, ...]:
    return tuple(name for name in FIELDS if stored.current.get(name) != stored.generated.get(name))


def plan_diff(proposed: Sequence[ProposedTask], stored: Mapping[str, StoredTask]) -> list[Change]:
    """The changes a new generation proposes, in the proposal's order, removals last."""
    changes: list[Change] = []
    for task in proposed:
        known = stored.get(task.key)
        if known is None:
            changes.append(Change(ChangeKind.ADDED, task.key, task.name))
            continue
        new = snapshot(task)
        differing = tuple(name for name in FIELDS if new[name] != known.generated.get(name))
        if differing:
            edited = set(edited_fields(known))
            changes.append(
                Change(ChangeKind.CHANGED, task.key, known.name, differing, bool(edited.intersection(differing)))
            )
    wanted = {task.key for task in proposed}
    for key, known in stored.items():
        if key not in wanted:
            changes.append(
                Change(ChangeKind.REMOVED, key, known.name, overrides_edit=bool(edited_fields(known)) or known.started)
            )
    return changes


def default_selection(changes: Sequence[Change]) -> set[str]:
    """The changes ticked when the page opens: every one that loses nothing a person did."""
    return {change.id for change in changes if not change.overrides_edit}
