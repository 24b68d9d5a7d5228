"""Time the plan's scheduler against MPXJ's MicrosoftScheduler on the same networks, in the same run.

    .venv/bin/python bench/scheduler.py              # 100, 1,000 and 10,000 tasks
    .venv/bin/python bench/scheduler.py --sizes 1000 --runs 3

Each network is shaped like an implementation plan: four stages, each of groups of about ten tasks (one per
process and topic) chained mostly finish-to-start with some start-to-start and finish-to-finish links and
lags (days and per cent), links across groups, links on group summaries, a few constraints, and China's
calendar with its holidays and make-up working days for ten years. The same network is built once as an
MPXJ ProjectFile (through JPype, Java 17), then each side schedules it `--runs` times after warming up
(MPXJ's JIT needs a few runs); the best and the median wall time and the best CPU time are printed, each
with the ratio certprep / MPXJ (the best run is the one other work on a shared machine disturbed least):

- certprep: `schedule(network)`, everything the engine does: checks, both passes, floats, critical tasks,
  roll-up and the result's date-times;
- MPXJ: `MicrosoftScheduler().schedule(project, start)` alone (its passes and roll-up; its slack values are
  computed later, when read), so MPXJ's figure leaves out work certprep's includes;
- CPU: the same runs' CPU time, certprep's process and the JVM thread MPXJ schedules on (without the
  JVM's garbage collector and compiler threads, which favours MPXJ); on a busy machine this is the figure to
  compare, wall times there depend on how much of a CPU each side got;
- memory: certprep's peak Python allocation during one schedule (tracemalloc, in a run of its own), and the
  bytes MPXJ's scheduling thread allocated on the Java heap during one schedule (an upper bound on how far
  its heap grew).

The last column says whether both schedules agree task by task (early and late dates, floats, critical).
Figures are printed, never asserted; compare them only between runs on the same machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import cpu_model  # noqa: E402
from certprep.planning.scheduling import (  # noqa: E402 (after the path is set)
    Constraint,
    Dependency,
    LagUnit,
    Link,
    Network,
    Task,
    schedule,
)
from certprep.planning.scheduling.public_holidays import country_days  # noqa: E402
from certprep.planning.scheduling.tests import mpxj_oracle  # noqa: E402 (starts the JVM)
from certprep.planning.scheduling.tests.test_mpxj_agreement import FIELDS  # noqa: E402

START = date(2026, 3, 2)
GROUP = 10


def plan_network(size: int, seed: int = 20) -> Network:
    """About `size` tasks (summaries included) shaped like an implementation plan; the same for a seed."""
    rng = random.Random(seed)
    tasks: list[Task] = []
    links: list[Dependency] = []
    leaves: list[str] = []
    groups_per_stage = max(1, round((size / 4 - 1) / (GROUP + 1)))
    previous_group: str | None = None
    for stage in range(4):
        stage_key = f"S{stage}"
        tasks.append(Task(stage_key, f"Stage {stage + 1}"))
        for group in range(groups_per_stage):
            group_key = f"{stage_key}G{group}"
            tasks.append(Task(group_key, f"Group {group + 1}", parent=stage_key))
            chain = []
            for step in range(GROUP):
                key = f"{group_key}T{step}"
                duration = rng.choice((0, 1, 2, 3, 5, 5, 8, 10, 15))
                constraint, when = Constraint.ASAP, None
                if rng.random() < 0.02:
                    constraint = rng.choice((Constraint.SNET, Constraint.FNLT, Constraint.MSO, Constraint.ALAP))
                    if constraint != Constraint.ALAP:
                        when = START + timedelta(days=rng.randint(0, 500))
                tasks.append(Task(key, f"Task {step + 1}", duration, group_key, constraint, when))
                chain.append(key)
            for before, after in zip(chain, chain[1:], strict=False):
                link = rng.choices((Link.FS, Link.SS, Link.FF), weights=(8, 1, 1))[0]
                lag, unit = rng.choice(((0, LagUnit.DAYS), (0, LagUnit.DAYS), (2, LagUnit.DAYS), (50, LagUnit.PERCENT)))
                links.append(Dependency(before, after, link, lag, unit))
            if previous_group is not None and rng.random() < 0.3:
                links.append(Dependency(previous_group, group_key))
            for key in rng.sample(chain, 2):
                if leaves:
                    earlier = rng.choice(leaves[-200:])
                    lag = rng.choice((0, 1, -1, 3))
                    links.append(Dependency(earlier, key, rng.choice(tuple(Link)), lag))
            leaves.extend(chain)
            previous_group = group_key
    calendar = country_days("CN", years=range(2026, 2036)).calendar(
        days_off=[START + timedelta(days=n) for n in range(10, 400, 37)],
    )
    return Network(start=START, tasks=tuple(tasks), dependencies=tuple(links), calendar=calendar)


def timed(action, runs: int, cpu_clock) -> tuple[float, float, float]:
    """Best and median wall time, and best CPU time (by `cpu_clock`, in seconds), in milliseconds, of `runs`
    calls. The best run is the one other work on the machine disturbed least (as `timeit` reports)."""
    walls, cpus = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), cpu_clock()
        action()
        cpus.append((cpu_clock() - began_cpu) * 1000)
        walls.append((time.perf_counter() - began) * 1000)
    return min(walls), statistics.median(walls), min(cpus)


def java_thread_cpu() -> float:
    """CPU seconds of the calling thread as the JVM counts them (MPXJ's scheduling runs on it; the JVM's
    garbage collector and compiler threads are not counted, which favours MPXJ)."""
    threads = mpxj_oracle.jpype.JClass("java.lang.management.ManagementFactory").getThreadMXBean()
    return threads.getCurrentThreadCpuTime() / 1e9


def our_peak(network: Network) -> int:
    tracemalloc.start()
    schedule(network)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def their_allocation(project, start: date) -> int:
    threads = mpxj_oracle.jpype.JClass("java.lang.management.ManagementFactory").getThreadMXBean()
    thread = mpxj_oracle.jpype.JClass("java.lang.Thread").currentThread()
    ident = thread.getId()
    before = threads.getThreadAllocatedBytes(ident)
    mpxj_oracle.schedule_project(project, start)
    return int(threads.getThreadAllocatedBytes(ident) - before)


def agreement(network: Network, made) -> str:
    ours = schedule(network)
    theirs = mpxj_oracle.read(made)
    differing = sum(
        any(getattr(task, name) != getattr(theirs[task.key], name) for name in FIELDS) for task in ours.tasks
    )
    return "all agree" if not differing else f"{differing} differ"


def machine() -> str:
    """CPU count and model, and the load average: the figures mean little on a busy machine."""
    model = cpu_model()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cpus {model}, load average {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="task counts, comma-separated")
    parser.add_argument("--runs", type=int, default=15, help="timed runs per side and size")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first (MPXJ's JIT)")
    arguments = parser.parse_args()
    runtime = mpxj_oracle.jpype.JClass("java.lang.System")
    print(f"Python {platform.python_version()}, Java {runtime.getProperty('java.version')}, {machine()}")
    print(f"MPXJ {mpxj_oracle.mpxj_version()}, {arguments.runs} timed runs after {arguments.warmup} warm-ups")
    print(f"{'':>16} {'best wall time':^29} {'median wall time':^26} {'best CPU time':^26}")
    header = f"{'tasks':>7} {'links':>7} {'certprep ms':>12} {'MPXJ ms':>9} {'ratio':>6}"
    header += f" {'certprep':>9} {'MPXJ':>9} {'ratio':>6} {'certprep':>9} {'MPXJ':>9} {'ratio':>6}"
    print(header + f" {'certprep peak':>14} {'MPXJ allocated':>15}  schedules")
    for size in (int(part) for part in arguments.sizes.split(",")):
        network = plan_network(size)
        project, made = mpxj_oracle.build(network)
        for _ in range(arguments.warmup):
            schedule(network)
            mpxj_oracle.schedule_project(project, network.start)
        ours, ours_median, ours_cpu = timed(
            lambda network=network: schedule(network), arguments.runs, time.process_time
        )
        theirs, theirs_median, theirs_cpu = timed(
            lambda project=project, network=network: mpxj_oracle.schedule_project(project, network.start),
            arguments.runs,
            java_thread_cpu,
        )
        peak, allocated = our_peak(network), their_allocation(project, network.start)
        print(
            f"{len(network.tasks):>7,} {len(network.dependencies):>7,} {ours:>12.1f} {theirs:>9.1f} "
            f"{ours / theirs:>6.2f} {ours_median:>9.1f} {theirs_median:>9.1f} {ours_median / theirs_median:>6.2f} "
            f"{ours_cpu:>9.1f} {theirs_cpu:>9.1f} {ours_cpu / theirs_cpu:>6.2f} "
            f"{peak / 2**20:>11.1f} MB {allocated / 2**20:>12.1f} MB  {agreement(network, made)}"
        )


if __name__ == "__main__":
    main()
