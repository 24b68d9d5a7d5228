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
    finish = max((dates.early_finish[n] for n in plan.finishing), default=plan.start)
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
class _Rows:
    """The result's figures as arrays in outline order (moments and working seconds)."""

    early_start: list[int]
    early_finish: list[int]
    late_start: list[int]
    late_finish: list[int]
    start: list[int]
    finish: list[int]
    total_float: list[int]
    free_float: list[int]
    drivers: list[tuple[TaskKey, ...]]


def _results(plan: Plan, dates: Dates) -> tuple[ScheduledTask, ...]:
    outline = plan.outline
    slot = {task.key: number for number, task in enumerate(outline.tasks)}
    rows = _leaf_rows(plan, dates, slot)
    _roll_up(plan, rows, slot)
    _free_floats(plan, rows, slot)
    when = mo.to_datetimes(
        rows.early_start + rows.early_finish + rows.late_start + rows.late_finish, plan.network.calendar
    )
    position, durations, children = plan.position, plan.duration, outline.children
    results = []
    for number, task in enumerate(outline.tasks):
        key = task.key
        summary = key in children
        # a summary's duration is the working time from its start to its finish
        duration = (rows.finish[number] >> 1) - (rows.start[number] >> 1) if summary else durations[position[key]]
        total = rows.total_float[number]
        results.append(
            ScheduledTask(
                key=key,
                name=task.name,
                wbs=outline.wbs[key],
                level=outline.level[key],
                summary=summary,
                milestone=not summary and duration == 0,
                duration_seconds=duration,
                early_start=when[rows.early_start[number]],
                early_finish=when[rows.early_finish[number]],
                late_start=when[rows.late_start[number]],
                late_finish=when[rows.late_finish[number]],
                start=when[rows.start[number]],  # start and finish are early or late dates
                finish=when[rows.finish[number]],
                total_float_seconds=total,
                free_float_seconds=rows.free_float[number],
                critical=total <= 0,
                drivers=rows.drivers[number],
            )
        )
    return tuple(results)


def _leaf_rows(plan: Plan, dates: Dates, slot: dict[TaskKey, int]) -> _Rows:
    """Each scheduled task's dates and total float; an as-late-as-possible task is placed on its late
    dates and has no float."""
    count = len(plan.outline.tasks)
    rows = _Rows(
        early_start=[0] * count,
        early_finish=[0] * count,
        late_start=[0] * count,
        late_finish=[0] * count,
        start=[0] * count,
        finish=[0] * count,
        total_float=[0] * count,
        free_float=[0] * count,
        drivers=[()] * count,
    )
    links = plan.links
    for leaf, key in enumerate(plan.leaves):
        number = slot[key]
        es, ef = dates.early_start[leaf], dates.early_finish[leaf]
        ls, lf = dates.late_start[leaf], dates.late_finish[leaf]
        rows.early_start[number], rows.early_finish[number] = es, ef
        rows.late_start[number], rows.late_finish[number] = ls, lf
        if plan.alap[leaf]:
            rows.start[number], rows.finish[number] = ls, lf
        else:
            rows.start[number], rows.finish[number] = es, ef
            rows.total_float[number] = min((ls >> 1) - (es >> 1), (lf >> 1) - (ef >> 1))
        if dates.drivers[leaf]:
            rows.drivers[number] = tuple(dict.fromkeys(links[link].predecessor for link in dates.drivers[leaf]))
    return rows


def _roll_up(plan: Plan, rows: _Rows, slot: dict[TaskKey, int]) -> None:
    """A summary task's dates from the tasks under it: an as-late-as-possible child counts by its late
    dates among the early ones (its scheduled dates), as MS Project rolls them up. The summary is critical
    by its own total float, as MPXJ reports it (not because a task under it is)."""
    children = plan.outline.children
    for task in reversed(plan.outline.tasks):
        kids = children.get(task.key)
        if not kids:
            continue
        numbers = [slot[kid] for kid in kids]
        number = slot[task.key]
        es = rows.start[number] = rows.early_start[number] = min(rows.start[kid] for kid in numbers)
        ef = rows.finish[number] = rows.early_finish[number] = max(rows.finish[kid] for kid in numbers)
        ls = rows.late_start[number] = min(rows.late_start[kid] for kid in numbers)
        lf = rows.late_finish[number] = max(rows.late_finish[kid] for kid in numbers)
        rows.total_float[number] = min((ls >> 1) - (es >> 1), (lf >> 1) - (ef >> 1))


def _free_floats(plan: Plan, rows: _Rows, slot: dict[TaskKey, int]) -> None:
    """Free float: for a task, the smallest gap its links to successors leave (at the tasks' scheduled
    dates, net of the lag), or its total float without successors; never below 0. For a summary task, as
    MPXJ reports it: 0 when it takes no working time and a task directly under it has a successor, else
    its total float."""
    gaps: dict[int, int] = {}
    with_successors = set()
    start, finish, position, duration = rows.start, rows.finish, plan.position, plan.duration
    for number, link in enumerate(plan.links):
        if number in plan.dropped:
            continue
        with_successors.add(link.predecessor)
        if link.predecessor not in position:
            continue
        before, after = slot[link.predecessor], slot[link.successor]
        code = LINK_CODES[link.type]
        since = finish[before] if code in (FS, FF) else start[before]
        until = start[after] if code in (FS, SS) else finish[after]
        gap = (until >> 1) - (since >> 1) - lag_seconds(link, duration[position[link.predecessor]])
        gaps[before] = min(gap, gaps.get(before, gap))
    children = plan.outline.children
    for number, task in enumerate(plan.outline.tasks):
        total = rows.total_float[number]
        kids = children.get(task.key)
        if kids:
            instant = (finish[number] >> 1) <= (start[number] >> 1)
            free = 0 if instant and any(kid in with_successors for kid in kids) else total
        else:
            free = gaps.get(number, total)
        rows.free_float[number] = max(free, 0)
