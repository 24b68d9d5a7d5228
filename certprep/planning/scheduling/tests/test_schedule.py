"""The scheduler as a planner reads it: dates worked out by hand for each link type, lag and constraint,
floats, summary tasks, and every problem named by task; then properties over random networks (links
respected in working time, float never negative without constraints, the critical path joining start and
finish, the same answer every time, a task added in another's float moving nothing) and over whatever
messy input a plan may hold (no exception, no hang).

Agreement with MS Project's own scheduling is in test_mpxj_agreement.py; here the expected dates are
written out from the calendar."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from hypothesis import HealthCheck, assume, given, settings

from certprep.planning.scheduling import (
    Constraint,
    Dependency,
    LagUnit,
    Link,
    Network,
    Problem,
    ProblemKind,
    Task,
    WorkingCalendar,
    schedule,
)
from certprep.planning.scheduling.tests.strategies import acyclic, messy_networks, networks

MONDAY = date(2026, 3, 2)
HOLIDAY = date(2026, 3, 5)  # a Thursday off
CALENDAR = WorkingCalendar(days_off=frozenset({HOLIDAY}))
DAY = 8 * 3600


def describe(problem: Problem) -> str:
    """A problem in English, for the assertions' messages (pages word it from its kind and fields)."""
    names = ", ".join(problem.tasks)
    if problem.kind == ProblemKind.CONSTRAINT_CONFLICT:
        return (
            f"{names}: {problem.constraint} {problem.constraint_date} is earlier than its predecessors "
            f"({', '.join(problem.drivers)}) allow ({problem.earliest})"
        )
    if problem.kind == ProblemKind.CYCLE:
        return f"dependencies form a loop: {' -> '.join(problem.tasks)}"
    return f"{problem.kind}: {names}"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """`day` of March 2026 at the time."""
    return datetime(2026, 3, day, hour, minute)  # noqa: DTZ001 (the plan's dates are wall-clock times)


def plan(*tasks: Task, links: tuple[Dependency, ...] = (), calendar: WorkingCalendar = CALENDAR) -> Network:
    return Network(start=MONDAY, tasks=tasks, dependencies=links, calendar=calendar)


def kinds(result) -> list[ProblemKind]:
    return [problem.kind for problem in result.problems]


# --- dates by hand ---------------------------------------------------------------------------------------


def test_a_chain_runs_over_the_holiday():
    result = schedule(plan(Task("A", "Survey", 3), Task("B", "Report", 2), links=(Dependency("A", "B"),)))
    survey, report = result.task("A"), result.task("B")
    assert (survey.early_start, survey.early_finish) == (at(2, 8), at(4, 17))
    assert (report.early_start, report.early_finish) == (at(6, 8), at(9, 17))  # Thursday 5 is off
    assert result.finish == at(9, 17)
    assert result.critical == ("A", "B")
    assert report.drivers == ("A",)


def linked(link: Link, lag: float = 0, unit: LagUnit = LagUnit.DAYS, first: int = 4, second: int = 3):
    """A, then B by `link`, on a plain Monday-to-Friday calendar; returns B's scheduled task."""
    network = plan(
        Task("A", "A", first),
        Task("B", "B", second),
        links=(Dependency("A", "B", link, lag, unit),),
        calendar=WorkingCalendar(),
    )
    return schedule(network).task("B")


def test_each_link_type_with_its_lag():
    # A runs Monday 2 to Thursday 5 March.
    assert linked(Link.FS).early_start == at(6, 8)
    assert linked(Link.SS, 2).early_start == at(4, 8)  # two days after A starts
    finish_to_finish = linked(Link.FF, 1, second=2)
    assert (finish_to_finish.early_start, finish_to_finish.early_finish) == (at(5, 8), at(6, 17))
    # B (1 day) finishes when A starts: Friday 27 February at 17:00 is the same working moment as Monday 08:00.
    start_to_finish = linked(Link.SF, 0, second=1)
    assert (start_to_finish.early_start, start_to_finish.early_finish) == (
        datetime(2026, 2, 27, 8),  # noqa: DTZ001 (wall-clock plan dates)
        datetime(2026, 2, 27, 17),  # noqa: DTZ001 (wall-clock plan dates)
    )


def test_a_finish_to_finish_successor_never_starts_before_the_project():
    longer = linked(Link.FF, 0, second=6)
    assert longer.early_start == at(2, 8)  # not four days before the project
    assert longer.early_finish == at(9, 17)


def test_lead_and_per_cent_lags():
    assert linked(Link.FS, -2).early_start == at(4, 8)  # a two-day lead overlaps A's last two days
    # Half of a 3-day task is a day and a half: from Wednesday 17:00 to Friday 12:00; B starts after lunch.
    assert linked(Link.FS, 50, LagUnit.PERCENT, first=3).early_start == at(6, 13)
    # A lead may start a task before the project start (MPXJ's MicrosoftScheduler does the same): a quarter of
    # 4 days before Monday 08:00 is Friday 27 February 08:00.
    assert linked(Link.SS, -25, LagUnit.PERCENT, first=4).early_start == datetime(2026, 2, 27, 8)  # noqa: DTZ001


def test_a_milestone_after_a_task_sits_at_the_end_of_its_day():
    result = schedule(
        plan(Task("A", "Survey", 2), Task("M", "Survey closed", 0), links=(Dependency("A", "M"),)),
    )
    closed = result.task("M")
    assert closed.milestone
    assert closed.early_start == closed.early_finish == at(3, 17)


def test_total_and_free_float():
    # A (2 days) and B (5 days) both lead to C; D (1 day) follows A and also leads to C.
    result = schedule(
        plan(
            Task("A", "A", 2),
            Task("B", "B", 5),
            Task("C", "C", 1),
            Task("D", "D", 1),
            links=(Dependency("A", "C"), Dependency("B", "C"), Dependency("A", "D"), Dependency("D", "C")),
            calendar=WorkingCalendar(),
        )
    )
    a, b, c, d = (result.task(key) for key in "ABCD")
    assert (a.total_float_days, a.free_float_days) == (2, 0)  # D starts right after A
    assert (d.total_float_days, d.free_float_days) == (2, 2)
    assert (b.total_float_days, c.total_float_days) == (0, 0)
    assert result.critical == ("B", "C")


# --- constraints -----------------------------------------------------------------------------------------


def constrained(kind: Constraint, when: date | None):
    """A (5 days) then B (3 days, constrained) then C (2 days); D (20 days) beside them."""
    return schedule(
        plan(
            Task("A", "Design", 5),
            Task("B", "Train", 3, constraint=kind, constraint_date=when),
            Task("C", "Trial", 2),
            Task("D", "Documents", 20),
            links=(Dependency("A", "B"), Dependency("B", "C")),
            calendar=WorkingCalendar(),
        )
    )


def test_start_and_finish_no_earlier_than_push_the_task_later():
    assert constrained(Constraint.SNET, date(2026, 3, 16)).task("B").early_start == at(16, 8)
    assert constrained(Constraint.SNET, date(2026, 3, 14)).task("B").early_start == at(16, 8)  # a Saturday
    assert constrained(Constraint.FNET, date(2026, 3, 20)).task("B").early_finish == at(20, 17)
    assert constrained(Constraint.SNET, date(2026, 3, 3)).task("B").early_start == at(9, 8)  # logic wins


def test_a_must_start_on_before_the_predecessor_finishes_is_a_conflict_by_name():
    result = constrained(Constraint.MSO, date(2026, 3, 5))
    train = result.task("B")
    assert train.early_start == at(5, 8)  # MS Project honours the constraint date
    assert result.task("A").total_float_seconds == -2 * DAY  # Design is two days late for it
    assert result.task("A").critical
    [conflict] = result.problems
    assert conflict.kind == ProblemKind.CONSTRAINT_CONFLICT
    assert conflict.tasks == ("Train",)
    assert conflict.drivers == ("Design",)
    assert (conflict.constraint_date, conflict.earliest) == (date(2026, 3, 5), date(2026, 3, 9))
    assert "Train" in describe(conflict)


def test_finish_no_later_than_and_start_no_later_than_pull_the_task_earlier():
    result = constrained(Constraint.FNLT, date(2026, 3, 9))
    assert result.task("B").early_finish == at(9, 17)
    assert kinds(result) == [ProblemKind.CONSTRAINT_CONFLICT]
    assert constrained(Constraint.SNLT, date(2026, 3, 20)).problems == ()  # later than the logic: no conflict
    assert constrained(Constraint.SNLT, date(2026, 3, 20)).task("B").late_start == at(20, 8)


def test_must_finish_on_and_as_late_as_possible():
    assert constrained(Constraint.MFO, date(2026, 3, 20)).task("B").early_finish == at(20, 17)
    late = constrained(Constraint.ALAP, None)
    train, trial = late.task("B"), late.task("C")
    assert (train.start, train.finish) == (train.late_start, train.late_finish) == (at(23, 8), at(25, 17))
    assert trial.early_start == at(26, 8)  # follows the late dates of its predecessor


def test_the_constraint_date_of_a_finish_constraint_on_a_weekend_is_the_friday_before():
    assert constrained(Constraint.FNLT, date(2026, 3, 22)).task("B").late_finish == at(20, 17)


# --- summary tasks ---------------------------------------------------------------------------------------


def test_summary_tasks_roll_up_and_pass_their_links_to_the_tasks_under_them():
    result = schedule(
        plan(
            Task("P", "Preliminary preparation"),
            Task("P1", "Kick-off", 1, "P"),
            Task("P2", "Survey", 4, "P"),
            Task("G", "Gap analysis"),
            Task("G1", "Assess processes", 3, "G"),
            Task("G2", "Assess documents", 2, "G"),
            links=(Dependency("P1", "P2"), Dependency("P", "G")),
        )
    )
    preparation, gaps = result.task("P"), result.task("G")
    assert [task.wbs for task in result.tasks] == ["1", "1.1", "1.2", "2", "2.1", "2.2"]
    assert (preparation.summary, preparation.level, result.task("P2").level) == (True, 1, 2)
    assert (preparation.early_start, preparation.early_finish) == (at(2, 8), at(9, 17))  # over the holiday
    # Both tasks of the gap analysis wait for the whole preparation.
    assert result.task("G1").early_start == result.task("G2").early_start == at(10, 8)
    assert (gaps.early_start, gaps.early_finish) == (at(10, 8), at(12, 17))
    assert gaps.duration_days == 3
    assert result.task("G1").drivers == ("P",)


def test_a_link_between_two_stages_holds_every_task_of_the_second_after_every_task_of_the_first():
    first = [Task(f"A{n}", f"Establish {n}", 1 + n % 7, "A") for n in range(400)]
    second = [Task(f"B{n}", f"Operate {n}", 1 + n % 5, "B") for n in range(400)]
    result = schedule(
        plan(
            Task("A", "Establishment"),
            *first,
            Task("B", "Trial operation"),
            *second,
            links=(Dependency("A", "B", Link.FS, 2),),
            calendar=WorkingCalendar(),
        )
    )
    establishment, trial = result.task("A"), result.task("B")
    assert establishment.early_finish == at(10, 17)  # the longest task: 7 days from Monday 2 March
    assert all(result.task(task.key).early_start == at(13, 8) for task in second)  # after 2 days of lag
    assert trial.early_start == at(13, 8)
    assert {result.task(task.key).drivers for task in second} == {("A",)}
    assert sum(result.task(task.key).critical for task in first) == len(first) // 7  # the 7-day ones


# --- problems, each named ---------------------------------------------------------------------------------


def test_a_loop_is_named_and_the_rest_is_still_scheduled():
    result = schedule(
        plan(
            Task("A", "Policy", 2),
            Task("B", "Procedure", 2),
            Task("C", "Training", 1),
            Task("D", "Audit", 1),
            links=(Dependency("A", "B"), Dependency("B", "C"), Dependency("C", "A"), Dependency("C", "D")),
        )
    )
    [loop] = result.problems
    assert loop.kind == ProblemKind.CYCLE
    assert loop.tasks == ("Policy", "Procedure", "Training")
    assert result.task("D").early_start == at(3, 8)  # after Training, whose own links were left out


def test_each_unusable_input_is_reported_by_name_and_left_out():
    result = schedule(
        plan(
            Task("S", "Stage", constraint=Constraint.SNET, constraint_date=MONDAY),
            Task("A", "Assess", 2, "S"),
            Task("A", "Assess again", 2),
            Task("B", "Brief", -1, "nowhere"),
            Task("C", "Close", 1, constraint=Constraint.MSO),
            Task("X", "Loop one", 1, "Y"),
            Task("Y", "Loop two", 1, "X"),
            links=(
                Dependency("A", "ghost"),
                Dependency("B", "B"),
                Dependency("A", "C"),
                Dependency("A", "C", Link.SS),
                Dependency("S", "A"),
            ),
        )
    )
    assert [(problem.kind, problem.tasks) for problem in result.problems] == [
        (ProblemKind.DUPLICATE_TASK, ("Assess again",)),
        (ProblemKind.UNKNOWN_PARENT, ("Brief",)),
        (ProblemKind.OUTLINE_CYCLE, ("Loop one", "Loop two")),
        (ProblemKind.SUMMARY_CONSTRAINT, ("Stage",)),
        (ProblemKind.NEGATIVE_DURATION, ("Brief",)),
        (ProblemKind.MISSING_CONSTRAINT_DATE, ("Close",)),
        (ProblemKind.UNKNOWN_TASK, ("Assess", "ghost")),
        (ProblemKind.SELF_LINK, ("Brief",)),
        (ProblemKind.DUPLICATE_LINK, ("Assess", "Close")),
        (ProblemKind.OWN_SUMMARY_LINK, ("Stage", "Assess")),
    ]
    assert [task.name for task in result.tasks] == ["Stage", "Assess", "Brief", "Close", "Loop one", "Loop two"]
    assert result.task("B").milestone  # -1 day counts as 0
    assert result.task("C").early_start == at(4, 8)  # no date: as soon as possible, after Assess


def test_durations_lags_and_dates_out_of_any_plan_are_named_not_a_crash():
    result = schedule(
        plan(
            Task("A", "Typo", 10**9),
            Task("B", "Next", 1),
            Task("C", "Far", 3, constraint=Constraint.SNET, constraint_date=date(9999, 12, 30)),
            links=(Dependency("A", "B", Link.FS, float("inf")), Dependency("B", "C", Link.FS, 10**8)),
        )
    )
    assert [(problem.kind, problem.tasks) for problem in result.problems] == [
        (ProblemKind.OUT_OF_RANGE, ("Typo",)),
        (ProblemKind.OUT_OF_RANGE, ("Typo", "Next")),
        (ProblemKind.OUT_OF_RANGE, ("Next", "Far")),
        (ProblemKind.OUT_OF_RANGE, ()),  # Far would finish after the year 9999
    ]
    assert result.tasks == ()


def test_a_calendar_without_working_days_gives_no_dates_and_says_why():
    result = schedule(plan(Task("A", "A", 1), calendar=WorkingCalendar(workweek=frozenset())))
    assert (result.tasks, result.start, kinds(result)) == ((), None, [ProblemKind.NO_WORKING_DAYS])


def test_a_long_chain_does_not_hit_the_recursion_limit():
    size = 5000
    tasks = tuple(Task(n, f"T{n}", 1) for n in range(size))
    links = tuple(Dependency(n, n + 1) for n in range(size - 1))
    result = schedule(plan(*tasks, links=links, calendar=WorkingCalendar()))
    assert result.task(size - 1).early_finish.date() == WorkingCalendar().add_working_days(MONDAY, size - 1)
    assert len(result.critical) == size


# --- properties ------------------------------------------------------------------------------------------


def working_seconds(calendar: WorkingCalendar, first: datetime, second: datetime) -> int:
    """Working time from `first` to `second` (negative when earlier), walking the days and their two
    periods; independent of the scheduler's own encoding of moments."""
    if second < first:
        return -working_seconds(calendar, second, first)
    total = 0.0
    day = first.date()
    while day <= second.date():
        if calendar.is_working(day):
            for begin, end in ((8, 12), (13, 17)):
                low = max(first, datetime.combine(day, time(begin)))
                high = min(second, datetime.combine(day, time(end)))
                total += max((high - low).total_seconds(), 0)
        day += timedelta(days=1)
    return round(total)


def lag_seconds(link: Dependency, predecessor: Task) -> float:
    if link.lag_unit == LagUnit.PERCENT:
        return predecessor.duration * DAY * link.lag / 100
    return link.lag * DAY


PLAIN = {"summaries": False, "constraints": False, "alap": False}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(**PLAIN))
def test_every_successor_waits_for_its_link_in_working_time(network):
    result = schedule(network)
    tasks = {task.key: task for task in network.tasks}
    for link in network.dependencies:
        before, after = result.task(link.predecessor), result.task(link.successor)
        since = before.early_finish if link.type in (Link.FS, Link.FF) else before.early_start
        until = after.early_start if link.type in (Link.FS, Link.SS) else after.early_finish
        # within a second: a per-cent lag is rounded to the second
        assert working_seconds(network.calendar, since, until) >= lag_seconds(link, tasks[link.predecessor]) - 1


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(constraints=False, alap=False))
def test_without_constraints_no_float_is_negative_and_early_is_never_after_late(network):
    assume(acyclic(network))
    result = schedule(network)
    assert result.problems == ()
    calendar = network.calendar
    for task in result.tasks:
        assert task.total_float_seconds >= 0
        assert task.free_float_seconds >= 0
        # in working time: a milestone's late finish at Friday 17:00 is its early one at Monday 08:00
        assert working_seconds(calendar, task.early_start, task.late_start) >= 0
        assert working_seconds(calendar, task.early_finish, task.late_finish) >= 0
        assert task.critical == (task.total_float_seconds == 0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(**PLAIN))
def test_the_critical_tasks_join_the_start_to_the_finish(network):
    """Some critical task finishes with the project, and each critical task either starts with the project
    or is driven by a critical predecessor: following the drivers back from the finish walks a critical path
    to the start."""
    result = schedule(network)
    critical = {task.key for task in result.tasks if task.critical}
    assert any(result.task(key).early_finish == result.finish for key in critical)
    for key in critical:
        task = result.task(key)
        starts_with_project = working_seconds(network.calendar, result.start, task.early_start) <= 0
        assert starts_with_project or any(driver in critical for driver in task.drivers)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks())
def test_the_same_network_always_gives_the_same_schedule(network):
    first, again = schedule(network), schedule(network)
    assert first == again
    shuffled = schedule(replace(network, dependencies=tuple(reversed(network.dependencies))))
    if not any(problem.kind == ProblemKind.CYCLE for problem in first.problems):
        fields = ("early_start", "early_finish", "late_start", "late_finish", "total_float_seconds", "critical")
        for one, other in zip(first.tasks, shuffled.tasks, strict=True):
            assert [getattr(one, name) for name in fields] == [getattr(other, name) for name in fields]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(constraints=False, alap=False))
def test_a_task_added_within_another_tasks_float_moves_nothing(network):
    assume(acyclic(network))
    result = schedule(network)
    slack = [task for task in result.tasks if not task.summary and task.total_float_seconds >= DAY]
    assume(slack)
    host = slack[0]
    added = Task("added", "Added task", host.total_float_seconds // DAY)
    bigger = replace(
        network,
        tasks=(*network.tasks, added),
        dependencies=(*network.dependencies, Dependency(host.key, "added")),
    )
    again = schedule(bigger)
    assert again.finish == result.finish
    for task in result.tasks:
        other = again.task(task.key)
        assert (other.early_start, other.early_finish) == (task.early_start, task.early_finish)
    assert again.task("added").total_float_seconds >= 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(summaries=False, max_tasks=12, loops=True))
def test_a_loop_is_reported_exactly_when_the_links_make_one(network):
    result = schedule(network)
    reported = ProblemKind.CYCLE in kinds(result)
    assert reported == (not acyclic(network))
    assert {task.key for task in result.tasks} == {task.key for task in network.tasks}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(messy_networks())
def test_any_input_gives_a_schedule_or_named_problems_never_an_exception(network):
    result = schedule(network)
    keys = list(dict.fromkeys(task.key for task in network.tasks))
    undated = Problem(ProblemKind.OUT_OF_RANGE, ())  # dates before the year 1 or after 9999: none shown
    if network.calendar.has_working_days and undated not in result.problems:
        assert sorted(task.key for task in result.tasks) == sorted(keys)
    else:
        assert result.tasks == ()
    for problem in result.problems:
        assert isinstance(describe(problem), str)


def test_tasks_beyond_the_finish_keep_the_projects_critical_path():
    """A surveillance audit pinned a year later (must start on) would make the project end there: every task
    before it would get a year of float and none be critical. Named as beyond the finish, it is left out of the
    project's finish: the chain A -> B stays critical, the pinned audit keeps its date."""
    tasks = [
        Task("A", "Prepare", 5),
        Task("B", "Stage 2 audit", 2),
        Task("S", "Surveillance audit", 0, constraint=Constraint.MSO, constraint_date=date(2027, 3, 1)),
    ]
    links = [Dependency("A", "B")]
    plain = schedule(Network(start=MONDAY, tasks=tasks, dependencies=links))
    assert plain.critical == ("S",)  # as MS Project has it: the late audit ends the project
    result = schedule(Network(start=MONDAY, tasks=tasks, dependencies=links, beyond_finish=frozenset({"S"})))
    assert result.critical == ("A", "B", "S")
    assert result.finish == datetime.combine(date(2026, 3, 10), time(17, 0))  # B's finish: Mon + 7 working days
    assert result.task("S").start.date() == date(2027, 3, 1)
    assert result.task("A").total_float_seconds == 0
