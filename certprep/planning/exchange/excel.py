"""The plan as an Excel workbook, written and read (no database): a sheet "Tasks" with one row per task in
outline order, and a sheet "Resources" with the people on the plan.

"Tasks" holds what MS Project's own Excel export holds: the task's ID (its row, which predecessors name), WBS
and outline level, name, duration in working days, the scheduled start and finish, predecessors in MS
Project's notation ("3FS+2d;5SS", see certprep.planning.notation), milestone, constraint and its date, % complete,
actual start and finish, resources as "Name[50%];Name2" (a share of 100 % is left out), notes and the
three-point estimate. WBS, start and finish are computed by certprep and read-only: an import reads the
outline from the outline levels and schedules the dates itself. "Resources" is written for reading (each
person's tasks, highest share and total work) and is not read back: people are named in the tasks' rows.

Reading checks every row before anything is stored and refuses the first problem naming its sheet, row and
column. Text is written through core.spreadsheets.neutralize (no cell starts a formula) and read back through
core.spreadsheets.cell_text, so exported text comes back as it was typed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from openpyxl import Workbook

from certprep.core.errors import ServiceError
from certprep.core.sheet_columns import (
    Column,
    Sheet,
    append_row,
    check_header,
    style_body,
    whole_number,
    workbook_bytes,
)
from certprep.core.sheet_columns import write_header as write_header_row
from certprep.core.spreadsheets import read_rows
from certprep.core.xlsx import SheetLimits
from certprep.planning.choices import DATED_CONSTRAINTS, ConstraintType
from certprep.planning.notation import LinkSpec, NotationError, format_links, parse_links

TASKS_SHEET = "Tasks"
RESOURCES_SHEET = "Resources"
MAX_TASKS = 5000
MAX_DURATION = 5000
MAX_NAME = 300
MAX_NOTES = 10_000
MAX_LEVEL = 20
FULL_SHARE = 100
DATE_FORMAT = "yyyy-mm-dd"
_RESOURCE = re.compile(r"^(?P<name>[^\[\]]+?)\s*(?:\[\s*(?P<share>\d{1,3})\s*%\s*\])?$")

TASK_COLUMNS = (
    Column("id", gettext_lazy("ID"), gettext_lazy("The task's row: predecessors name tasks by it."), 6),
    Column("wbs", gettext_lazy("WBS"), gettext_lazy("Computed from the outline levels."), 8, editable=False),
    Column("level", gettext_lazy("Outline level"), gettext_lazy("1 for a stage; a task one deeper sits under it."), 8),
    Column("name", pgettext_lazy("task", "Name"), width=40, wrap=True),
    Column("name_zh", gettext_lazy("Name (Chinese)"), width=30, wrap=True),
    Column("duration", gettext_lazy("Duration (days)"), gettext_lazy("Working days."), 10),
    Column("start", gettext_lazy("Start"), gettext_lazy("As scheduled; not read by the import."), 12, editable=False),
    Column("finish", gettext_lazy("Finish"), gettext_lazy("As scheduled; not read by the import."), 12, editable=False),
    Column(
        "predecessors",
        gettext_lazy("Predecessors"),
        gettext_lazy('By ID, in MS Project notation: "3FS+2d;5SS" (FS, SS, FF or SF, lag in days or %).'),
        16,
    ),
    Column("milestone", gettext_lazy("Milestone"), gettext_lazy("Yes or No."), 10),
    Column(
        "constraint",
        gettext_lazy("Constraint"),
        gettext_lazy("ASAP, ALAP, SNET, SNLT, FNET, FNLT, MSO or MFO (MS Project's codes)."),
        10,
    ),
    Column("constraint_date", gettext_lazy("Constraint date"), width=12),
    Column("percent", gettext_lazy("Per cent complete"), width=10),
    Column("actual_start", gettext_lazy("Actual start"), width=12),
    Column("actual_finish", gettext_lazy("Actual finish"), width=12),
    Column(
        "resources",
        gettext_lazy("Resources"),
        gettext_lazy('People of the engagement by name, with their share when below 100 %: "Ann Lee[50%];Bo Chen".'),
        28,
        wrap=True,
    ),
    Column("notes", gettext_lazy("Notes"), width=40, wrap=True),
    Column("optimistic", gettext_lazy("Optimistic (days)"), gettext_lazy("Three-point estimate; may be empty."), 10),
    Column("pessimistic", gettext_lazy("Pessimistic (days)"), gettext_lazy("Three-point estimate; may be empty."), 10),
)
RESOURCE_COLUMNS = (
    Column("name", gettext_lazy("Name"), width=30, editable=False),
    Column("tasks", gettext_lazy("Tasks"), width=8, editable=False),
    Column("share", gettext_lazy("Highest share (%)"), width=12, editable=False),
    Column("work", gettext_lazy("Work (hours)"), width=12, editable=False),
)
DATE_KEYS = ("start", "finish", "constraint_date", "actual_start", "actual_finish")
LIMITS = SheetLimits(max_rows=MAX_TASKS + 1, max_columns=len(TASK_COLUMNS), max_cells=(MAX_TASKS + 1) * 40)


@dataclass(frozen=True)
class SheetTask:
    """A row of the "Tasks" sheet. `line` is its row in the sheet (for errors), `number` its ID."""

    number: int
    level: int
    name: str
    duration_days: int
    wbs: str = ""
    name_zh: str = ""
    start: datetime.date | None = None
    finish: datetime.date | None = None
    predecessors: tuple[LinkSpec, ...] = ()
    milestone: bool = False
    constraint_type: str = ConstraintType.ASAP
    constraint_date: datetime.date | None = None
    percent_complete: int = 0
    actual_start: datetime.date | None = None
    actual_finish: datetime.date | None = None
    resources: tuple[tuple[str, int], ...] = ()
    notes: str = ""
    optimistic_days: int | None = None
    pessimistic_days: int | None = None
    line: int = 0

    @property
    def predecessors_text(self) -> str:
        return format_links(list(self.predecessors))


@dataclass(frozen=True)
class SheetResource:
    name: str
    tasks: int
    highest_share: int
    work_hours: float


def tasks_sheet() -> Sheet:
    return Sheet(TASKS_SHEET, TASK_COLUMNS)


def resources_text(resources: Sequence[tuple[str, int]]) -> str:
    return ";".join(name if share == FULL_SHARE else f"{name}[{share}%]" for name, share in resources)


def _yes_no(value: bool) -> str:
    return str(_("Yes") if value else _("No"))


def _task_values(task: SheetTask) -> list[Any]:
    return [
        task.number,
        task.wbs,
        task.level,
        task.name,
        task.name_zh,
        task.duration_days,
        task.start,
        task.finish,
        task.predecessors_text,
        _yes_no(task.milestone),
        task.constraint_type,
        task.constraint_date,
        task.percent_complete,
        task.actual_start,
        task.actual_finish,
        resources_text(task.resources),
        task.notes,
        task.optimistic_days,
        task.pessimistic_days,
    ]


def workbook(tasks: Sequence[SheetTask], resources: Sequence[SheetResource]) -> bytes:
    """The plan's workbook: "Tasks" then "Resources", headers explained in their comments."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = TASKS_SHEET
    write_header_row(sheet, TASK_COLUMNS)
    for task in tasks:
        append_row(sheet, _task_values(task))
    # Data cells keep Excel's default style (a style set on each of 30,000 cells costs seconds at 1,500 tasks);
    # only the dates get their format.
    dates = [index for index, column in enumerate(TASK_COLUMNS) if column.key in DATE_KEYS]
    for row in sheet.iter_rows(min_row=2, max_row=len(tasks) + 1):
        for index in dates:
            row[index].number_format = DATE_FORMAT
    sheet.freeze_panes = "E2"
    people = book.create_sheet(RESOURCES_SHEET)
    write_header_row(people, RESOURCE_COLUMNS)
    for person in resources:
        append_row(people, [person.name, person.tasks, person.highest_share, person.work_hours])
    style_body(people, RESOURCE_COLUMNS, len(resources), grey_read_only=False)
    return workbook_bytes(book)


# Reading ----------------------------------------------------------------------------------------------------


def _answers() -> tuple[set[str], set[str]]:
    """ "Yes" and "No" in every language certprep speaks (a file written in Chinese is read in English)."""
    yes, no = {"yes", "true", "1", "y"}, {"no", "false", "0", "n", ""}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            yes.add(str(_("Yes")).casefold())
            no.add(str(_("No")).casefold())
    return yes, no


class _Row:
    """One row's cells, read by column key; each problem names the cell."""

    def __init__(self, sheet: Sheet, line: int, values: Sequence[Any]) -> None:
        self.sheet, self.line, self.values = sheet, line, values
        self.cells = sheet.cells(values)

    def fail(self, key: str, message: str) -> ServiceError:
        return self.sheet.fail(self.line, key, message)

    def text(self, key: str, *, limit: int, required: bool = False) -> str:
        value = self.cells[key]
        if required and not value:
            raise self.fail(key, _("this cell must not be empty."))
        if len(value) > limit:
            raise self.fail(key, _("at most %(n)s characters.") % {"n": limit})
        return value

    def whole(self, key: str, *, low: int, high: int, default: int | None = None) -> int | None:
        text = self.cells[key]
        if not text:
            if default is None:
                return None
            return default
        number = whole_number(text)
        if number is None or not low <= number <= high:
            raise self.fail(
                key,
                _('"%(value)s" is not a whole number from %(low)s to %(high)s.')
                % {"value": text, "low": low, "high": high},
            )
        return number

    def date(self, key: str) -> datetime.date | None:
        index = self.sheet.index[key]
        raw = self.values[index] if index < len(self.values) else None
        if raw is None or raw == "":
            return None
        if isinstance(raw, datetime.datetime):
            return raw.date()
        if isinstance(raw, datetime.date):
            return raw
        try:
            return datetime.datetime.fromisoformat(self.cells[key]).date()
        except ValueError:
            raise self.fail(
                key, _('"%(value)s" is not a date: write it as 2027-03-31.') % {"value": self.cells[key]}
            ) from None


def _resources(row: _Row) -> tuple[tuple[str, int], ...]:
    found: list[tuple[str, int]] = []
    seen: set[str] = set()
    for part in re.split(r"[;；]", row.cells["resources"]):
        part = part.strip()
        if not part:
            continue
        match = _RESOURCE.match(part)
        share = int(match["share"]) if match and match["share"] else FULL_SHARE
        if match is None or not 1 <= share <= FULL_SHARE:
            raise row.fail(
                "resources",
                _(
                    '"%(part)s" is not a resource: write a name, optionally with a share from 1 to 100 %% as '
                    '"Ann Lee[50%%]".'
                )
                % {"part": part},
            )
        name = match["name"].strip()
        if name.casefold() in seen:
            raise row.fail("resources", _('"%(name)s" is named twice.') % {"name": name})
        seen.add(name.casefold())
        found.append((name, share))
    return tuple(found)


def _read_task(row: _Row, number: int, previous_level: int, answers: tuple[set[str], set[str]]) -> SheetTask:
    if row.whole("id", low=1, high=MAX_TASKS) != number:
        raise row.fail(
            "id", _("IDs number the rows 1, 2, 3 ... in order: this row's ID must be %(n)s.") % {"n": number}
        )
    level = row.whole("level", low=1, high=MAX_LEVEL)
    if level is None or level > previous_level + 1:
        raise row.fail(
            "level",
            _("the outline level must be from 1 to %(n)s (one deeper than the row above at most).")
            % {"n": previous_level + 1},
        )
    milestone_text = row.cells["milestone"].casefold()
    yes, no = answers
    if milestone_text not in yes | no:
        raise row.fail("milestone", _('"%(value)s": write Yes or No.') % {"value": row.cells["milestone"]})
    constraint = (row.cells["constraint"] or ConstraintType.ASAP).upper()
    if constraint not in ConstraintType.values:
        raise row.fail(
            "constraint",
            _('"%(value)s" is not a constraint: use ASAP, ALAP, SNET, SNLT, FNET, FNLT, MSO or MFO.')
            % {"value": row.cells["constraint"]},
        )
    constraint_date = row.date("constraint_date")
    if constraint in DATED_CONSTRAINTS and constraint_date is None:
        raise row.fail("constraint_date", _("this constraint needs a date."))
    try:
        predecessors = tuple(parse_links(row.cells["predecessors"]))
    except NotationError as exc:
        raise row.fail("predecessors", exc.message) from None
    for link in predecessors:
        if link.row == number:
            raise row.fail("predecessors", _("a task cannot be its own predecessor."))
    duration = row.whole("duration", low=0, high=MAX_DURATION, default=1)
    optimistic = row.whole("optimistic", low=0, high=MAX_DURATION)
    pessimistic = row.whole("pessimistic", low=0, high=MAX_DURATION)
    if optimistic is not None and optimistic > (duration or 0):
        raise row.fail("optimistic", _("the optimistic duration cannot be longer than the duration."))
    if pessimistic is not None and pessimistic < (duration or 0):
        raise row.fail("pessimistic", _("the pessimistic duration cannot be shorter than the duration."))
    return SheetTask(
        number=number,
        level=level,
        name=row.text("name", limit=MAX_NAME, required=True),
        name_zh=row.text("name_zh", limit=MAX_NAME),
        duration_days=duration or 0,
        wbs=row.cells["wbs"],
        start=row.date("start"),
        finish=row.date("finish"),
        predecessors=predecessors,
        milestone=milestone_text in yes,
        constraint_type=constraint,
        constraint_date=constraint_date if constraint in DATED_CONSTRAINTS else None,
        percent_complete=row.whole("percent", low=0, high=100, default=0) or 0,
        actual_start=row.date("actual_start"),
        actual_finish=row.date("actual_finish"),
        resources=_resources(row),
        notes=row.text("notes", limit=MAX_NOTES),
        optimistic_days=optimistic,
        pessimistic_days=pessimistic,
        line=row.line,
    )


def read_tasks(raw: bytes, filename: str) -> list[SheetTask]:
    """Every row of the "Tasks" sheet, checked; the first problem is refused naming sheet, row and column.

    The workbook is bounded before it is read (core.xlsx: size, parts, rows, cells, text), then predecessors
    must name IDs of the sheet."""
    sheet = tasks_sheet()
    rows = [
        (line, values)
        for line, values in read_rows(raw, filename, sheet=TASKS_SHEET, max_columns=len(TASK_COLUMNS), limits=LIMITS)
    ]
    check_header(sheet, rows)
    answers = _answers()
    tasks: list[SheetTask] = []
    level = 0
    for line, values in rows[1:]:
        if not any(value not in (None, "") for value in values):
            continue
        task = _read_task(_Row(sheet, line, values), len(tasks) + 1, level, answers)
        level = task.level
        tasks.append(task)
    if not tasks:
        raise ServiceError(_('Sheet "%(sheet)s" has no task.') % {"sheet": TASKS_SHEET}, field="file")
    for task in tasks:
        for link in task.predecessors:
            if link.row > len(tasks):
                raise sheet.fail(task.line, "predecessors", _("there is no task with ID %(n)s.") % {"n": link.row})
    return tasks
