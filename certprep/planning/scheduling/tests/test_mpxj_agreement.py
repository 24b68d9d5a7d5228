"""The engine schedules as MS Project does: on the same network, MPXJ's MicrosoftScheduler (an independent
reimplementation of MS Project's scheduling in Java, run here through JPype) gives the same early and late
dates, the same scheduled start and finish, the same total and free float and the same critical tasks, for
every task including summary tasks.

A table of hand-built networks covers each link type, negative and per-cent lags, each constraint, holidays
and make-up working days and summary tasks; a property test does the same over random networks. A network
whose links loop is refused by MPXJ and reported as a loop by the engine. Java must be there: without it
the oracle's import fails and so does this file."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings

from certprep.planning.scheduling import (
    Constraint,
    Dependency,
    LagUnit,
    Link,
    Network,
    ProblemKind,
    Task,
    WorkingCalendar,
    schedule,
)
from certprep.planning.scheduling.public_holidays import country_days
from certprep.planning.scheduling.tests.mpxj_oracle import OracleCycle, mpxj_schedule
from certprep.planning.scheduling.tests.strategies import networks

FIELDS = (
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "start",
    "finish",
    "total_float_seconds",
    "free_float_seconds",
    "critical",
)
MONDAY = date(2026, 3, 2)


def disagreements(network: Network) -> list[str]:
    """Every field where the engine and MPXJ differ, as readable lines; empty when they agree."""
    ours = schedule(network)
    loop = any(problem.kind == ProblemKind.CYCLE for problem in ours.problems)
    try:
        theirs = mpxj_schedule(network)
    except OracleCycle:
        return [] if loop else ["MPXJ found a loop the engine did not report"]
    if loop:
        return ["the engine reported a loop MPXJ scheduled"]
    lines = []
    for task in ours.tasks:
        for name in FIELDS:
            mine, oracle = getattr(task, name), getattr(theirs[task.key], name)
            if mine != oracle:
                lines.append(f"{task.name} {name}: engine {mine}, MPXJ {oracle}")
    return lines


def chain(*tasks: Task, links: tuple[Dependency, ...] = (), calendar: WorkingCalendar | None = None) -> Network:
    """The tasks from Monday 2 March 2026, with an unlinked one-day task beside them that has float."""
    side = Task("side", "Side task", 1)
    return Network(start=MONDAY, tasks=(*tasks, side), dependencies=links, calendar=calendar or WorkingCalendar())


def two(link: Link, lag: float = 0, unit: LagUnit = LagUnit.DAYS, first: int = 4, second: int = 3) -> Network:
    """A, B linked by `link`, and a long task C beside them so that A and B have float."""
    return chain(
        Task("A", "A", first),
        Task("B", "B", second),
        Task("C", "C", 15),
        links=(Dependency("A", "B", link, lag, unit),),
    )


def constrained(kind: Constraint, when: date | None) -> Network:
    """A 5-day task, then B (3 days) with the constraint, then C; D runs beside them for 20 days."""
    return chain(
        Task("A", "A", 5),
        Task("B", "B", 3, constraint=kind, constraint_date=when),
        Task("C", "C", 2),
        Task("D", "D", 20),
        links=(Dependency("A", "B"), Dependency("B", "C")),
    )


def china_2026() -> WorkingCalendar:
    days = country_days("CN", years=[2026])
    return days.calendar()


HAND_BUILT = {
    "finish-to-start": two(Link.FS),
    "start-to-start with lag": two(Link.SS, 2),
    "finish-to-finish": two(Link.FF, 0, first=2, second=6),
    "start-to-finish": two(Link.SF, 1),
    "negative lag (lead)": two(Link.FS, -2),
    "per-cent lag": two(Link.FS, 50, LagUnit.PERCENT, first=3),
    "negative per-cent lag": two(Link.SS, -25, LagUnit.PERCENT, first=4),
    "per-cent lag of a third (seconds)": two(Link.FS, 33, LagUnit.PERCENT, first=1),
    "half-day lag ends at noon": two(Link.FS, 0.5),
    "milestone after a task": chain(
        Task("A", "A", 2), Task("M", "M", 0), Task("B", "B", 1), links=(Dependency("A", "M"), Dependency("M", "B"))
    ),
    "start no earlier than": constrained(Constraint.SNET, date(2026, 3, 16)),
    "start no later than (conflict)": constrained(Constraint.SNLT, date(2026, 3, 4)),
    "finish no earlier than": constrained(Constraint.FNET, date(2026, 3, 27)),
    "finish no later than (conflict, negative float)": constrained(Constraint.FNLT, date(2026, 3, 9)),
    "must start on before the predecessor finishes": constrained(Constraint.MSO, date(2026, 3, 5)),
    "must start on after it": constrained(Constraint.MSO, date(2026, 3, 18)),
    "must finish on": constrained(Constraint.MFO, date(2026, 3, 20)),
    "as late as possible": constrained(Constraint.ALAP, None),
    "constraint on a Saturday": constrained(Constraint.SNET, date(2026, 3, 14)),
    "holidays and make-up working days (China, Spring Festival 2026)": Network(
        start=date(2026, 2, 9),
        tasks=(Task("A", "A", 5), Task("B", "B", 4), Task("C", "C", 12)),
        dependencies=(Dependency("A", "B"),),
        calendar=china_2026(),
    ),
    "six-day week with a day off": chain(
        Task("A", "A", 7),
        Task("B", "B", 2),
        links=(Dependency("A", "B", Link.FS, 1),),
        calendar=WorkingCalendar(workweek=frozenset({0, 1, 2, 3, 4, 5}), days_off=frozenset({date(2026, 3, 7)})),
    ),
    "summary tasks: links to and from a summary apply to the tasks under it": chain(
        Task("P", "Preparation"),
        Task("P1", "Kick-off", 1, "P"),
        Task("P2", "Survey", 5, "P"),
        Task("G", "Gap analysis"),
        Task("G1", "Assess", 8, "G"),
        Task("G2", "Report", 2, "G"),
        Task("R", "Review", 1),
        links=(
            Dependency("P1", "P2"),
            Dependency("P", "G"),
            Dependency("G1", "G2"),
            Dependency("G", "R", Link.FS, 2),
        ),
    ),
    "start-to-start from a summary follows its earliest task": chain(
        Task("S", "Stage"),
        Task("S1", "Late", 3, "S", Constraint.SNET, date(2026, 3, 9)),
        Task("S2", "Early", 4, "S"),
        Task("X", "Follower", 2),
        links=(Dependency("S", "X", Link.SS, 1),),
    ),
    "stage to stage: finish links between summaries of many tasks, per-cent lags, one as late as possible": chain(
        Task("A", "Establishment"),
        *(
            Task(f"A{n}", f"Establish {n}", n % 6, "A", Constraint.ALAP if n == 7 else Constraint.ASAP)
            for n in range(30)
        ),
        Task("B", "Trial operation"),
        *(Task(f"B{n}", f"Operate {n}", 1 + n % 4, "B") for n in range(30)),
        Task("C", "Audit"),
        *(Task(f"C{n}", f"Audit {n}", n % 3, "C") for n in range(5)),
        links=(
            Dependency("A", "B", Link.FS, 10, LagUnit.PERCENT),
            Dependency("B", "C", Link.FF, -1),
            Dependency("A", "C3", Link.FF, 25, LagUnit.PERCENT),
            Dependency("A3", "A4"),
        ),
    ),
    "nested summaries": chain(
        Task("1", "Stage"),
        Task("1.1", "Process", parent="1"),
        Task("1.1.1", "Design", 3, "1.1"),
        Task("1.1.2", "Trial", 10, "1.1"),
        Task("1.2", "Audit", 2, "1"),
        links=(Dependency("1.1.1", "1.1.2"), Dependency("1.1", "1.2", Link.FF, 1)),
    ),
}


@pytest.mark.parametrize("network", list(HAND_BUILT.values()), ids=list(HAND_BUILT))
def test_hand_built_networks_agree_with_mpxj(network):
    assert disagreements(network) == []


def test_the_table_exercises_what_it_says():
    """The hand-built networks are not trivial: each has float somewhere, some a negative float from a
    constraint conflict, and some a start or finish off the 08:00/17:00 grid (a lag of a fraction of a day)."""
    results = {name: schedule(network) for name, network in HAND_BUILT.items()}
    assert any(
        task.total_float_seconds < 0 for task in results["finish no later than (conflict, negative float)"].tasks
    )
    # 33 % of one day is 2 h 38 min 24 s of working time after 08:00
    third = results["per-cent lag of a third (seconds)"].task("B").early_start
    assert third == datetime(2026, 3, 3, 10, 38, 24)  # noqa: DTZ001 (the plan's dates are wall-clock times)
    assert results["half-day lag ends at noon"].task("B").early_start.hour == 13
    assert all(any(task.total_float_seconds for task in result.tasks) for result in results.values())


def test_a_loop_is_refused_by_both():
    network = chain(
        Task("A", "A", 1),
        Task("B", "B", 1),
        Task("C", "C", 1),
        links=(Dependency("A", "B"), Dependency("B", "C"), Dependency("C", "A")),
    )
    with pytest.raises(OracleCycle):
        mpxj_schedule(network)
    assert [problem.kind for problem in schedule(network).problems] == [ProblemKind.CYCLE]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_random_networks_agree_with_mpxj(network):
    assert disagreements(network) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(max_tasks=12, loops=True))
def test_random_networks_with_loops_agree_with_mpxj(network):
    """Links in any direction: MPXJ refuses exactly the networks the engine reports a loop in, and schedules
    the others the same."""
    assert disagreements(network) == []
