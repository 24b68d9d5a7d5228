"""Schedule risk: a Monte Carlo run of the plan's network with three-point estimates (numpy, no database).

Each task with an estimate (optimistic, most likely = its duration, pessimistic, in working days) gets a
duration drawn from the triangular distribution over the three, in every iteration; the other tasks keep
their duration. The forward and backward passes then run once over all iterations at once: each task's
dates are numpy arrays of shape [iterations] of the engine's moments (`moments`: twice the working seconds,
plus the side of a period boundary), in the topological order of the deterministic engine's own graph
(`passes.prepare`, `leaf_edges`, `summary_edges`, `adjacency`), with the same rules: the four link types,
lags in days and per cent (a per-cent lag follows the drawn duration of its predecessor), hubs for links
from summary tasks, constraints, and the as-late-as-possible pass. Dates are made only at the end, for the
percentiles, with the `WorkingCalendar`. With optimistic = most likely = pessimistic every iteration is the
deterministic schedule, which the tests check against `schedule.schedule`.

Why triangular rather than PERT's beta: its inverse distribution function has a closed form, so each
iteration's duration is one uniform number pushed through it. The same seed gives the same uniforms for a
task whatever the other tasks' estimates are, and a more pessimistic estimate gives a duration at least as
long in every iteration (no resampling noise), so a percentile never moves earlier because an estimate got
worse. numpy has no beta inverse (it would need scipy), and the triangular's heavier tail makes the
percentiles a little more cautious than PERT's, which suits a date promised to a certification body.

Not sampled: milestones (0 days), summary tasks (rolled up), and tasks whose estimate is not ordered
optimistic <= duration <= pessimistic (reported). A start-to-start or start-to-finish link from a summary
task follows the task under it that starts earliest in the deterministic schedule in every iteration.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from certprep.planning.scheduling import moments as mo
from certprep.planning.scheduling.network import Constraint, LagUnit, Link, Network, Problem, ProblemKind, TaskKey
from certprep.planning.scheduling.passes import (
    FF,
    FS,
    LATEST_ALLOWED,
    SS,
    Adjacent,
    Dates,
    Plan,
    adjacency,
    forward,
    leaf_edges,
    prepare,
    summary_edges,
    without_loops,
)
from certprep.planning.scheduling.schedule import Schedule, schedule

Moments = npt.NDArray[np.int64]
Value = Moments | int  # a moment or a number of seconds: one per iteration, or the same for all
DEFAULT_ITERATIONS = 5_000
MIN_ITERATIONS, MAX_ITERATIONS = 1_000, 100_000
CHUNK = 2_500  # iterations run together; bounds the memory (tasks x CHUNK x 5 arrays of 8 bytes)
PERCENTILES = (50, 80, 95)
TOP_CRITICAL = 10
BINS = 20


@dataclass(frozen=True, slots=True)
class Estimate:
    """A three-point estimate in working days; the most likely duration is the task's own."""

    optimistic: int
    pessimistic: int


@dataclass(frozen=True, slots=True)
class Target:
    """A task whose dates the run reports (the stage 1 and stage 2 audits), with its booked date if any."""

    key: TaskKey
    booked: date | None = None


# --- vectorized moments (the same arithmetic as `moments`, on arrays or plain integers) ----------------------


def _shift(value: Value, seconds: Value) -> Value:
    if isinstance(seconds, int):
        if seconds > 0:
            return ((value >> 1) + seconds) << 1
        if seconds < 0:
            moved = (value >> 1) + seconds
            return (moved << 1) | (moved % mo.MORNING == 0)
        return value
    base = value >> 1
    ahead = (base + seconds) << 1
    moved = base + seconds
    back = (moved << 1) | (moved % mo.MORNING == 0)
    return np.where(seconds > 0, ahead, np.where(seconds < 0, back, value))


def _plus(value: Value, duration: Value) -> Value:
    """`_shift` by a duration (never negative): `value` itself where it is 0."""
    if isinstance(duration, int):
        return _shift(value, duration)
    ahead = ((value >> 1) + duration) << 1
    return ahead if duration.min() > 0 else np.where(duration > 0, ahead, value)


def _minus(value: Value, duration: Value) -> Value:
    """`_shift` back by a duration (never negative)."""
    if isinstance(duration, int):
        return _shift(value, -duration)
    moved = (value >> 1) - duration
    back = (moved << 1) | (moved % mo.MORNING == 0)
    return back if duration.min() > 0 else np.where(duration > 0, back, value)


def _latest(values: list[Value]) -> Value:
    if all(isinstance(value, int) for value in values):
        return max(values)
    return functools.reduce(np.maximum, values)


def _earliest(values: list[Value]) -> Value:
    if all(isinstance(value, int) for value in values):
        return min(values)
    return functools.reduce(np.minimum, values)


def _next_start(value: Value) -> Value:
    return value | ((value >> 1) % mo.MORNING == 0)


def _as_start(seconds: Value) -> Value:
    return (seconds << 1) | (seconds % mo.MORNING == 0)


# --- sampling ------------------------------------------------------------------------------------------------


def triangular(uniform: npt.NDArray[np.float64], low: float, mode: float, high: float) -> npt.NDArray[np.float64]:
    """The triangular distribution's inverse distribution function at `uniform` (0 to 1)."""
    if high <= low:
        return np.full_like(uniform, float(low))
    split = (mode - low) / (high - low)
    rising = low + np.sqrt(uniform * (high - low) * (mode - low))
    falling = high - np.sqrt((1 - uniform) * (high - low) * (high - mode))
    return np.where(uniform < split, rising, falling)


@dataclass
class _Network:
    """The engine's graph of the network, once, with what the iterations need."""

    plan: Plan
    incoming: Adjacent
    outgoing: Adjacent
    order: list[int]
    estimates: dict[int, Estimate]  # by leaf number
    percent: dict[tuple[int, int], Any]  # (leaf, link number) -> per-cent lag, for a leaf drawn per iteration


def _graph(network: Network, estimates: Mapping[TaskKey, Estimate], problems: list[Problem]) -> _Network:
    plan = prepare(network, [])
    dates = Dates.empty(plan.size)
    direct = without_loops(plan, leaf_edges(plan), [], whole_links=True)
    if any(link.predecessor not in plan.position and link.type in (Link.SS, Link.SF) for link in plan.links):
        incoming, _outgoing, order = adjacency(plan, direct)
        forward(plan, order, incoming, dates, {}, alap_pass=False, conflicts=None)
    edges = without_loops(plan, direct + summary_edges(plan, dates.early_start), [], whole_links=False)
    incoming, outgoing, order = adjacency(plan, edges)
    drawn: dict[int, Estimate] = {}
    for key, estimate in estimates.items():
        leaf = plan.position.get(key)
        if leaf is None or plan.milestone[leaf]:
            continue  # a summary task or a milestone: nothing to draw
        days = plan.duration[leaf] / mo.DAY
        if not 0 <= estimate.optimistic <= days <= estimate.pessimistic:
            problems.append(Problem(ProblemKind.OUT_OF_RANGE, (plan.names[key],), (key,)))
            continue
        drawn[leaf] = estimate
    percent = {
        (leaf, number): plan.links[number].lag
        for leaf, _successor, _code, _lag, number in edges
        if leaf < plan.size and leaf in drawn and plan.links[number].lag_unit == LagUnit.PERCENT
    }
    return _Network(plan, incoming, outgoing, order, drawn, percent)


def _percent_lag(duration: Moments, lag: Any) -> Moments:
    """A per-cent lag in working seconds for each drawn duration, rounded half up as `passes.lag_seconds`."""
    if isinstance(lag, int):
        return (2 * duration * lag + 100) // 200
    values, where = np.unique(duration, return_inverse=True)
    exact = [math.floor(Fraction(int(v)) * Fraction(lag) / 100 + Fraction(1, 2)) for v in values]
    return np.asarray(exact, dtype=np.int64)[where]


# --- the passes over all iterations --------------------------------------------------------------------------


@dataclass
class _Chunk:
    """One block of iterations: durations and dates per task (plain integers when the same in all)."""

    size: int
    duration: list[Value]
    es: list[Value] = field(default_factory=list)
    ef: list[Value] = field(default_factory=list)
    ls: list[Value] = field(default_factory=list)
    lf: list[Value] = field(default_factory=list)
    keep: frozenset[int] = frozenset()  # the tasks whose `ready` is kept
    ready: dict[int, Value] = field(default_factory=dict)  # a task's start as its links allow, before its constraint
    conflicts: dict[int, int] = field(default_factory=dict)  # iterations in which a constraint beat the links
    hubs: dict[int, list[Any]] = field(default_factory=dict)


def _lag(graph: _Network, chunk: _Chunk, predecessor: int, lag: int, link: int) -> Value:
    found = graph.percent.get((predecessor, link))
    if found is None:
        return lag
    return _percent_lag(np.asarray(chunk.duration[predecessor]), found)


def _hub_forward(graph: _Network, chunk: _Chunk, hub: int, both: bool) -> None:
    """The latest finish + lag of the tasks before a summary's finish link (see `passes.Hub`), per variant."""
    alap = graph.plan.alap
    state: list[Any] = [[None, None], [None, None], [False, False]]  # latest, reach, starts
    for predecessor, _code, lag, link in graph.incoming[hub]:
        lag_value = _lag(graph, chunk, predecessor, lag, link)
        for variant in (0, 1) if both else (0,):
            late = variant and alap[predecessor]
            finish = chunk.lf[predecessor] if late else chunk.ef[predecessor]
            candidate = _shift(finish, lag_value)
            latest = state[0][variant]
            state[0][variant] = candidate if latest is None else np.maximum(latest, candidate)
            reach, best = (finish >> 1) + lag_value, state[1][variant]
            starts = np.asarray(lag_value) <= 0
            if best is None:
                state[1][variant], state[2][variant] = reach, starts
            else:
                state[2][variant] = np.where(reach > best, starts, state[2][variant] | ((reach == best) & starts))
                state[1][variant] = np.maximum(best, reach)
    chunk.hubs[hub] = state


def _from_hub(state: list[Any], code: int, duration: Value, variant: int, project_start: int) -> Value | None:
    latest, reach, starts = state[0][variant], state[1][variant], state[2][variant]
    if latest is None:
        return None
    if code == FS:
        hubbed: Value = latest
        return hubbed
    value = np.where(starts, _as_start(reach - duration), (reach - duration) << 1)
    found: Moments = np.where(
        np.asarray(duration) == 0, np.maximum(latest, project_start), np.maximum(value, project_start)
    )
    return found


def _candidate(graph: _Network, chunk: _Chunk, task: int, edge: tuple[int, int, int, int], alap_pass: bool) -> Any:
    predecessor, code, lag, link = edge
    plan, duration = graph.plan, chunk.duration[task]
    if predecessor >= plan.size:
        variant = 1 if alap_pass and not plan.alap[task] else 0
        return _from_hub(chunk.hubs[predecessor], code, duration, variant, plan.start)
    late = alap_pass and plan.alap[predecessor] and not plan.alap[task]
    lag_value = _lag(graph, chunk, predecessor, lag, link)
    if code in (FS, FF):
        finish = chunk.lf[predecessor] if late else chunk.ef[predecessor]
        if code == FS:
            return _shift(finish, lag_value)
        return np.maximum(_shift(_minus(finish, duration), lag_value), plan.start)
    start = chunk.ls[predecessor] if late else chunk.es[predecessor]
    if code == SS:
        return _shift(start, lag_value)
    return _shift(_minus(start, duration), lag_value)


def _forward(graph: _Network, chunk: _Chunk, *, alap_pass: bool) -> None:
    """`passes.forward` over all iterations of the chunk."""
    plan = graph.plan
    for task in graph.order:
        if task >= plan.size:
            _hub_forward(graph, chunk, task, alap_pass)
            continue
        duration, constraint, at = chunk.duration[task], plan.constraint[task], plan.constraint_at[task]
        candidates = [
            found
            for edge in graph.incoming[task]
            if (found := _candidate(graph, chunk, task, edge, alap_pass)) is not None
        ]
        fixed_finish: Value | None = None
        if candidates:
            value: Value = _latest(candidates)
        else:
            value = plan.start
            if constraint == Constraint.SNET:
                value = at
            elif constraint == Constraint.FNET:
                fixed_finish, value = at, _minus(at, duration)
        if not plan.milestone[task]:
            value = _next_start(value)
        if task in chunk.keep:
            chunk.ready[task] = value
        logic = value
        value, fixed_finish = _constrained(constraint, at, duration, value, fixed_finish)
        if candidates and constraint in LATEST_ALLOWED:
            beaten = np.broadcast_to((value >> 1) < (logic >> 1), (chunk.size,))
            chunk.conflicts[task] = chunk.conflicts.get(task, 0) + int(np.count_nonzero(beaten))
        chunk.es[task] = value
        chunk.ef[task] = _plus(value, duration) if fixed_finish is None else fixed_finish


def _constrained(
    constraint: Constraint, at: int, duration: Value, start: Value, finish: Value | None
) -> tuple[Value, Value | None]:
    if constraint == Constraint.SNET:
        return np.maximum(start, at), finish
    if constraint == Constraint.FNLT:
        return np.minimum(start, _minus(at, duration)), finish
    if constraint == Constraint.FNET:
        return np.maximum(start, _minus(at, duration)), finish
    if constraint == Constraint.SNLT:
        return np.minimum(start, at), finish
    if constraint == Constraint.MSO:
        return at, finish
    if constraint == Constraint.MFO:
        return _minus(at, duration), at
    return start, finish


def _backward(graph: _Network, chunk: _Chunk, finish: Moments) -> None:
    """`passes.backward` over all iterations of the chunk, from each iteration's project finish."""
    plan, ls, lf, size = graph.plan, chunk.ls, chunk.lf, graph.plan.size
    backs: dict[int, Any] = {}
    for task in reversed(graph.order):
        outgoing = graph.outgoing[task]
        if task >= size:
            ends = [ls[successor] if code == FS else lf[successor] for successor, code, _lag, _link in outgoing]
            backs[task] = _earliest(ends) if ends else None
            continue
        duration, constraint, at = chunk.duration[task], plan.constraint[task], plan.constraint_at[task]
        value: Value = finish
        for successor, code, lag, link in outgoing:
            lag_value = _lag(graph, chunk, task, lag, link)
            if successor >= size:
                if backs[successor] is None:
                    continue
                candidate = _shift(backs[successor], -lag_value)
            elif code == FS:
                candidate = _shift(ls[successor], -lag_value)
            elif code == SS:
                candidate = _plus(_shift(_next_start(ls[successor]), -lag_value), duration)
            elif code == FF:
                candidate = _shift(lf[successor], -lag_value)
            else:
                candidate = _shift(_plus(lf[successor], duration), -lag_value)
            value = np.minimum(value, candidate)
        if constraint == Constraint.MSO:
            value = _plus(at, duration)
        elif constraint == Constraint.MFO:
            value = at
        elif constraint == Constraint.SNLT:
            value = np.minimum(value, _plus(at, duration))
        elif constraint == Constraint.FNLT:
            value = np.minimum(value, at)
        value = value & ~1
        lf[task] = value
        ls[task] = _minus(value, duration)


# --- running the iterations ----------------------------------------------------------------------------------


@dataclass
class Simulation:
    """Every iteration's figures in moments: for the kept tasks their scheduled finish, the start their links
    allow (`ready`, before their own constraint) and the finish that start gives (`earliest_finish`); the
    project's finish; and per task how many iterations found it critical or its constraint beating its links."""

    network: Network
    iterations: int
    seed: int
    names: dict[TaskKey, str]
    deterministic: Schedule  # the engine's schedule of the network as entered
    problems: list[Problem]
    drawn: tuple[TaskKey, ...] = ()
    finish: dict[TaskKey, Moments] = field(default_factory=dict)
    ready: dict[TaskKey, Moments] = field(default_factory=dict)
    earliest_finish: dict[TaskKey, Moments] = field(default_factory=dict)
    project_finish: Moments = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    critical: dict[TaskKey, int] = field(default_factory=dict)
    conflicts: dict[TaskKey, int] = field(default_factory=dict)


def simulate(
    network: Network,
    estimates: Mapping[TaskKey, Estimate],
    *,
    iterations: int = DEFAULT_ITERATIONS,
    seed: int,
    keep: Sequence[TaskKey] = (),
) -> Simulation:
    """Run the iterations; `keep` names the tasks (summaries too) whose dates are kept for every iteration.

    Nothing raises on the user's data: what the engine reports (loops, conflicts, unusable links) is in
    `problems`, with estimates that are not ordered; a calendar without working days runs nothing."""
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ValueError(f"iterations must be {MIN_ITERATIONS} to {MAX_ITERATIONS}")
    deterministic = schedule(network)
    problems = list(deterministic.problems)
    names = {task.key: task.name for task in network.tasks}
    result = Simulation(network, iterations, seed, names, deterministic, problems)
    if not network.calendar.has_working_days or deterministic.finish is None:
        return result
    graph = _graph(network, estimates, problems)
    plan = graph.plan
    result.drawn = tuple(plan.leaves[leaf] for leaf in sorted(graph.estimates))
    kept = {key: _leaves_of(plan, key) for key in keep if key in plan.names}
    parts: dict[str, dict[TaskKey, list[Moments]]] = {"finish": {}, "ready": {}, "earliest": {}}
    finishes: list[Moments] = []
    critical = np.zeros(plan.size, dtype=np.int64)
    conflicts: dict[int, int] = {}
    keep_leaves = frozenset(leaf for leaves in kept.values() for leaf in leaves)
    for number, done in enumerate(range(0, iterations, CHUNK)):
        chunk = _run_chunk(graph, min(CHUNK, iterations - done), seed, number, keep_leaves)
        finishes.append(chunk.project_finish)
        critical += chunk.critical
        for task, count in chunk.chunk.conflicts.items():
            conflicts[task] = conflicts.get(task, 0) + count
        for key, leaves in kept.items():
            for part, values in _kept(chunk, leaves).items():
                parts[part].setdefault(key, []).append(values)
    result.project_finish = np.concatenate(finishes)
    result.finish = {key: np.concatenate(values) for key, values in parts["finish"].items()}
    result.ready = {key: np.concatenate(values) for key, values in parts["ready"].items()}
    result.earliest_finish = {key: np.concatenate(values) for key, values in parts["earliest"].items()}
    result.critical = {plan.leaves[leaf]: int(count) for leaf, count in enumerate(critical) if count}
    result.conflicts = {plan.leaves[task]: count for task, count in conflicts.items() if count}
    return result


def _leaves_of(plan: Plan, key: TaskKey) -> list[int]:
    if key in plan.position:
        return [plan.position[key]]
    return [plan.position[leaf] for leaf in plan.outline.leaves_under(key)]


@dataclass
class _Done:
    chunk: _Chunk
    project_finish: Moments
    critical: npt.NDArray[np.int64]
    alap: list[bool]


def _durations(graph: _Network, size: int, seed: int, number: int) -> list[Value]:
    """Each task's duration in working seconds: drawn for the estimated ones, from uniforms drawn for every
    task in order, so a task's draws do not depend on which other tasks have estimates."""
    plan = graph.plan
    uniforms = np.random.default_rng([seed, number]).random((plan.size, size))
    durations: list[Value] = [*plan.duration]
    for leaf, estimate in graph.estimates.items():
        seconds = triangular(
            uniforms[leaf], estimate.optimistic * mo.DAY, plan.duration[leaf], estimate.pessimistic * mo.DAY
        )
        durations[leaf] = np.rint(seconds).astype(np.int64)
    return durations


def _run_chunk(graph: _Network, size: int, seed: int, number: int, keep: frozenset[int]) -> _Done:
    plan = graph.plan
    count = plan.size + plan.hubs
    chunk = _Chunk(size, _durations(graph, size, seed, number), keep=keep)
    chunk.duration.extend([0] * plan.hubs)
    empty: list[Value] = [0] * count
    chunk.es, chunk.ef, chunk.ls, chunk.lf = (list(empty) for _ in range(4))
    _forward(graph, chunk, alap_pass=False)
    # the latest early finish, as the engine takes it (a task held before the project start can end it earlier)
    finishing = [chunk.ef[n] for n in plan.finishing]
    finish = np.broadcast_to(np.asarray(_latest(finishing) if finishing else plan.start), (size,))
    finish = finish.astype(np.int64)
    _backward(graph, chunk, finish)
    if any(plan.alap):
        chunk.conflicts = {}
        _forward(graph, chunk, alap_pass=True)
    critical = np.zeros(plan.size, dtype=np.int64)
    for leaf in range(plan.size):
        if plan.alap[leaf]:
            critical[leaf] = size
            continue
        es, ef, ls, lf = chunk.es[leaf], chunk.ef[leaf], chunk.ls[leaf], chunk.lf[leaf]
        slack = np.minimum((ls >> 1) - (es >> 1), (lf >> 1) - (ef >> 1))
        critical[leaf] = int(np.count_nonzero(np.broadcast_to(slack <= 0, (size,))))
    return _Done(chunk, finish, critical, plan.alap)


def _kept(done: _Done, leaves: list[int]) -> dict[str, Moments]:
    """A kept task's moments in this chunk (a summary's rolled up from the tasks under it)."""
    chunk, size = done.chunk, done.chunk.size
    finishes, readies, earliest = [], [], []
    for leaf in leaves:
        finish = chunk.lf[leaf] if done.alap[leaf] else chunk.ef[leaf]
        finishes.append(np.broadcast_to(finish, (size,)))
        readies.append(np.broadcast_to(chunk.ready[leaf], (size,)))
        earliest.append(np.broadcast_to(_plus(chunk.ready[leaf], chunk.duration[leaf]), (size,)))
    if not leaves:
        empty = np.broadcast_to(done.project_finish, (size,))
        return {"finish": empty.copy(), "ready": empty.copy(), "earliest": empty.copy()}
    return {
        "finish": np.maximum.reduce(finishes).astype(np.int64),
        "ready": np.minimum.reduce(readies).astype(np.int64),
        "earliest": np.maximum.reduce(earliest).astype(np.int64),
    }


# --- what the run found --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    """A bar of the histogram: the iterations whose date falls from `first` to `last` (working days)."""

    first: date
    last: date
    count: int


@dataclass(frozen=True)
class Outcome:
    """A target's dates over the iterations: the finish its predecessors allow (its own constraint, such as a
    booking's fixed date, left out so the date says when the work allows the audit), the percentiles of it,
    the deterministic finish, and the share of iterations ready to start by the booked date."""

    key: TaskKey | None
    name: str
    deterministic: datetime | None
    percentiles: dict[int, datetime]
    booked: date | None = None
    probability: float | None = None
    histogram: tuple[Bin, ...] = ()
    curve: tuple[tuple[date, float], ...] = ()  # (working day, share of iterations finished by its end)


@dataclass(frozen=True)
class Critical:
    key: TaskKey
    name: str
    index: float  # share of iterations in which the task was critical


@dataclass(frozen=True)
class RiskResult:
    iterations: int
    seed: int
    targets: tuple[Outcome, ...]
    project: Outcome
    critical: tuple[Critical, ...]
    conflicts: tuple[Critical, ...]  # share of iterations in which the task's constraint beat its links
    drawn: tuple[TaskKey, ...]
    problems: list[Problem]


def _day_indexes(values: Moments) -> Moments:
    """`moments.index_of` over an array."""
    index, offset = np.divmod(values >> 1, mo.DAY)
    return np.where((offset == 0) & ((values & 1) == 0), index - 1, index)


def _outcome(
    simulation: Simulation, key: TaskKey | None, values: Moments, ready: Moments | None, booked: date | None
) -> Outcome:
    calendar = simulation.network.calendar
    name = simulation.names.get(key, "") if key is not None else ""
    deterministic = simulation.deterministic.finish
    if key is not None:
        found = [task for task in simulation.deterministic.tasks if task.key == key]
        deterministic = found[0].finish if found else None
    if values.size == 0:
        return Outcome(key, name, deterministic, {}, booked)
    points = {q: int(np.percentile(values, q, method="inverted_cdf")) for q in PERCENTILES}
    percentiles = {q: mo.to_datetime(value, calendar) for q, value in points.items()}
    probability = None
    if booked is not None and ready is not None:
        threshold = mo.day_start(calendar.ordinal(booked))
        probability = float(np.count_nonzero(ready <= threshold)) / ready.size
    days = _day_indexes(values)
    low, high = int(days.min()), int(days.max())
    width = max(1, -(-(high - low + 1) // BINS))
    counts = np.bincount((days - low) // width)
    edges = [low + n * width for n in range(len(counts))]
    lasts = [min(edge + width - 1, high) for edge in edges]
    named = calendar.days(edges + lasts)
    histogram = tuple(
        Bin(named[edge], named[last], int(count)) for edge, last, count in zip(edges, lasts, counts, strict=True)
    )
    cumulative = np.cumsum(counts) / values.size
    curve = tuple((named[last], float(share)) for last, share in zip(lasts, cumulative, strict=True))
    return Outcome(key, name, deterministic, percentiles, booked, probability, histogram, curve)


def analyse(simulation: Simulation, targets: Sequence[Target]) -> RiskResult:
    """Percentiles, readiness by the booked dates, histogram and cumulative curve of each target (kept in the
    simulation) and of the project's finish; the tasks most often critical."""
    total = simulation.iterations
    problems = list(simulation.problems)
    try:
        outcomes = tuple(
            _outcome(
                simulation,
                target.key,
                simulation.earliest_finish[target.key],
                simulation.ready[target.key],
                target.booked,
            )
            for target in targets
            if target.key in simulation.earliest_finish
        )
        project = _outcome(simulation, None, simulation.project_finish, None, None)
    except OverflowError:  # dates past the year 9999
        problems.append(Problem(ProblemKind.OUT_OF_RANGE, ()))
        outcomes, project = (), Outcome(None, "", None, {})
    ranked = sorted(simulation.critical.items(), key=lambda item: -item[1])[:TOP_CRITICAL]
    return RiskResult(
        iterations=total,
        seed=simulation.seed,
        targets=outcomes,
        project=project,
        critical=tuple(Critical(key, simulation.names[key], count / total) for key, count in ranked),
        conflicts=tuple(
            Critical(key, simulation.names[key], count / total) for key, count in simulation.conflicts.items()
        ),
        drawn=simulation.drawn,
        problems=problems,
    )
