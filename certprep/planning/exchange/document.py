"""A project as the exchange files carry it, as plain data (no database): the calendar, the tasks in outline
order with their links and baselines, the resources and their assignments. The MSPDI writer writes one, the
reader reads one, and the import turns one into the stored plan.

Tasks and resources are named by their UID, as MS Project names them in links and assignments."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

NAMESPACE = "http://schemas.microsoft.com/project"
HOURS_PER_DAY = 8
MINUTES_PER_DAY = HOURS_PER_DAY * 60
DAY_START = datetime.time(8, 0)
DAY_FINISH = datetime.time(17, 0)

# MSPDI's numbers for link types and constraints, and certprep's (MS Project's notation) for them.
LINK_CODES = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
LINK_TYPES = {code: kind for kind, code in LINK_CODES.items()}
CONSTRAINT_CODES = {"ASAP": 0, "ALAP": 1, "MSO": 2, "MFO": 3, "SNET": 4, "SNLT": 5, "FNET": 6, "FNLT": 7}
CONSTRAINT_TYPES = {code: kind for kind, code in CONSTRAINT_CODES.items()}
# Duration formats (DurationFormat, LagFormat): 7 days, 19 per cent; the elapsed ones count calendar time.
FORMAT_DAYS = 7
FORMAT_PERCENT = 19
ELAPSED_FORMATS = frozenset({4, 6, 8, 10, 12, 20, 36, 38, 40, 42, 44, 52})


@dataclass(frozen=True)
class DocCalendar:
    """The project's working calendar: the working weekdays (Monday = 0) and its exceptions (a day off or a
    working day, each with its name)."""

    workweek: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    days_off: tuple[tuple[datetime.date, str], ...] = ()
    working_days: tuple[tuple[datetime.date, str], ...] = ()


@dataclass(frozen=True)
class DocLink:
    """A predecessor of a task: its UID, the link type (FS, SS, FF, SF) and the lag in working days or per cent."""

    predecessor: int
    type: str = "FS"
    lag: Decimal = Decimal(0)
    unit: str = "d"


@dataclass(frozen=True)
class DocBaseline:
    """A task's saved baseline (MS Project's Baseline, Baseline1 ... Baseline10 are numbers 0 to 10)."""

    number: int
    start: datetime.date | None
    finish: datetime.date | None
    duration_days: int
    work_hours: int | None = None


@dataclass(frozen=True)
class DocTask:
    uid: int
    name: str
    outline_level: int = 1
    wbs: str = ""
    summary: bool = False
    milestone: bool = False
    duration_days: int = 1
    start: datetime.datetime | None = None
    finish: datetime.datetime | None = None
    constraint_type: str = "ASAP"
    constraint_date: datetime.date | None = None
    percent_complete: int = 0
    actual_start: datetime.date | None = None
    actual_finish: datetime.date | None = None
    notes: str = ""
    effort_hours: int | None = None
    links: tuple[DocLink, ...] = ()
    baselines: tuple[DocBaseline, ...] = ()


@dataclass(frozen=True)
class DocResource:
    uid: int
    name: str


@dataclass(frozen=True)
class DocAssignment:
    """A resource working on a task: `units` is the share of their time in per cent."""

    task: int
    resource: int
    units: int = 100
    work_hours: int | None = None


@dataclass(frozen=True)
class ProjectDocument:
    name: str
    start: datetime.date
    calendar: DocCalendar = field(default_factory=DocCalendar)
    tasks: tuple[DocTask, ...] = ()
    resources: tuple[DocResource, ...] = ()
    assignments: tuple[DocAssignment, ...] = ()
    finish: datetime.datetime | None = None
