"""The Monte Carlo run against the deterministic engine (`schedule.schedule`, a separate code path that runs
one task at a time in plain integers) and its own invariants, on random networks."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from certprep.planning.scheduling import Constraint, Dependency, LagUnit, Link, Network, ProblemKind, Task, schedule
from certprep.planning.scheduling import moments as mo
from certprep.planning.scheduling.montecarlo import MIN_ITERATIONS, Estimate, Target, analyse, simulate
from certprep.planning.scheduling.tests.strategies import messy_networks, networks

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _degenerate(network: Network) -> dict[object, Estimate]:
    return {task.key: Estimate(task.duration, task.duration) for task in network.tasks if task.duration >= 0}


@SETTINGS
@given(networks(max_tasks=15, loops=True))
def test_without_spread_every_iteration_is_the_deterministic_schedule(network: Network) -> None:
    result = schedule(network)
    assume(result.finish is not None)
    keys = [task.key for task in result.tasks]
    simulation = simulate(network, _degenerate(network), iterations=MIN_ITERATIONS, seed=7, keep=keys)
    for task in result.tasks:
        moments = np.unique(simulation.finish[task.key])
        assert [mo.to_datetime(int(value), network.calendar) for value in moments] == [task.finish]
        if not task.summary:
            expected = MIN_ITERATIONS if task.critical else 0
            assert simulation.critical.get(task.key, 0) == expected, task.name
    finishes = np.unique(simulation.project_finish)
    assert [mo.to_datetime(int(value), network.calendar) for value in finishes] == [result.finish]


def _spread(network: Network, data: st.DataObject, extra: int = 0) -> dict[object, Estimate]:
    estimates = {}
    for task in network.tasks:
        if task.duration > 0 and data.draw(st.booleans()):
            low = data.draw(st.integers(0, task.duration))
            estimates[task.key] = Estimate(low, task.duration + data.draw(st.integers(0, 10)) + extra)
    return estimates


@SETTINGS
@given(networks(max_tasks=15), st.data())
def test_percentiles_are_ordered_and_a_seed_repeats_its_run(network: Network, data: st.DataObject) -> None:
    estimates = _spread(network, data)
    targets = [Target(task.key, booked=date(2026, 6, 1)) for task in network.tasks[:3]]
    first = analyse(simulate(network, estimates, iterations=1500, seed=11, keep=[t.key for t in targets]), targets)
    again = analyse(simulate(network, estimates, iterations=1500, seed=11, keep=[t.key for t in targets]), targets)
    assert first == again
    for outcome in (*first.targets, first.project):
        if outcome.percentiles:
            assert outcome.percentiles[50] <= outcome.percentiles[80] <= outcome.percentiles[95]


def _no_shrinking_leads(network: Network) -> bool:
    """A negative per-cent lag grows with its predecessor: a longer predecessor then lets its start-linked
    successor start earlier."""
    return not any(link.lag_unit == LagUnit.PERCENT and link.lag < 0 for link in network.dependencies)


# A task tied by its finish (a finish-to-finish or start-to-finish link, a finish constraint, as late as
# possible) starts earlier when it takes longer, and what hangs on its start follows it: in MS Project's model
# a worse estimate may then bring a date forward. The property is stated for the networks where that cannot
# happen: start-to-start and finish-to-start links, no constraints, no negative per-cent lags.
@SETTINGS
@given(networks(max_tasks=15, constraints=False, alap=False, link_types=(Link.FS, Link.SS)), st.data())
def test_a_more_pessimistic_estimate_never_moves_a_percentile_earlier(network: Network, data: st.DataObject) -> None:
    assume(_no_shrinking_leads(network))
    estimates = _spread(network, data)
    assume(estimates)
    worse_key = data.draw(st.sampled_from(sorted(estimates, key=str)))
    worse = dict(estimates)
    worse[worse_key] = Estimate(estimates[worse_key].optimistic, estimates[worse_key].pessimistic + 5)
    keys = [task.key for task in network.tasks]
    before = simulate(network, estimates, iterations=MIN_ITERATIONS, seed=3, keep=keys)
    after = simulate(network, worse, iterations=MIN_ITERATIONS, seed=3, keep=keys)
    assert np.all(after.project_finish >= before.project_finish)
    for key in keys:
        if key in before.finish:
            for q in (50, 80, 95):
                low = np.percentile(before.finish[key], q, method="inverted_cdf")
                high = np.percentile(after.finish[key], q, method="inverted_cdf")
                assert high >= low


@settings(max_examples=80, deadline=None)
@given(messy_networks())
def test_any_network_is_run_or_its_problems_reported(network: Network) -> None:
    estimates = {task.key: Estimate(0, max(task.duration, 0) + 3) for task in network.tasks}
    simulation = simulate(network, estimates, iterations=MIN_ITERATIONS, seed=1, keep=[t.key for t in network.tasks])
    result = analyse(simulation, [Target(task.key) for task in network.tasks])
    assert result.problems[: len(simulation.problems)] == simulation.problems
    extra = result.problems[len(simulation.problems) :]
    assert all(problem.kind == ProblemKind.OUT_OF_RANGE for problem in extra)  # dates past the year 9999
    if not extra and simulation.finish:
        assert {outcome.key for outcome in result.targets} == set(simulation.finish)
        assert all(outcome.percentiles for outcome in result.targets)


def test_a_loop_and_a_constraint_conflict_are_reported_by_task_name() -> None:
    network = Network(
        start=date(2026, 3, 2),
        tasks=[
            Task("a", "Write the policy", 5),
            Task("b", "Approve the policy", 2),
            Task("c", "Stage 1 audit", 2, constraint=Constraint.MSO, constraint_date=date(2026, 3, 4)),
        ],
        dependencies=[Dependency("a", "b"), Dependency("b", "a"), Dependency("a", "c", Link.FS)],
    )
    simulation = simulate(network, {"a": Estimate(3, 9)}, iterations=MIN_ITERATIONS, seed=5, keep=["c"])
    kinds = {(problem.kind, problem.tasks) for problem in simulation.problems}
    assert (ProblemKind.CYCLE, ("Write the policy", "Approve the policy")) in kinds
    assert any(kind == ProblemKind.CONSTRAINT_CONFLICT and names == ("Stage 1 audit",) for kind, names in kinds)
    assert simulation.conflicts["c"] == MIN_ITERATIONS


def test_iterations_outside_the_bounds_are_refused() -> None:
    network = Network(start=date(2026, 3, 2), tasks=[Task("a", "A", 1)])
    with pytest.raises(ValueError, match="iterations"):
        simulate(network, {}, iterations=10, seed=1)


def test_a_fractional_per_cent_lag_follows_the_drawn_duration_to_the_second() -> None:
    network = Network(
        start=date(2026, 3, 2),
        tasks=[Task("a", "Write", 3), Task("b", "Review", 2)],
        dependencies=[Dependency("a", "b", Link.SS, 33.5, LagUnit.PERCENT)],
    )
    fixed = simulate(network, {"a": Estimate(3, 3)}, iterations=MIN_ITERATIONS, seed=1, keep=["b"])
    assert {mo.to_datetime(int(v), network.calendar) for v in fixed.finish["b"]} == {schedule(network).task("b").finish}
    drawn = simulate(network, {"a": Estimate(1, 9)}, iterations=MIN_ITERATIONS, seed=1, keep=["a", "b"])
    # b starts 33.5 % of a's drawn duration after a starts, and lasts two days
    lags = (drawn.ready["b"] >> 1) - (drawn.ready["a"] >> 1)
    spans = (drawn.finish["a"] >> 1) - (drawn.ready["a"] >> 1)
    assert np.all(np.abs(lags - spans * 0.335) <= 1)
    assert len(np.unique(lags)) > 100
