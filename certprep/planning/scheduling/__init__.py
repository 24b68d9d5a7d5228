"""The implementation plan's scheduling engine: pure Python over plain dataclasses, no Django, no database.

- `calendar`: the working calendar (work week, days off, extra working days) and working-day arithmetic;
- `public_holidays`: a country's (and region's) public holidays and make-up working days, from `holidays`;
- `moments`: MS Project's placing of dates in its 8-hour day;
- `network`: tasks, summary tasks, dependencies, constraints, the outline and the problems found;
- `schedule`: forward and backward pass, floats, critical tasks and roll-up, as MS Project schedules.

docs/scheduling.md describes what it computes and how it agrees with MS Project.
"""

from certprep.planning.scheduling.calendar import WorkingCalendar
from certprep.planning.scheduling.network import (
    Constraint,
    Dependency,
    LagUnit,
    Link,
    Network,
    Problem,
    ProblemKind,
    Task,
)
from certprep.planning.scheduling.schedule import Schedule, ScheduledTask, schedule

__all__ = [
    "Constraint",
    "Dependency",
    "LagUnit",
    "Link",
    "Network",
    "Problem",
    "ProblemKind",
    "Schedule",
    "ScheduledTask",
    "Task",
    "WorkingCalendar",
    "schedule",
]
