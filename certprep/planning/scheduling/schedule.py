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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from certprep.planning.scheduling import moments as mo
from certprep.planning.scheduling.graph import loops, topological_order
from certprep.planning.scheduling.network import (
    DATED,
    START_CONSTRAINTS,
    Constraint,
    Dependency,
    LagUnit,
    Link,
    Network,
    Outline,
    Problem,
    ProblemKind,
    TaskKey,
    build_outline,
)

FS, SS, FF, SF = range(4)
LINK_CODES = {Link.FS: FS, Link.SS: SS, Link.FF: FF, Link.SF: SF}
LATEST_ALLOWED = frozenset({Constraint.SNLT, Constraint.FNLT, Constraint.MSO, Constraint.MFO})

# An edge between two scheduled (non-summary) tasks: predecessor, successor, link code, lag in working
# seconds, index of the dependency it comes from (a summary's dependency gives several edges).
Edge = tuple[int, int, int, int, int]
Incoming = list[list[tuple[int, int, int, int]]]


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


@dataclass
class _Plan:
    """The network checked and turned into arrays over its scheduled (non-summary) tasks."""

    network: Network
    outline: Outline
    start: int  # the project start, as a moment
    leaves: list[TaskKey]
    position: dict[TaskKey, int]
    duration: list[int]
    milestone: list[bool]
    alap: list[bool]
    constraint: list[Constraint]
    constraint_at: list[int]
    constraint_dates: list[date | None]
    links: list[Dependency]
    names: dict[TaskKey, str]
    dropped: set[int] = field(default_factory=set)  # links left out whole, to close a loop


@dataclass
class _Dates:
    early_start: list[int]
    early_finish: list[int]
    late_start: list[int]
    late_finish: list[int]
    drivers: list[tuple[int, ...]]

    @classmethod
    def empty(cls, size: int) -> _Dates:
        return cls([0] * size, [0] * size, [0] * size, [0] * size, [()] * size)


def schedule(network: Network) -> Schedule:
    """Schedule the network as MS Project would; see the module's description."""
    problems: list[Problem] = []
    if not network.calendar.has_working_days:
        problems.append(Problem(ProblemKind.NO_WORKING_DAYS, ()))
        return Schedule(start=None, finish=None, tasks=(), problems=tuple(problems))
    plan = _prepare(network, problems)
    size = len(plan.leaves)
    dates = _Dates.empty(size)
    leaf_edges = _without_loops(plan, _edges(plan, None, leaf_links_only=True), problems, whole_links=True)
    if any(plan.outline.is_summary(link.predecessor) and link.type in (Link.SS, Link.SF) for link in plan.links):
        # MPXJ chooses the earliest task under a summary from a pass without the summaries' links.
        incoming, order = _incoming(size, leaf_edges)
        _forward(plan, order, incoming, dates, alap_pass=False, conflicts=None)
    edges = leaf_edges + _edges(plan, dates.early_start, leaf_links_only=False)
    edges = _without_loops(plan, edges, problems, whole_links=False)
    incoming, order = _incoming(size, edges)
    outgoing: Incoming = [[] for _ in range(size)]
    for predecessor, successor, code, lag, _link in edges:
        outgoing[predecessor].append((successor, code, lag, _link))
    conflicts: list[Problem] = []
    _forward(plan, order, incoming, dates, alap_pass=False, conflicts=conflicts)
    finish = max(dates.early_finish, default=plan.start)
    _backward(plan, order, outgoing, dates, finish)
    if any(plan.alap):
        conflicts = []
        _forward(plan, order, incoming, dates, alap_pass=True, conflicts=conflicts)
    problems.extend(conflicts)
    tasks = _results(plan, dates)
    calendar = network.calendar
    return Schedule(
        start=mo.to_datetime(plan.start, calendar),
        finish=mo.to_datetime(finish, calendar),
        tasks=tasks,
        problems=tuple(problems),
    )


# --- preparing the network -----------------------------------------------------------------------------------


def _prepare(network: Network, problems: list[Problem]) -> _Plan:
    outline = build_outline(network.tasks, problems)
    calendar = network.calendar
    plan = _Plan(
        network=network,
        outline=outline,
        start=mo.day_start(calendar.ordinal(network.start)),
        leaves=[],
        position={},
        duration=[],
        milestone=[],
        alap=[],
        constraint=[],
        constraint_at=[],
        constraint_dates=[],
        links=[],
        names={task.key: task.name for task in outline.tasks},
    )
    for task in outline.tasks:
        if outline.is_summary(task.key):
            if task.constraint != Constraint.ASAP:
                problems.append(Problem(ProblemKind.SUMMARY_CONSTRAINT, (task.name,), (task.key,)))
            continue
        days = task.duration
        if days < 0:
            problems.append(Problem(ProblemKind.NEGATIVE_DURATION, (task.name,), (task.key,)))
            days = 0
        constraint, at = task.constraint, 0
        if constraint in DATED and task.constraint_date is None:
            problems.append(Problem(ProblemKind.MISSING_CONSTRAINT_DATE, (task.name,), (task.key,), constraint))
            constraint = Constraint.ASAP
        elif constraint in START_CONSTRAINTS and task.constraint_date is not None:
            at = mo.day_start(calendar.ordinal(task.constraint_date))
        elif constraint in DATED and task.constraint_date is not None:
            at = mo.day_finish(calendar.ordinal_on_or_before(task.constraint_date))
        plan.position[task.key] = len(plan.leaves)
        plan.leaves.append(task.key)
        plan.duration.append(days * mo.DAY if isinstance(days, int) else _seconds(Fraction(days) * mo.DAY))
        plan.milestone.append(days == 0)
        plan.alap.append(constraint == Constraint.ALAP)
        plan.constraint.append(constraint)
        plan.constraint_at.append(at)
        plan.constraint_dates.append(task.constraint_date)
    plan.links = _checked_links(network.dependencies, outline, problems)
    return plan


def _checked_links(links: Sequence[Dependency], outline: Outline, problems: list[Problem]) -> list[Dependency]:
    """The dependencies the scheduler can use; the others are reported and left out."""
    names = {task.key: task.name for task in outline.tasks}
    kept: list[Dependency] = []
    seen: set[tuple[TaskKey, TaskKey]] = set()
    for link in links:
        ends = (link.predecessor, link.successor)
        if link.predecessor not in names or link.successor not in names:
            shown = tuple(names.get(key, str(key)) for key in ends)
            problems.append(Problem(ProblemKind.UNKNOWN_TASK, shown, ends))
            continue
        shown = tuple(names[key] for key in ends)
        if link.predecessor == link.successor:
            problems.append(Problem(ProblemKind.SELF_LINK, shown[:1], ends[:1]))
        elif ends in seen:
            problems.append(Problem(ProblemKind.DUPLICATE_LINK, shown, ends))
        elif link.predecessor in outline.ancestors(link.successor) or link.successor in outline.ancestors(
            link.predecessor
        ):
            problems.append(Problem(ProblemKind.OWN_SUMMARY_LINK, shown, ends))
        else:
            seen.add(ends)
            kept.append(link)
    return kept


def _seconds(value: Fraction) -> int:
    """Working seconds, rounded half up to the whole second."""
    return math.floor(value + Fraction(1, 2))


def _lag(link: Dependency, predecessor_seconds: int) -> int:
    lag = link.lag
    if isinstance(lag, int):  # the usual case, in integers: half up is floor((2x + 1) / 2)
        if link.lag_unit == LagUnit.PERCENT:
            return (2 * predecessor_seconds * lag + 100) // 200
        return lag * mo.DAY
    if link.lag_unit == LagUnit.PERCENT:
        return _seconds(Fraction(predecessor_seconds) * Fraction(lag) / 100)
    return _seconds(Fraction(lag) * mo.DAY)


def _edges(plan: _Plan, first_starts: list[int] | None, *, leaf_links_only: bool) -> list[Edge]:
    """Edges between scheduled tasks: the links between two of them (`leaf_links_only`), or those a link
    on a summary task gives (to and from every task under it; from the earliest-starting one for a start
    link from a summary)."""
    outline, position = plan.outline, plan.position
    edges: list[Edge] = []
    for number, link in enumerate(plan.links):
        if number in plan.dropped:
            continue
        from_summary = outline.is_summary(link.predecessor)
        to_summary = outline.is_summary(link.successor)
        if leaf_links_only == (from_summary or to_summary):
            continue
        code = LINK_CODES[link.type]
        if not from_summary:
            predecessors = [position[link.predecessor]]
        elif code in (SS, SF) and first_starts is not None:
            under = [position[key] for key in outline.leaves_under(link.predecessor)]
            predecessors = [min(under, key=lambda leaf: first_starts[leaf])]
        else:
            predecessors = [position[key] for key in outline.leaves_under(link.predecessor)]
        if to_summary:
            successors = [position[key] for key in outline.leaves_under(link.successor)]
        else:
            successors = [position[link.successor]]
        for predecessor in predecessors:
            lag = _lag(link, plan.duration[predecessor])
            edges.extend((predecessor, successor, code, lag, number) for successor in successors)
    return edges


def _without_loops(plan: _Plan, edges: list[Edge], problems: list[Problem], *, whole_links: bool) -> list[Edge]:
    """The edges without those that close a loop; each loop is reported with the tasks its links join."""
    size = len(plan.leaves)
    successors: list[list[int]] = [[] for _ in range(size)]
    for predecessor, successor, *_rest in edges:
        successors[predecessor].append(successor)
    groups = loops(size, successors)
    if not groups:
        return edges
    group_of = {leaf: n for n, group in enumerate(groups) for leaf in group}
    order = {task.key: n for n, task in enumerate(plan.outline.tasks)}
    looping: list[set[int]] = [set() for _ in groups]
    kept = []
    for edge in edges:
        group = group_of.get(edge[0])
        if group is not None and group == group_of.get(edge[1]):
            looping[group].add(edge[4])
        else:
            kept.append(edge)
    for links in looping:
        ends = {key for n in links for key in (plan.links[n].predecessor, plan.links[n].successor)}
        keys = sorted(ends, key=order.__getitem__)
        problems.append(Problem(ProblemKind.CYCLE, tuple(plan.names[key] for key in keys), tuple(keys)))
        if whole_links:
            plan.dropped.update(links)
    return kept


def _incoming(size: int, edges: list[Edge]) -> tuple[Incoming, list[int]]:
    incoming: Incoming = [[] for _ in range(size)]
    successors: list[list[int]] = [[] for _ in range(size)]
    for predecessor, successor, code, lag, link in edges:
        incoming[successor].append((predecessor, code, lag, link))
        successors[predecessor].append(successor)
    return incoming, topological_order(size, successors)


# --- the passes ----------------------------------------------------------------------------------------------


def _forward(
    plan: _Plan,
    order: list[int],
    incoming: Incoming,
    dates: _Dates,
    *,
    alap_pass: bool,
    conflicts: list[Problem] | None,
) -> None:
    """Early start and finish of each task, in topological order. In the pass after the backward one
    (`alap_pass`), an as-late-as-possible predecessor passes on its late dates."""
    shift, next_start, work = mo.shift, mo.next_start, mo.work
    es, ef, ls, lf = dates.early_start, dates.early_finish, dates.late_start, dates.late_finish
    project_start, alap = plan.start, plan.alap
    for task in order:
        duration, constraint, at = plan.duration[task], plan.constraint[task], plan.constraint_at[task]
        fixed_finish = None
        links = incoming[task]
        if not links:
            dates.drivers[task] = ()
            value = project_start
            if constraint == Constraint.SNET:
                value = at
            elif constraint == Constraint.FNET:
                fixed_finish, value = at, shift(at, -duration)
        else:
            candidates = []
            for predecessor, code, lag, link in links:
                late = alap_pass and alap[predecessor] and not alap[task]
                if code == FS:
                    candidate = shift(lf[predecessor] if late else ef[predecessor], lag)
                elif code == SS:
                    candidate = shift(ls[predecessor] if late else es[predecessor], lag)
                elif code == FF:
                    candidate = shift(shift(lf[predecessor] if late else ef[predecessor], -duration), lag)
                    candidate = max(candidate, project_start)
                else:
                    candidate = shift(shift(ls[predecessor] if late else es[predecessor], -duration), lag)
                candidates.append((candidate, link))
            value = max(candidate for candidate, _link in candidates)
            reach = work(value)
            dates.drivers[task] = tuple(
                dict.fromkeys(link for candidate, link in candidates if work(candidate) == reach)
            )
        if not plan.milestone[task]:
            value = next_start(value)
        logic = value
        value, fixed_finish = _constrained(constraint, at, duration, value, fixed_finish)
        if conflicts is not None and links and constraint in LATEST_ALLOWED and work(value) < work(logic):
            conflicts.append(_conflict(plan, task, logic, dates.drivers[task]))
        es[task] = value
        ef[task] = shift(value, duration) if fixed_finish is None else fixed_finish


def _constrained(
    constraint: Constraint, at: int, duration: int, start: int, finish: int | None
) -> tuple[int, int | None]:
    """The early start (and a fixed early finish) once the task's constraint is applied."""
    if constraint == Constraint.SNET:
        return max(start, at), finish
    if constraint == Constraint.FNLT:
        return min(start, mo.shift(at, -duration)), finish
    if constraint == Constraint.FNET:
        return max(start, mo.shift(at, -duration)), finish
    if constraint == Constraint.SNLT:
        return min(start, at), finish
    if constraint == Constraint.MSO:
        return at, finish
    if constraint == Constraint.MFO:
        return mo.shift(at, -duration), at
    return start, finish


def _conflict(plan: _Plan, task: int, logic: int, drivers: tuple[int, ...]) -> Problem:
    key = plan.leaves[task]
    return Problem(
        ProblemKind.CONSTRAINT_CONFLICT,
        (plan.names[key],),
        (key,),
        constraint=plan.constraint[task],
        constraint_date=plan.constraint_dates[task],
        earliest=plan.network.calendar.day(mo.index_of(logic)),
        drivers=tuple(dict.fromkeys(plan.names[plan.links[link].predecessor] for link in drivers)),
    )


def _backward(plan: _Plan, order: list[int], outgoing: Incoming, dates: _Dates, finish: int) -> None:
    """Late finish and start of each task, in reverse topological order, from the project's finish."""
    shift, next_start = mo.shift, mo.next_start
    ls, lf = dates.late_start, dates.late_finish
    for task in reversed(order):
        duration, constraint, at = plan.duration[task], plan.constraint[task], plan.constraint_at[task]
        value = finish
        for successor, code, lag, _link in outgoing[task]:
            if code == FS:
                candidate = shift(ls[successor], -lag)
            elif code == SS:
                candidate = shift(shift(next_start(ls[successor]), -lag), duration)
            elif code == FF:
                candidate = shift(lf[successor], -lag)
            else:
                candidate = shift(shift(lf[successor], duration), -lag)
            value = min(value, candidate)
        if constraint == Constraint.MSO:
            value = shift(at, duration)
        elif constraint == Constraint.MFO:
            value = at
        elif constraint == Constraint.SNLT:
            value = min(value, shift(at, duration))
        elif constraint == Constraint.FNLT:
            value = min(value, at)
        value = mo.previous_finish(value)
        lf[task] = value
        ls[task] = shift(value, -duration)


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


def _results(plan: _Plan, dates: _Dates) -> tuple[ScheduledTask, ...]:
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
    cache: dict[int, datetime] = {}

    def when(value: int) -> datetime:
        found = cache.get(value)
        if found is None:
            found = cache[value] = mo.to_datetime(value, calendar)
        return found

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
                early_start=when(row.early_start),
                early_finish=when(row.early_finish),
                late_start=when(row.late_start),
                late_finish=when(row.late_finish),
                start=when(row.start),
                finish=when(row.finish),
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


def _free_floats(plan: _Plan, rows: Mapping[TaskKey, _Row]) -> None:
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
        gap = work(until) - work(since) - _lag(link, plan.duration[plan.position[link.predecessor]])
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
