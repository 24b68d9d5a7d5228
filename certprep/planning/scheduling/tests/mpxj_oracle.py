"""MPXJ's `MicrosoftScheduler` (MS Project's scheduling, reproduced in Java by the MPXJ project) as the oracle
the engine is checked against: the same network is built in an MPXJ `ProjectFile` (calendar and its
exceptions, tasks with their outline, relations with lags, constraints), scheduled there, and read back.

Java is part of the machine (Debian's Java 17 runtime; `make test` installs it): without a JVM the import
of this module fails, and so do the tests that use it. Nothing here skips.

The only translation of meaning is the constraint date: certprep takes a day, so a start constraint is
passed to MPXJ as 08:00 on that day (or the next working day) and a finish constraint as 17:00 on it (or
the previous working day), which is what MS Project shows for a date typed into the constraint field on a
working day.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import jpype
import mpxj  # noqa: F401  (puts MPXJ's jars on JPype's class path)

from certprep.planning.scheduling import moments
from certprep.planning.scheduling.network import DATED, START_CONSTRAINTS, Constraint, LagUnit, Link, Network, TaskKey

JAVA_17 = "/usr/lib/jvm/java-17-openjdk-amd64/lib/server/libjvm.so"


def start_jvm() -> None:
    """Start the JVM once per process: JAVA_HOME's, else Debian's Java 17, else JPype's default."""
    if jpype.isJVMStarted():
        return
    if not os.environ.get("JAVA_HOME") and os.path.exists(JAVA_17):
        jpype.startJVM(JAVA_17, convertStrings=False)
    else:
        jpype.startJVM(convertStrings=False)  # JAVA_HOME's, or the one JPype finds (Debian: default-java)


start_jvm()

java_time = jpype.JPackage("java.time")
DayOfWeek, LocalDateTime, LocalTime, JavaDate = (
    java_time.DayOfWeek,
    java_time.LocalDateTime,
    java_time.LocalTime,
    java_time.LocalDate,
)
org_mpxj = jpype.JPackage("org.mpxj")
ConstraintType, Duration, LocalTimeRange, ProjectFile, Relation, RelationType, TimeUnit = (
    org_mpxj.ConstraintType,
    org_mpxj.Duration,
    org_mpxj.LocalTimeRange,
    org_mpxj.ProjectFile,
    org_mpxj.Relation,
    org_mpxj.RelationType,
    org_mpxj.TimeUnit,
)
CpmException = jpype.JClass("org.mpxj.cpm.CpmException")
MicrosoftScheduler = jpype.JClass("org.mpxj.cpm.MicrosoftScheduler")

RELATION_TYPES = {
    Link.FS: RelationType.FINISH_START,
    Link.SS: RelationType.START_START,
    Link.FF: RelationType.FINISH_FINISH,
    Link.SF: RelationType.START_FINISH,
}
CONSTRAINT_TYPES = {
    Constraint.ASAP: ConstraintType.AS_SOON_AS_POSSIBLE,
    Constraint.ALAP: ConstraintType.AS_LATE_AS_POSSIBLE,
    Constraint.SNET: ConstraintType.START_NO_EARLIER_THAN,
    Constraint.SNLT: ConstraintType.START_NO_LATER_THAN,
    Constraint.FNET: ConstraintType.FINISH_NO_EARLIER_THAN,
    Constraint.FNLT: ConstraintType.FINISH_NO_LATER_THAN,
    Constraint.MSO: ConstraintType.MUST_START_ON,
    Constraint.MFO: ConstraintType.MUST_FINISH_ON,
}
DAYS_OF_WEEK = [
    DayOfWeek.MONDAY,
    DayOfWeek.TUESDAY,
    DayOfWeek.WEDNESDAY,
    DayOfWeek.THURSDAY,
    DayOfWeek.FRIDAY,
    DayOfWeek.SATURDAY,
    DayOfWeek.SUNDAY,
]


class OracleCycle(Exception):
    """MPXJ refused the network: its dependencies form a loop."""


@dataclass(frozen=True)
class OracleTask:
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    start: datetime
    finish: datetime
    total_float_seconds: int  # working seconds
    free_float_seconds: int
    critical: bool


def _java_date(day: date) -> Any:
    return JavaDate.of(day.year, day.month, day.day)


def _java_datetime(day: date, hour: int) -> Any:
    return LocalDateTime.of(day.year, day.month, day.day, hour, 0)


def _python(value: Any) -> datetime:
    return datetime.fromisoformat(str(value.toString()))


def _seconds(duration: Any) -> int:
    units = duration.getUnits()
    value = float(duration.getDuration())
    if units == TimeUnit.DAYS:
        return round(value * moments.DAY)
    if units == TimeUnit.HOURS:
        return round(value * 3600)
    if units == TimeUnit.MINUTES:
        return round(value * 60)
    raise AssertionError(f"unexpected unit {units}")


def _working_hours(target: Any) -> None:
    target.add(LocalTimeRange(LocalTime.of(8, 0), LocalTime.of(12, 0)))
    target.add(LocalTimeRange(LocalTime.of(13, 0), LocalTime.of(17, 0)))


def build(network: Network) -> Any:
    """The network as an MPXJ ProjectFile (not yet scheduled)."""
    project = ProjectFile()
    calendar = project.addDefaultBaseCalendar()
    project.setDefaultCalendar(calendar)
    ours = network.calendar
    for weekday, day_of_week in enumerate(DAYS_OF_WEEK):
        working = weekday in ours.workweek
        calendar.setWorkingDay(day_of_week, working)
        if working and weekday >= 5:
            hours = calendar.getCalendarHours(day_of_week) or calendar.addCalendarHours(day_of_week)
            hours.clear()
            _working_hours(hours)
    for day in sorted(ours.days_off):
        calendar.addCalendarException(_java_date(day), _java_date(day))
    for day in sorted(ours.working_days):
        _working_hours(calendar.addCalendarException(_java_date(day), _java_date(day)))
    made: dict[TaskKey, Any] = {}
    parents = {task.key: task.parent for task in network.tasks}
    for task in network.tasks:
        owner = made[task.parent] if task.parent is not None else project
        item = owner.addTask()
        item.setName(task.name)
        made[task.key] = item
    has_children = {parent for parent in parents.values() if parent is not None}
    for task in network.tasks:
        item = made[task.key]
        if task.key in has_children:
            continue
        duration = Duration.getInstance(task.duration, TimeUnit.DAYS)
        item.setMilestone(task.duration == 0)
        item.setDuration(duration)
        item.setActualDuration(Duration.getInstance(0, TimeUnit.DAYS))
        item.setRemainingDuration(duration)
        item.setConstraintType(CONSTRAINT_TYPES[task.constraint])
        if task.constraint in DATED and task.constraint_date is not None:
            if task.constraint in START_CONSTRAINTS:
                day, hour = ours.working_day_on_or_after(task.constraint_date), 8
            else:
                day, hour = ours.working_day_on_or_before(task.constraint_date), 17
            item.setConstraintDate(_java_datetime(day, hour))
    for link in network.dependencies:
        unit = TimeUnit.PERCENT if link.lag_unit == LagUnit.PERCENT else TimeUnit.DAYS
        builder = (
            Relation.Builder()
            .predecessorTask(made[link.predecessor])
            .type(RELATION_TYPES[link.type])
            .lag(Duration.getInstance(float(link.lag), unit))
        )
        made[link.successor].addPredecessor(builder)
    return project, made


def schedule_project(project: Any, start: date) -> None:
    try:
        MicrosoftScheduler().schedule(project, _java_datetime(start, 8))
    except CpmException as error:
        raise OracleCycle(str(error)) from error


def read(made: dict[TaskKey, Any]) -> dict[TaskKey, OracleTask]:
    return {
        key: OracleTask(
            early_start=_python(item.getEarlyStart()),
            early_finish=_python(item.getEarlyFinish()),
            late_start=_python(item.getLateStart()),
            late_finish=_python(item.getLateFinish()),
            start=_python(item.getStart()),
            finish=_python(item.getFinish()),
            total_float_seconds=_seconds(item.getTotalSlack()),
            free_float_seconds=_seconds(item.getFreeSlack()),
            critical=bool(item.getCritical()),
        )
        for key, item in made.items()
    }


def mpxj_schedule(network: Network) -> dict[TaskKey, OracleTask]:
    """Each task's dates, floats and critical flag as MPXJ's MicrosoftScheduler computes them."""
    project, made = build(network)
    schedule_project(project, network.start)
    return read(made)


def mpxj_version() -> str:
    """The version of the MPXJ package whose jar is on the class path."""
    from importlib.metadata import version

    return version("mpxj")
