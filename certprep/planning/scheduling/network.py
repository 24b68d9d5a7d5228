"""A plan's network as plain data, its outline (WBS) and what is wrong with it (no database).

A `Network` is what the scheduler reads: the project start, the calendar, the tasks in outline order (a
task with children is a summary task; one of 0 days a milestone) and the dependencies between them. The
input is the user's data, so nothing here raises on it: `check` lists each problem by task name, and the
scheduler leaves out what it cannot use (a link to an unknown task, a link closing a cycle) and says so.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from certprep.planning.scheduling.calendar import WorkingCalendar

TaskKey = Hashable


class Link(StrEnum):
    """How a dependency ties its two tasks, in MS Project's notation."""

    FS = "FS"  # the successor starts after the predecessor finishes
    SS = "SS"  # starts after it starts
    FF = "FF"  # finishes after it finishes
    SF = "SF"  # finishes after it starts


class LagUnit(StrEnum):
    DAYS = "d"  # working days
    PERCENT = "%"  # per cent of the predecessor's duration


class Constraint(StrEnum):
    """MS Project's constraint types."""

    ASAP = "ASAP"  # as soon as possible (no date)
    ALAP = "ALAP"  # as late as possible (no date)
    SNET = "SNET"  # start no earlier than
    SNLT = "SNLT"  # start no later than
    FNET = "FNET"  # finish no earlier than
    FNLT = "FNLT"  # finish no later than
    MSO = "MSO"  # must start on
    MFO = "MFO"  # must finish on


DATED = frozenset({Constraint.SNET, Constraint.SNLT, Constraint.FNET, Constraint.FNLT, Constraint.MSO, Constraint.MFO})
START_CONSTRAINTS = frozenset({Constraint.SNET, Constraint.SNLT, Constraint.MSO})


@dataclass(frozen=True, slots=True)
class Task:
    """A task of the plan. `duration` is in working days (0: a milestone); `parent` is the key of its
    summary task. A constraint date is a day: a start constraint means the beginning of that working day
    (or the next one), a finish constraint its end (or the end of the previous working day)."""

    key: TaskKey
    name: str
    duration: int = 0
    parent: TaskKey | None = None
    constraint: Constraint = Constraint.ASAP
    constraint_date: date | None = None


@dataclass(frozen=True, slots=True)
class Dependency:
    """`successor` depends on `predecessor` by `type`, with a lag in working days (fractions allowed, counted
    to the second) or in per cent of the predecessor's duration; negative lags overlap the tasks."""

    predecessor: TaskKey
    successor: TaskKey
    type: Link = Link.FS
    lag: float = 0
    lag_unit: LagUnit = LagUnit.DAYS


@dataclass(frozen=True)
class Network:
    """The tasks and links to schedule from `start` on `calendar`. `beyond_finish` names tasks that come after
    the project and do not set its finish (a certification project's surveillance and recertification audits,
    pinned years later): the backward pass starts from the latest early finish of the other tasks, so their
    floats measure the project, not the certificate's cycle. Empty, as in MS Project, every task counts."""

    start: date
    tasks: Sequence[Task]
    dependencies: Sequence[Dependency] = ()
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    beyond_finish: frozenset[TaskKey] = frozenset()


class ProblemKind(StrEnum):
    NO_WORKING_DAYS = "no_working_days"  # the calendar's week has no working day
    DUPLICATE_TASK = "duplicate_task"  # two tasks share a key; the later one is left out
    UNKNOWN_PARENT = "unknown_parent"  # a task's summary task is not in the plan; it is shown at the top
    OUTLINE_CYCLE = "outline_cycle"  # tasks are each other's summary tasks; they are shown at the top
    NEGATIVE_DURATION = "negative_duration"  # counted as 0 days
    MISSING_CONSTRAINT_DATE = "missing_constraint_date"  # a dated constraint without a date: as soon as possible
    SUMMARY_CONSTRAINT = "summary_constraint"  # a summary task's constraint or duration is not used (MS Project)
    UNKNOWN_TASK = "unknown_task"  # a dependency names a task that is not in the plan; left out
    SELF_LINK = "self_link"  # a task depends on itself; left out
    DUPLICATE_LINK = "duplicate_link"  # a second dependency between the same two tasks; left out
    OWN_SUMMARY_LINK = "own_summary_link"  # a summary task linked with a task inside it; left out
    CYCLE = "cycle"  # dependencies that close a loop; left out
    CONSTRAINT_CONFLICT = "constraint_conflict"  # a constraint holds the task before its predecessors allow
    OUT_OF_RANGE = "out_of_range"  # a duration or lag beyond two centuries (ignored), or dates past the year 9999


@dataclass(frozen=True)
class Problem:
    """Something the user should fix, naming the tasks involved (`tasks`, with their `keys`).

    A conflict also gives the constraint date and the earliest day the task's predecessors allow. Pages write
    it in the reader's language from `kind` and the fields (the engine itself holds no words)."""

    kind: ProblemKind
    tasks: tuple[str, ...]
    keys: tuple[TaskKey, ...] = ()
    constraint: Constraint | None = None
    constraint_date: date | None = None
    earliest: date | None = None
    drivers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outline:
    """The tasks' hierarchy as the scheduler uses it, after the checks."""

    tasks: tuple[Task, ...]  # kept tasks, outline order
    parent: Mapping[TaskKey, TaskKey | None]
    children: Mapping[TaskKey, tuple[TaskKey, ...]]
    wbs: Mapping[TaskKey, str]
    level: Mapping[TaskKey, int]

    def is_summary(self, key: TaskKey) -> bool:
        return key in self.children  # only tasks with children are listed

    def leaves_under(self, key: TaskKey) -> list[TaskKey]:
        """The tasks below a summary that are not summaries themselves, MPXJ's order: the summary's own
        children first, then those of each child summary in turn."""
        found: list[TaskKey] = []
        pending = [key]
        while pending:
            summary = pending.pop()
            kids = self.children.get(summary, ())
            found.extend(kid for kid in kids if not self.is_summary(kid))
            pending.extend(reversed([kid for kid in kids if self.is_summary(kid)]))
        return found

    def ancestors(self, key: TaskKey) -> list[TaskKey]:
        found = []
        parent = self.parent.get(key)
        while parent is not None:
            found.append(parent)
            parent = self.parent.get(parent)
        return found


def build_outline(tasks: Sequence[Task], problems: list[Problem]) -> Outline:
    """The outline of the tasks: duplicates dropped, unknown and looping parents cut, WBS numbers given."""
    kept: dict[TaskKey, Task] = {}
    for task in tasks:
        if task.key in kept:
            problems.append(Problem(ProblemKind.DUPLICATE_TASK, (task.name,), (task.key,)))
        else:
            kept[task.key] = task
    parent: dict[TaskKey, TaskKey | None] = {}
    for task in kept.values():
        if task.parent is not None and task.parent not in kept:
            problems.append(Problem(ProblemKind.UNKNOWN_PARENT, (task.name,), (task.key,)))
            parent[task.key] = None
        else:
            parent[task.key] = task.parent
    _cut_outline_cycles(kept, parent, problems)
    children: dict[TaskKey, list[TaskKey]] = {}
    for key in kept:
        if parent[key] is not None:
            children.setdefault(parent[key], []).append(key)
    wbs: dict[TaskKey, str] = {}
    level: dict[TaskKey, int] = {}
    roots = [key for key in kept if parent[key] is None]
    pending: list[tuple[TaskKey, str, int]] = [(key, str(n), 1) for n, key in enumerate(roots, 1)][::-1]
    ordered: list[Task] = []
    while pending:
        key, number, depth = pending.pop()
        wbs[key], level[key] = number, depth
        ordered.append(kept[key])
        kids = children.get(key, [])
        pending.extend([(kid, f"{number}.{n}", depth + 1) for n, kid in enumerate(kids, 1)][::-1])
    return Outline(
        tasks=tuple(ordered),
        parent=parent,
        children={key: tuple(kids) for key, kids in children.items()},
        wbs=wbs,
        level=level,
    )


def _cut_outline_cycles(
    tasks: Mapping[TaskKey, Task], parent: dict[TaskKey, TaskKey | None], problems: list[Problem]
) -> None:
    """Tasks that are (through others) their own summary task are moved to the top and reported."""
    settled: set[TaskKey] = set()
    for start in tasks:
        path: list[TaskKey] = []
        on_path: set[TaskKey] = set()
        key: TaskKey | None = start
        while key is not None and key not in settled and key not in on_path:
            path.append(key)
            on_path.add(key)
            key = parent[key]
        if key is not None and key in on_path:
            loop = path[path.index(key) :]
            problems.append(
                Problem(ProblemKind.OUTLINE_CYCLE, tuple(tasks[k].name for k in loop), tuple(loop)),
            )
            for looped in loop:
                parent[looped] = None
        settled.update(path)
