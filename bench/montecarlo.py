"""Time the schedule risk analysis: a Monte Carlo run over a plan-shaped network.

    .venv/bin/python bench/montecarlo.py                       # 1,500 tasks x 10,000 iterations
    .venv/bin/python bench/montecarlo.py --tasks 300 --iterations 5000 --runs 3

The network is shaped like an implementation plan: four stages of ten-task groups chained mostly
finish-to-start (some start-to-start and finish-to-finish, lags in days and per cent), links from earlier
groups and on group summaries, a few constraints, China's calendar for ten years. Every task that takes time
has a three-point estimate (optimistic 70 %, pessimistic 160 % of its duration), so every duration is drawn
in every iteration. Printed: the wall and CPU time of `simulate` + `analyse` (the best and the median of
`--runs`), the peak of Python's allocations during one run (tracemalloc, which numpy reports its arrays to)
and the process's peak resident memory. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import machine_lines  # noqa: E402 (after the path is set)
from certprep.planning.scheduling import Constraint, Dependency, LagUnit, Link, Network, Task  # noqa: E402
from certprep.planning.scheduling.montecarlo import Estimate, RiskResult, Target, analyse, simulate  # noqa: E402
from certprep.planning.scheduling.network import TaskKey  # noqa: E402
from certprep.planning.scheduling.public_holidays import country_days  # noqa: E402

START = date(2026, 3, 2)
GROUP = 10


def risk_network(size: int, seed: int = 13) -> tuple[Network, dict[TaskKey, Estimate], list[TaskKey]]:
    """About `size` tasks (summaries included), their estimates and two targets (the last tasks)."""
    rng = random.Random(seed)
    tasks: list[Task] = []
    links: list[Dependency] = []
    leaves: list[str] = []
    groups = max(1, round((size / 4 - 1) / (GROUP + 1)))
    for stage in range(4):
        tasks.append(Task(f"S{stage}", f"Stage {stage + 1}"))
        for group in range(groups):
            summary = f"S{stage}G{group}"
            tasks.append(Task(summary, f"Group {group + 1}", parent=f"S{stage}"))
            chain = [f"{summary}T{step}" for step in range(GROUP)]
            for key in chain:
                constraint, when = Constraint.ASAP, None
                if rng.random() < 0.02:
                    constraint, when = rng.choice((Constraint.SNET, Constraint.FNLT)), START + timedelta(days=400)
                tasks.append(Task(key, key, rng.choice((0, 1, 2, 3, 5, 5, 8, 10, 15)), summary, constraint, when))
            for before, after in zip(chain, chain[1:], strict=False):
                kind = rng.choices((Link.FS, Link.SS, Link.FF), weights=(8, 1, 1))[0]
                lag, unit = rng.choice(((0, LagUnit.DAYS), (2, LagUnit.DAYS), (50, LagUnit.PERCENT)))
                links.append(Dependency(before, after, kind, lag, unit))
            if leaves:
                for key in rng.sample(chain, 2):
                    links.append(Dependency(rng.choice(leaves[-200:]), key, Link.FS, rng.choice((0, 1, 3))))
            if group and rng.random() < 0.3:
                links.append(Dependency(f"S{stage}G{group - 1}", summary))
            leaves.extend(chain)
    calendar = country_days("CN", years=range(2026, 2036)).calendar()
    network = Network(start=START, tasks=tuple(tasks), dependencies=tuple(links), calendar=calendar)
    estimates = {
        task.key: Estimate(task.duration * 7 // 10, task.duration * 16 // 10) for task in tasks if task.duration
    }
    targets: list[TaskKey] = [*leaves[-2:]]
    return network, dict(estimates), targets


def one_run(
    network: Network, estimates: dict[TaskKey, Estimate], targets: list[TaskKey], iterations: int
) -> RiskResult:
    simulation = simulate(network, estimates, iterations=iterations, seed=2026, keep=targets)
    return analyse(simulation, [Target(key, booked=START + timedelta(days=700)) for key in targets])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=1500)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    network, estimates, targets = risk_network(options.tasks)
    for line in machine_lines():
        print(line)
    print(f"network  {len(network.tasks)} tasks, {len(network.dependencies)} links, {len(estimates)} estimated")
    walls, cpus = [], []
    result = None
    for _ in range(options.runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = one_run(network, estimates, targets, options.iterations)
        cpus.append(time.process_time() - began_cpu)
        walls.append(time.perf_counter() - began)
    tracemalloc.start()
    one_run(network, estimates, targets, options.iterations)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"iterations {options.iterations:,} x runs {options.runs}")
    print(f"wall     best {min(walls):.2f} s, median {statistics.median(walls):.2f} s (target under 3 s)")
    print(f"cpu      best {min(cpus):.2f} s")
    print(f"memory   peak Python allocation {peak / 2**20:.0f} MiB, peak resident {resident:.0f} MiB")
    if result is not None:
        for outcome in result.targets:
            dates = ", ".join(f"P{q} {when:%Y-%m-%d}" for q, when in outcome.percentiles.items())
            print(f"target   {outcome.name}: {dates}, deterministic {outcome.deterministic:%Y-%m-%d}")


if __name__ == "__main__":
    main()
