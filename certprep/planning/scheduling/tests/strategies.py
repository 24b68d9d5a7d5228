"""Hypothesis strategies for random networks: plans of up to a few dozen tasks with summary tasks, every
link type, lags in days (fractions too) and per cent, constraints, and calendars with odd work weeks,
holidays and make-up days; plus "messy" inputs with unknown keys, loops and bad values."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from certprep.planning.scheduling import Constraint, Dependency, LagUnit, Link, Network, Task, WorkingCalendar

FIRST_START = date(2025, 12, 1)
DAY_LAGS = (0, 0, 0, 1, 2, 3, 5, -1, -2, -3, 0.5, -0.5, 0.25, 1.75)
DURATIONS = st.sampled_from((0, 0, 1, 1, 2, 3, 4, 5, 8, 10, 15, 20))


@st.composite
def calendars(draw: st.DrawFn, start: date) -> WorkingCalendar:
    workweek = draw(
        st.one_of(
            st.just(frozenset({0, 1, 2, 3, 4})),
            st.sampled_from([frozenset({6, 0, 1, 2, 3}), frozenset({0, 1, 2, 3, 4, 5})]),
            st.frozensets(st.integers(0, 6), min_size=1),
        )
    )
    offsets = st.integers(-40, 240)
    days_off = draw(st.frozensets(offsets, max_size=25))
    working = draw(st.frozensets(offsets, max_size=10)) - days_off
    return WorkingCalendar(
        workweek=workweek,
        days_off=frozenset(start + timedelta(days=n) for n in days_off),
        working_days=frozenset(start + timedelta(days=n) for n in working),
    )


@st.composite
def lags(draw: st.DrawFn) -> tuple[float, LagUnit]:
    if draw(st.booleans()):
        return draw(st.sampled_from(DAY_LAGS)), LagUnit.DAYS
    return draw(st.integers(-100, 200)), LagUnit.PERCENT


@st.composite
def networks(
    draw: st.DrawFn,
    *,
    max_tasks: int = 25,
    summaries: bool = True,
    constraints: bool = True,
    alap: bool = True,
    odd_calendars: bool = True,
    loops: bool = False,
    link_types: tuple[Link, ...] = tuple(Link),
) -> Network:
    """A network whose tasks are listed parents first (as an outline is). Without `loops`, a link goes from
    an earlier task to a later one; summary links may still close a loop, which `acyclic` tells."""
    start = FIRST_START + timedelta(days=draw(st.integers(0, 400)))
    size = draw(st.integers(1, max_tasks))
    parents: list[int | None] = []
    for index in range(size):
        parents.append(draw(st.one_of(st.none(), st.integers(0, index - 1))) if summaries and index else None)
    summary_keys = {parent for parent in parents if parent is not None}
    kinds = list(Constraint) if alap else [kind for kind in Constraint if kind != Constraint.ALAP]
    tasks = []
    for index in range(size):
        constraint, when = Constraint.ASAP, None
        if constraints and index not in summary_keys and draw(st.integers(0, 3)) == 0:
            constraint = draw(st.sampled_from(kinds))
            if constraint not in (Constraint.ASAP, Constraint.ALAP):
                when = start + timedelta(days=draw(st.integers(-10, 80)))
        tasks.append(Task(index, f"T{index}", draw(DURATIONS), parents[index], constraint, when))
    links = []
    seen: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 2 * size))):
        first, second = draw(st.integers(0, size - 1)), draw(st.integers(0, size - 1))
        if first == second:
            continue
        if not loops and first > second:
            first, second = second, first
        if (first, second) in seen or (second, first) in seen:
            continue
        if first in _ancestors(parents, second) or second in _ancestors(parents, first):
            continue
        seen.add((first, second))
        lag, unit = draw(lags())
        links.append(Dependency(first, second, draw(st.sampled_from(link_types)), lag, unit))
    calendar = draw(calendars(start)) if odd_calendars else WorkingCalendar()
    return Network(start=start, tasks=tuple(tasks), dependencies=tuple(links), calendar=calendar)


def _ancestors(parents: list[int | None], index: int) -> set[int]:
    found = set()
    parent = parents[index]
    while parent is not None:
        found.add(parent)
        parent = parents[parent]
    return found


def acyclic(network: Network) -> bool:
    """Whether no loop runs through the links, a link on a summary standing for links to and from every task
    under it (more links than the scheduler makes, so an acyclic answer holds for it too). Written apart
    from the scheduler's own loop finding: a depth-first search for a back edge."""
    children: dict[object, list[object]] = {}
    for task in network.tasks:
        children.setdefault(task.parent, []).append(task.key)

    def leaves(key: object) -> list[object]:
        if key not in children:
            return [key]
        return [leaf for child in children[key] for leaf in leaves(child)]

    after: dict[object, set[object]] = {}
    for link in network.dependencies:
        for first in leaves(link.predecessor):
            after.setdefault(first, set()).update(leaves(link.successor))
    state: dict[object, int] = {}

    def visit(node: object) -> bool:
        state[node] = 1
        for following in after.get(node, ()):
            if state.get(following) == 1 or (following not in state and not visit(following)):
                return False
        state[node] = 2
        return True

    return all(state.get(node) == 2 or visit(node) for node in list(after))


@st.composite
def messy_networks(draw: st.DrawFn) -> Network:
    """Whatever a hand-edited or imported plan may hold: repeated and unknown keys, parents that loop,
    links to nowhere or to the task itself, negative durations, constraints without dates, any calendar."""
    keys = st.sampled_from("abcdefgh")
    tasks = draw(
        st.lists(
            st.builds(
                Task,
                key=keys,
                name=st.text(max_size=5),
                duration=st.one_of(st.integers(-3, 30), st.integers(-(10**9), 10**9)),
                parent=st.one_of(st.none(), keys, st.just("zz")),
                constraint=st.sampled_from(list(Constraint)),
                constraint_date=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2032, 12, 31)), st.dates()),
            ),
            max_size=12,
        )
    )
    links = draw(
        st.lists(
            st.builds(
                Dependency,
                predecessor=st.one_of(keys, st.just("zz")),
                successor=keys,
                type=st.sampled_from(list(Link)),
                lag=st.one_of(st.integers(-50, 50), st.floats(-20, 20), st.floats(), st.integers()),
                lag_unit=st.sampled_from(list(LagUnit)),
            ),
            max_size=25,
        )
    )
    start = draw(st.one_of(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.dates()))
    calendar = draw(st.one_of(calendars(start), st.just(WorkingCalendar(workweek=frozenset()))))
    return Network(start=start, tasks=tuple(tasks), dependencies=tuple(links), calendar=calendar)
