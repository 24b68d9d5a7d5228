"""The scheduler's working parts: the network checked and turned into arrays, the edges between scheduled
tasks, and the forward and backward passes over them (no database). `schedule.schedule` drives them.

Tasks under summaries are the nodes; a link between two of them is an edge. A finish-to-start or
finish-to-finish link from a summary task stands for a link from every task under it to every task its
successor covers; instead of that product of edges (a million for two stages of a thousand tasks), it goes
through one extra node, a hub, that takes the latest finish of the tasks before it once and hands it to
each task after it. The dates are the same as with every edge written out, which the agreement tests
check against MPXJ, which does write them out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
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
LONGEST = 200 * 366  # working days: a duration or a lag beyond two centuries is a typing error

# An edge between nodes: predecessor, successor, link code, lag in working seconds, index of the dependency
# it comes from (a summary's dependency gives several edges).
Edge = tuple[int, int, int, int, int]
Adjacent = list[list[tuple[int, int, int, int]]]


@dataclass
class Plan:
    """The network checked and turned into arrays over its scheduled (non-summary) tasks, numbered 0 to
    `size` - 1; hubs are numbered after them."""

    network: Network
    outline: Outline
    start: int  # the project start, as a moment
    names: dict[TaskKey, str]
    leaves: list[TaskKey] = field(default_factory=list)
    position: dict[TaskKey, int] = field(default_factory=dict)
    duration: list[int] = field(default_factory=list)
    milestone: list[bool] = field(default_factory=list)
    alap: list[bool] = field(default_factory=list)
    constraint: list[Constraint] = field(default_factory=list)
    constraint_at: list[int] = field(default_factory=list)
    constraint_dates: list[date | None] = field(default_factory=list)
    links: list[Dependency] = field(default_factory=list)
    dropped: set[int] = field(default_factory=set)  # links left out whole, to close a loop
    hubs: int = 0

    @property
    def size(self) -> int:
        return len(self.leaves)

    @property
    def finishing(self) -> list[int]:
        """The tasks whose early finish sets the project's finish: all but the network's `beyond_finish`."""
        beyond = self.network.beyond_finish
        return [n for n, key in enumerate(self.leaves) if key not in beyond] if beyond else list(range(self.size))


@dataclass
class Dates:
    early_start: list[int]
    early_finish: list[int]
    late_start: list[int]
    late_finish: list[int]
    drivers: list[tuple[int, ...]]  # per task, the dependencies that set its early start

    @classmethod
    def empty(cls, size: int) -> Dates:
        return cls([0] * size, [0] * size, [0] * size, [0] * size, [()] * size)


# --- preparing the network -----------------------------------------------------------------------------------


def prepare(network: Network, problems: list[Problem]) -> Plan:
    outline = build_outline(network.tasks, problems)
    calendar = network.calendar
    plan = Plan(
        network=network,
        outline=outline,
        start=mo.day_start(calendar.ordinal(network.start)),
        names={task.key: task.name for task in outline.tasks},
    )
    for task in outline.tasks:
        if outline.is_summary(task.key):
            if task.constraint != Constraint.ASAP:
                problems.append(Problem(ProblemKind.SUMMARY_CONSTRAINT, (task.name,), (task.key,)))
            continue
        days = task.duration
        if days < 0 or days > LONGEST:
            kind = ProblemKind.NEGATIVE_DURATION if days < 0 else ProblemKind.OUT_OF_RANGE
            problems.append(Problem(kind, (task.name,), (task.key,)))
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
        elif not _sane_lag(link):
            problems.append(Problem(ProblemKind.OUT_OF_RANGE, shown, ends))
        else:
            seen.add(ends)
            kept.append(link)
    return kept


def _sane_lag(link: Dependency) -> bool:
    if not math.isfinite(link.lag):
        return False
    return abs(link.lag) <= (LONGEST if link.lag_unit == LagUnit.DAYS else 100 * LONGEST)


def _seconds(value: Fraction) -> int:
    """Working seconds, rounded half up to the whole second."""
    return math.floor(value + Fraction(1, 2))


def lag_seconds(link: Dependency, predecessor_seconds: int) -> int:
    lag = link.lag
    if isinstance(lag, int):  # the usual case, in integers: half up is floor((2x + 1) / 2)
        if link.lag_unit == LagUnit.PERCENT:
            return (2 * predecessor_seconds * lag + 100) // 200
        return lag * mo.DAY
    if link.lag_unit == LagUnit.PERCENT:
        return _seconds(Fraction(predecessor_seconds) * Fraction(lag) / 100)
    return _seconds(Fraction(lag) * mo.DAY)


# --- edges ---------------------------------------------------------------------------------------------------


def leaf_edges(plan: Plan) -> list[Edge]:
    """Edges for the links between two scheduled tasks."""
    position, edges = plan.position, []
    for number, link in enumerate(plan.links):
        if number not in plan.dropped and link.predecessor in position and link.successor in position:
            predecessor = position[link.predecessor]
            lag = lag_seconds(link, plan.duration[predecessor])
            edges.append((predecessor, position[link.successor], LINK_CODES[link.type], lag, number))
    return edges


def summary_edges(plan: Plan, first_starts: list[int]) -> list[Edge]:
    """Edges for the links on a summary task: to every task under a successor summary; from every task
    under a predecessor summary (through a hub), or for a start link only from the one starting earliest in
    `first_starts` (MPXJ's choice)."""
    outline, position, edges = plan.outline, plan.position, []
    for number, link in enumerate(plan.links):
        from_summary = link.predecessor not in position
        to_summary = link.successor not in position
        if number in plan.dropped or not (from_summary or to_summary):
            continue
        code = LINK_CODES[link.type]
        if to_summary:
            successors = [position[key] for key in outline.leaves_under(link.successor)]
        else:
            successors = [position[link.successor]]
        if from_summary and code in (FS, FF):
            hub = plan.size + plan.hubs
            plan.hubs += 1
            for key in outline.leaves_under(link.predecessor):
                leaf = position[key]
                edges.append((leaf, hub, code, lag_seconds(link, plan.duration[leaf]), number))
            edges.extend((hub, successor, code, 0, number) for successor in successors)
            continue
        if from_summary:
            under = [position[key] for key in outline.leaves_under(link.predecessor)]
            predecessor = min(under, key=lambda leaf: first_starts[leaf])
        else:
            predecessor = position[link.predecessor]
        lag = lag_seconds(link, plan.duration[predecessor])
        edges.extend((predecessor, successor, code, lag, number) for successor in successors)
    return edges


def without_loops(plan: Plan, edges: list[Edge], problems: list[Problem], *, whole_links: bool) -> list[Edge]:
    """The edges without those that close a loop; each loop is reported with the tasks its links join."""
    nodes = plan.size + plan.hubs
    successors: list[list[int]] = [[] for _ in range(nodes)]
    for predecessor, successor, *_rest in edges:
        successors[predecessor].append(successor)
    groups = loops(nodes, successors)
    if not groups:
        return edges
    group_of = {node: n for n, group in enumerate(groups) for node in group}
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


def adjacency(plan: Plan, edges: list[Edge]) -> tuple[Adjacent, Adjacent, list[int]]:
    """Each node's incoming and outgoing edges, and a topological order of the nodes."""
    nodes = plan.size + plan.hubs
    incoming: Adjacent = [[] for _ in range(nodes)]
    outgoing: Adjacent = [[] for _ in range(nodes)]
    following: list[list[int]] = [[] for _ in range(nodes)]
    for predecessor, successor, code, lag, link in edges:
        incoming[successor].append((predecessor, code, lag, link))
        outgoing[predecessor].append((successor, code, lag, link))
        following[predecessor].append(successor)
    return incoming, outgoing, topological_order(nodes, following)


# --- the passes ----------------------------------------------------------------------------------------------


@dataclass
class Hub:
    """What a summary's finish link hands on, for successors that read early dates (0) and, in the pass
    after the backward one, for those that read an as-late-as-possible task's late dates (1): the latest
    moment finish + lag, the greatest working time of finish + lag, and whether a task reaching it did so
    with no positive lag (a finish-to-finish successor then starts at a period's beginning)."""

    latest: list[int | None] = field(default_factory=lambda: [None, None])
    reach: list[int | None] = field(default_factory=lambda: [None, None])
    starts: list[bool] = field(default_factory=lambda: [False, False])
    back: int | None = None  # the earliest late start (or late finish) of the tasks after it


def _hub_forward(hub: Hub, links: list[tuple[int, int, int, int]], dates: Dates, alap: list[bool], both: bool) -> None:
    shift, work = mo.shift, mo.work
    hub.latest, hub.reach, hub.starts = [None, None], [None, None], [False, False]
    for predecessor, _code, lag, _link in links:
        for variant in (0, 1) if both else (0,):
            late = variant and alap[predecessor]
            finish = dates.late_finish[predecessor] if late else dates.early_finish[predecessor]
            latest = hub.latest[variant]
            candidate = shift(finish, lag)
            if latest is None or candidate > latest:
                hub.latest[variant] = candidate
            reach, best = work(finish) + lag, hub.reach[variant]
            if best is None or reach > best:
                hub.reach[variant], hub.starts[variant] = reach, lag <= 0
            elif reach == best and lag <= 0:
                hub.starts[variant] = True


def _from_hub(hub: Hub, code: int, duration: int, variant: int, project_start: int) -> int | None:
    """The early start a task after a summary's finish link gets from its hub."""
    latest, reach = hub.latest[variant], hub.reach[variant]
    if latest is None or reach is None:
        return None
    if code == FS:
        return latest
    if duration == 0:
        return max(latest, project_start)
    value = mo.as_start(reach - duration) if hub.starts[variant] else mo.as_finish(reach - duration)
    return max(value, project_start)


def forward(
    plan: Plan,
    order: list[int],
    incoming: Adjacent,
    dates: Dates,
    hubs: dict[int, Hub],
    *,
    alap_pass: bool,
    conflicts: list[Problem] | None,
) -> None:
    """Early start and finish of each task, in topological order. In the pass after the backward one
    (`alap_pass`), an as-late-as-possible predecessor passes on its late dates."""
    shift, next_start, work = mo.shift, mo.next_start, mo.work
    es, ef, ls, lf = dates.early_start, dates.early_finish, dates.late_start, dates.late_finish
    project_start, alap, size = plan.start, plan.alap, plan.size
    for task in order:
        if task >= size:
            _hub_forward(hubs.setdefault(task, Hub()), incoming[task], dates, alap, alap_pass)
            continue
        duration, constraint, at = plan.duration[task], plan.constraint[task], plan.constraint_at[task]
        candidates = []
        for predecessor, code, lag, link in incoming[task]:
            if predecessor >= size:
                variant = 1 if alap_pass and not alap[task] else 0
                candidate = _from_hub(hubs[predecessor], code, duration, variant, project_start)
                if candidate is not None:
                    candidates.append((candidate, link))
                continue
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
        fixed_finish = None
        if candidates:
            value = max(candidate for candidate, _link in candidates)
            reach = work(value)
            dates.drivers[task] = tuple(dict.fromkeys(link for moment, link in candidates if work(moment) == reach))
        else:
            dates.drivers[task] = ()
            value = project_start
            if constraint == Constraint.SNET:
                value = at
            elif constraint == Constraint.FNET:
                fixed_finish, value = at, shift(at, -duration)
        if not plan.milestone[task]:
            value = next_start(value)
        logic = value
        value, fixed_finish = _constrained(constraint, at, duration, value, fixed_finish)
        if conflicts is not None and candidates and constraint in LATEST_ALLOWED and work(value) < work(logic):
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


def _conflict(plan: Plan, task: int, logic: int, drivers: tuple[int, ...]) -> Problem:
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


def backward(plan: Plan, order: list[int], outgoing: Adjacent, dates: Dates, hubs: dict[int, Hub], finish: int) -> None:
    """Late finish and start of each task, in reverse topological order, from the project's finish."""
    shift, next_start = mo.shift, mo.next_start
    ls, lf, size = dates.late_start, dates.late_finish, plan.size
    for task in reversed(order):
        if task >= size:
            ends = [ls[successor] if code == FS else lf[successor] for successor, code, _lag, _link in outgoing[task]]
            hubs[task].back = min(ends, default=None)
            continue
        duration, constraint, at = plan.duration[task], plan.constraint[task], plan.constraint_at[task]
        value = finish
        for successor, code, lag, _link in outgoing[task]:
            if successor >= size:
                back = hubs[successor].back
                if back is None:
                    continue
                candidate = shift(back, -lag)
            elif code == FS:
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
