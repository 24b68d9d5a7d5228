"""MS Project XML (MSPDI) written from a project document (no database): what MS Project 2007 and later and
ProjectLibre open, and MPXJ reads (the interoperability tests read every export back with MPXJ).

Elements come in the order of MS Project's schema (mspdi_pj12.xsd), which MS Project checks. Text is escaped by
ElementTree; characters XML 1.0 cannot carry (control characters other than tab and line breaks) are left out.
Durations are in hours of the 8-hour working day, link lags in tenths of a minute (per cent lags in per cent,
LagFormat 19), dates as local date-times of the working day (08:00 to 17:00)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from django.utils.text import slugify

from certprep.planning.exchange.document import (
    CONSTRAINT_CODES,
    DAY_FINISH,
    DAY_START,
    FORMAT_DAYS,
    FORMAT_PERCENT,
    LINK_CODES,
    MINUTES_PER_DAY,
    NAMESPACE,
    DocBaseline,
    DocCalendar,
    DocTask,
    ProjectDocument,
)
from certprep.planning.exchange.durations import format_days, format_hours

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTENT_TYPE = "application/xml"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
START_CONSTRAINTS = frozenset({"SNET", "SNLT", "MSO"})
WORKING_TIMES = ((datetime.time(8, 0), datetime.time(12, 0)), (datetime.time(13, 0), datetime.time(17, 0)))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None, microsecond=0).isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    return _NOT_XML.sub("", str(value))


def _add(parent: Element, tag: str, value: object) -> Element:
    element = SubElement(parent, tag)
    element.text = _text(value)
    return element


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time)


def _working_times(parent: Element) -> None:
    times = SubElement(parent, "WorkingTimes")
    for start, finish in WORKING_TIMES:
        item = SubElement(times, "WorkingTime")
        _add(item, "FromTime", start)
        _add(item, "ToTime", finish)


def _calendar(parent: Element, calendar: DocCalendar) -> None:
    item = SubElement(SubElement(parent, "Calendars"), "Calendar")
    _add(item, "UID", 1)
    _add(item, "Name", "Standard")
    _add(item, "IsBaseCalendar", True)
    _add(item, "IsBaselineCalendar", False)
    _add(item, "BaseCalendarUID", -1)
    weekdays = SubElement(item, "WeekDays")
    for day_type in range(1, 8):  # MS Project's DayType: 1 Sunday ... 7 Saturday
        weekday = (day_type + 5) % 7  # date.weekday(): Monday = 0
        entry = SubElement(weekdays, "WeekDay")
        _add(entry, "DayType", day_type)
        working = weekday in calendar.workweek
        _add(entry, "DayWorking", working)
        if working:
            _working_times(entry)
    exceptions = SubElement(item, "Exceptions")
    dated = [(day, name, False) for day, name in calendar.days_off]
    dated += [(day, name, True) for day, name in calendar.working_days]
    for day, name, working in sorted(dated):
        exception = SubElement(exceptions, "Exception")
        _add(exception, "EnteredByOccurrences", False)
        period = SubElement(exception, "TimePeriod")
        _add(period, "FromDate", _at(day, datetime.time(0, 0)))
        _add(period, "ToDate", _at(day, datetime.time(23, 59)))
        _add(exception, "Occurrences", 1)
        _add(exception, "Name", name)
        _add(exception, "Type", 1)  # daily: the one day of the period
        _add(exception, "DayWorking", working)
        if working:
            _working_times(exception)


def _lag(lag: Decimal, unit: str) -> tuple[int, int]:
    """(LinkLag, LagFormat): tenths of a minute in days, or the per cent itself."""
    if unit == "%":
        return round(lag), FORMAT_PERCENT
    return round(lag * MINUTES_PER_DAY * 10), FORMAT_DAYS


def _baseline(parent: Element, baseline: DocBaseline) -> None:
    item = SubElement(parent, "Baseline")
    _add(item, "Number", baseline.number)
    if baseline.start:
        _add(item, "Start", _at(baseline.start, DAY_START))
    if baseline.finish:
        _add(item, "Finish", _at(baseline.finish, DAY_FINISH))
    _add(item, "Duration", format_days(baseline.duration_days))
    _add(item, "DurationFormat", FORMAT_DAYS)
    if baseline.work_hours is not None:
        _add(item, "Work", format_hours(baseline.work_hours))


def _task(parent: Element, task: DocTask, number: int) -> None:
    item = SubElement(parent, "Task")
    _add(item, "UID", task.uid)
    _add(item, "ID", number)
    _add(item, "Name", task.name)
    _add(item, "Active", True)
    _add(item, "Manual", False)
    _add(item, "Type", 1)  # fixed duration: the duration is what the plan decides, work follows from effort
    _add(item, "IsNull", False)
    _add(item, "WBS", task.wbs)
    _add(item, "OutlineNumber", task.wbs)
    _add(item, "OutlineLevel", task.outline_level)
    if task.start is not None:
        _add(item, "Start", task.start)
    if task.finish is not None:
        _add(item, "Finish", task.finish)
    _add(item, "Duration", format_days(0 if task.milestone else task.duration_days))
    _add(item, "DurationFormat", FORMAT_DAYS)
    if task.effort_hours is not None:
        _add(item, "Work", format_hours(task.effort_hours))
    _add(item, "Milestone", task.milestone)
    _add(item, "Summary", task.summary)
    _add(item, "PercentComplete", task.percent_complete)
    if task.actual_start:
        _add(item, "ActualStart", _at(task.actual_start, DAY_START))
    if task.actual_finish:
        _add(item, "ActualFinish", _at(task.actual_finish, DAY_FINISH))
    _add(item, "ConstraintType", CONSTRAINT_CODES[task.constraint_type])
    if task.constraint_date and task.constraint_type != "ASAP":
        time = DAY_START if task.constraint_type in START_CONSTRAINTS else DAY_FINISH
        _add(item, "ConstraintDate", _at(task.constraint_date, time))
    if task.notes:
        _add(item, "Notes", task.notes)
    for link in task.links:
        element = SubElement(item, "PredecessorLink")
        _add(element, "PredecessorUID", link.predecessor)
        _add(element, "Type", LINK_CODES[link.type])
        _add(element, "CrossProject", False)
        lag, lag_format = _lag(link.lag, link.unit)
        _add(element, "LinkLag", lag)
        _add(element, "LagFormat", lag_format)
    for baseline in task.baselines:
        _baseline(item, baseline)


def _resources_and_assignments(root: Element, document: ProjectDocument) -> None:
    resources = SubElement(root, "Resources")
    for number, resource in enumerate(document.resources, 1):
        item = SubElement(resources, "Resource")
        _add(item, "UID", resource.uid)
        _add(item, "ID", number)
        _add(item, "Name", resource.name)
        _add(item, "Type", 1)  # work: a person
        _add(item, "IsNull", False)
        _add(item, "MaxUnits", "1.00")
    assignments = SubElement(root, "Assignments")
    tasks = {task.uid: task for task in document.tasks}
    for number, assignment in enumerate(document.assignments, 1):
        item = SubElement(assignments, "Assignment")
        task = tasks[assignment.task]
        _add(item, "UID", number)
        _add(item, "TaskUID", assignment.task)
        _add(item, "ResourceUID", assignment.resource)
        if task.finish is not None:
            _add(item, "Finish", task.finish)
        if task.start is not None:
            _add(item, "Start", task.start)
        _add(item, "Units", f"{Decimal(assignment.units) / 100:.2f}")
        if assignment.work_hours is not None:
            _add(item, "Work", format_hours(assignment.work_hours))


def mspdi_bytes(document: ProjectDocument) -> bytes:
    """The document as an MS Project XML file (UTF-8)."""
    root = Element("Project", xmlns=NAMESPACE)
    _add(root, "SaveVersion", 14)
    _add(root, "Name", document.name)
    _add(root, "Title", document.name)
    _add(root, "ScheduleFromStart", True)
    _add(root, "StartDate", _at(document.start, DAY_START))
    if document.finish is not None:
        _add(root, "FinishDate", document.finish)
    _add(root, "CalendarUID", 1)
    _add(root, "DefaultStartTime", DAY_START)
    _add(root, "DefaultFinishTime", DAY_FINISH)
    _add(root, "MinutesPerDay", MINUTES_PER_DAY)
    _add(root, "MinutesPerWeek", MINUTES_PER_DAY * len(document.calendar.workweek))
    _add(root, "DaysPerMonth", 20)
    _add(root, "DurationFormat", FORMAT_DAYS)
    _add(root, "WorkFormat", 2)  # hours
    _add(root, "HonorConstraints", True)
    _add(root, "WeekStartDay", 1)  # Monday
    _add(root, "NewTasksAreManual", False)
    _calendar(root, document.calendar)
    tasks = SubElement(root, "Tasks")
    for number, task in enumerate(document.tasks, 1):
        _task(tasks, task, number)
    _resources_and_assignments(root, document)
    indent(root)
    return DECLARATION + tostring(root, encoding="unicode").encode("utf-8")


def mspdi_filename(title: str, day: datetime.date) -> str:
    """The name the export is saved under: certprep-plan-<title>-<yyyymmdd>.xml."""
    return f"certprep-plan-{slugify(title) or 'plan'}-{day:%Y%m%d}.xml"
