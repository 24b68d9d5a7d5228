"""The scheduler: MS Project's critical path method over a network and its working calendar (no database).

`schedule(network)` runs the forward pass (early start and finish), the backward pass from the project's
finish (late start and finish), then total and free float, the critical tasks and the summary tasks'
roll-up, the way MS Project does as MPXJ's `MicrosoftScheduler` reproduces it (docs/scheduling.md tells
the rules and where they come from). In short:

- Summary tasks are not scheduled themselves; a dependency on a summary task applies to every task under
  it (for a start-to-start or start-to-finish link from a summary, to the earliest-starting task under it,
  as found by a first pass without the summaries' links). A summary's dates, critical flag and float are
  rolled up from the tasks under it.
- Early start is the latest date the predecessors allow, then the constraint: start or finish no earlier
  than pushes the task later, must start or finish on puts it on the date, start or finish no later than
  pulls it earlier, even before its predecessors allow. MS Project honours constraint dates so; such a
  constraint is reported as a conflict, and the float of the tasks before it turns negative.
- Late finish is the earliest date the successors allow (never after the project's finish), then the
  constraint. An as-late-as-possible task is placed on its late dates and its successors follow them.
- Total float is the smaller of start float and finish float in working time; a task is critical when its
  total float is 0 or less. Free float is the smallest gap to a successor, net of the lag, never below 0.

Lags and floats are counted in working seconds of the 8-hour day (`moments`), so a lag of half a day or
of 33 % of a 3-day task lands where MS Project puts it; durations are whole working days.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from certprep.planning.scheduling import moments as mo
from certprep.planning.scheduling.network import Link, Network, Problem, ProblemKind, TaskKey
from certprep.planning.scheduling.passes import (
    FF,
    FS,
    LINK_CODES,
    SS,
    Dates,
    Hub,
    Plan,
    adjacency,
    backward,
    forward,
    lag_seconds,
    leaf_edges,
    prepare,
    summary_edges,
    without_loops,
)


@dataclass(frozen=True, slots=True)
class ScheduledTask:
    """A task's place in the schedule. Dates are naive date-times on the engagement's calendar (08:00 to
    17:00); durations and floats are in working seconds (`moments.DAY` = 28,800 a day), with the `_days`
    properties for display.

    `start` and `finish` are where the task is scheduled: its early dates, or its late ones when it is as
    late as possible. `drivers` are the predecessors whose dependency sets the early start (summary tasks
    when the dependency is on the summary); empty when the project start or a constraint sets it."""

    key: TaskKey
    name: str
    wbs: str
    level: int
    summary: bool
    milestone: bool
    duration_seconds: int  # a summary's from its start to its finish
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    start: datetime
    finish: datetime
    total_float_seconds: int
    free_float_seconds: int
    critical: bool
    drivers: tuple[TaskKey, ...] = ()

    @property
    def total_float_days(self) -> float:
        return self.total_float_seconds / mo.DAY

    @property
    def free_float_days(self) -> float:
        return self.free_float_seconds / mo.DAY

    @property
    def duration_days(self) -> float:
        return self.duration_seconds / mo.DAY


@dataclass(frozen=True)
class Schedule:
    """The result: each task in outline order, the project's start and finish, and the problems found.

    Problems never stop the scheduling: what could not be used is left out and named there. Only a
    calendar without working days leaves the schedule empty (and `start`, `finish` unset)."""

    start: datetime | None
    finish: datetime | None
    tasks: tuple[ScheduledTask, ...]
    problems: tuple[Problem, ...]
    _by_key: dict[TaskKey, ScheduledTask] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {task.key: task for task in self.tasks})

    def task(self, key: TaskKey) -> ScheduledTask:
        return self._by_key[key]

    @property
    def critical(self) -> tuple[TaskKey, ...]:
        """Keys of the critical tasks that are not summaries, in outline order."""
        return tuple(task.key for task in self.tasks if task.critical and not task.summary)


def schedule(network: Network) -> Schedule:
    """Schedule the network as MS Project would; see the module's description."""
    problems: list[Problem] = []
    if not network.calendar.has_working_days:
        problems.append(Problem(ProblemKind.NO_WORKING_DAYS, ()))
        return Schedule(start=None, finish=None, tasks=(), problems=tuple(problems))
    plan = prepare(network, problems)
    try:
        return _scheduled(plan, problems)
    except OverflowError:  # a date beyond the year 9999 (or before the year 1): nothing to show
        problems.append(Problem(ProblemKind.OUT_OF_RANGE, ()))
        return Schedule(start=None, finish=None, tasks=(), problems=tuple(problems))


def _scheduled(plan: Plan, problems: list[Problem]) -> Schedule:
    dates = Dates.empty(plan.size)
    direct = without_loops(plan, leaf_edges(plan), problems, whole_links=True)
    if any(link.predecessor not in plan.position and link.type in (Link.SS, Link.SF) for link in plan.links):
        # MPXJ picks the earliest task under a summary from a pass without the summaries' links.
        incoming, _outgoing, order = adjacency(plan, direct)
        forward(plan, order, incoming, dates, {}, alap_pass=False, conflicts=None)
    edges = without_loops(plan, direct + summary_edges(plan, dates.early_start), problems, whole_links=False)
    incoming, outgoing, order = adjacency(plan, edges)
    hubs: dict[int, Hub] = {}
    conflicts: list[Problem] = []
    forward(plan, order, incoming, dates, hubs, alap_pass=False, conflicts=conflicts)
    finish = max(dates.early_finish, default=plan.start)
    backward(plan, order, outgoing, dates, hubs, finish)
    if any(plan.alap):
        conflicts = []
        forward(plan, order, incoming, dates, hubs, alap_pass=True, conflicts=conflicts)
    problems.extend(conflicts)
    calendar = plan.network.calendar
    return Schedule(
        start=mo.to_datetime(plan.start, calendar),
        finish=mo.to_datetime(finish, calendar),
        tasks=_results(plan, dates),
        problems=tuple(problems),
    )


# --- floats, roll-up and the result --------------------------------------------------------------------------


@dataclass
class _Row:
    early_start: int
    early_finish: int
    late_start: int
    late_finish: int
    start: int
    finish: int
    total_float: int
    critical: bool
    drivers: tuple[TaskKey, ...] = ()
    free_float: int = 0


def _results(plan: Plan, dates: Dates) -> tuple[ScheduledTask, ...]:
    work = mo.work
    rows: dict[TaskKey, _Row] = {}
    for leaf, key in enumerate(plan.leaves):
        es, ef = dates.early_start[leaf], dates.early_finish[leaf]
        ls, lf = dates.late_start[leaf], dates.late_finish[leaf]
        total = 0 if plan.alap[leaf] else min(work(ls) - work(es), work(lf) - work(ef))
        start, finish = (ls, lf) if plan.alap[leaf] else (es, ef)
        drivers = tuple(dict.fromkeys(plan.links[link].predecessor for link in dates.drivers[leaf]))
        rows[key] = _Row(es, ef, ls, lf, start, finish, total, total <= 0, drivers)
    outline = plan.outline
    for task in reversed(outline.tasks):
        if outline.is_summary(task.key):
            rows[task.key] = _rolled_up([rows[child] for child in outline.children[task.key]])
    _free_floats(plan, rows)
    calendar = plan.network.calendar
    moments = {value for row in rows.values() for value in (row.early_start, row.early_finish)}
    moments.update(value for row in rows.values() for value in (row.late_start, row.late_finish))
    when = mo.to_datetimes(moments, calendar)  # start and finish are among them
    results = []
    for task in outline.tasks:
        row = rows[task.key]
        summary = outline.is_summary(task.key)
        duration = work(row.finish) - work(row.start) if summary else plan.duration[plan.position[task.key]]
        results.append(
            ScheduledTask(
                key=task.key,
                name=task.name,
                wbs=outline.wbs[task.key],
                level=outline.level[task.key],
                summary=summary,
                milestone=not summary and duration == 0,
                duration_seconds=duration,
                early_start=when[row.early_start],
                early_finish=when[row.early_finish],
                late_start=when[row.late_start],
                late_finish=when[row.late_finish],
                start=when[row.start],
                finish=when[row.finish],
                total_float_seconds=row.total_float,
                free_float_seconds=row.free_float,
                critical=row.critical,
                drivers=row.drivers,
            )
        )
    return tuple(results)


def _rolled_up(children: list[_Row]) -> _Row:
    """A summary task's dates from the tasks under it: an as-late-as-possible child counts by its late
    dates among the early ones (its scheduled dates), as MS Project rolls them up. The summary is critical
    by its own total float, as MPXJ reports it (not because a task under it is)."""
    work = mo.work
    es = min(child.start for child in children)
    ef = max(child.finish for child in children)
    ls = min(child.late_start for child in children)
    lf = max(child.late_finish for child in children)
    total = min(work(ls) - work(es), work(lf) - work(ef))
    return _Row(es, ef, ls, lf, es, ef, total, total <= 0)


def _free_floats(plan: Plan, rows: Mapping[TaskKey, _Row]) -> None:
    """Free float: for a task, the smallest gap its links to successors leave (at the tasks' scheduled
    dates, net of the lag), or its total float without successors; never below 0. For a summary task, as
    MPXJ reports it: 0 when it takes no working time and a task directly under it has a successor, else
    its total float."""
    work = mo.work
    gaps: dict[TaskKey, int] = {}
    for number, link in enumerate(plan.links):
        if number in plan.dropped or plan.outline.is_summary(link.predecessor):
            continue
        before, after = rows[link.predecessor], rows[link.successor]
        code = LINK_CODES[link.type]
        since = before.finish if code in (FS, FF) else before.start
        until = after.start if code in (FS, SS) else after.finish
        gap = work(until) - work(since) - lag_seconds(link, plan.duration[plan.position[link.predecessor]])
        gaps[link.predecessor] = min(gap, gaps.get(link.predecessor, gap))
    with_successors = {link.predecessor for n, link in enumerate(plan.links) if n not in plan.dropped}
    for task in plan.outline.tasks:
        row = rows[task.key]
        children = plan.outline.children.get(task.key)
        if children:
            instant = work(row.early_finish) <= work(row.early_start)
            free = 0 if instant and any(child in with_successors for child in children) else row.total_float
        else:
            free = gaps.get(task.key, row.total_float)
        row.free_float = max(free, 0)
