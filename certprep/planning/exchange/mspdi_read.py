"""MS Project XML (MSPDI) read into a project document (no database): what MS Project 2007 and later,
ProjectLibre and MPXJ write. Everything the file holds that certprep cannot represent is named in the result's
`unrepresented` list, never dropped silently; anything that cannot be read at all (a bad duration, a link to a
task the file lacks, a dependency loop, an outline that skips a level) refuses the file, naming the task.

The file is parsed safely first (mspdi_xml.parse_project: size, DTD, entities, external references, root)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.errors import ServiceError
from certprep.core.wording import join_names
from certprep.planning.exchange.document import (
    CONSTRAINT_TYPES,
    ELAPSED_FORMATS,
    FORMAT_PERCENT,
    LINK_TYPES,
    MINUTES_PER_DAY,
    DocAssignment,
    DocBaseline,
    DocLink,
    DocResource,
    DocTask,
    ProjectDocument,
)
from certprep.planning.exchange.durations import parse_days, parse_hours
from certprep.planning.exchange.mspdi_calendar import read_calendar
from certprep.planning.exchange.mspdi_xml import children, day, flag, moment, number, parse_project, text, value
from certprep.planning.scheduling.graph import loops

MAX_TASKS = 20_000
MAX_DAYS = 5000
MAX_LAG_DAYS = Decimal(10_000)


@dataclass(frozen=True)
class ReadFile:
    """A file read: the document, and what certprep cannot represent of it (one sentence each)."""

    document: ProjectDocument
    unrepresented: list[str]


def _task_label(element: Element) -> str:
    return text(element, "Name").strip() or _("the task with UID %(uid)s") % {"uid": value(element, "UID") or "?"}


def _refuse(element: Element, problem: str) -> ServiceError:
    return ServiceError(_("Task %(task)s: %(problem)s") % {"task": _task_label(element), "problem": problem})


def _whole_days(element: Element, tag: str, unrepresented: list[str]) -> int:
    raw = value(element, tag)
    if raw is None:
        return 0
    try:
        days = parse_days(raw)
    except ValueError as error:
        raise _refuse(element, _("the duration %(value)s cannot be read.") % {"value": raw}) from error
    if days < 0 or days > MAX_DAYS:
        raise _refuse(element, _("a duration must be between 0 and 5,000 working days."))
    whole = int(days.to_integral_value(ROUND_HALF_UP))
    if days != whole:
        unrepresented.append(
            _("%(task)s: the duration of %(days)s days is rounded to %(whole)s (the plan counts whole working days).")
            % {"task": _task_label(element), "days": f"{days:.2f}", "whole": whole}
        )
    return whole


def _link(task: Element, link: Element, unrepresented: list[str]) -> DocLink | None:
    if flag(link, "CrossProject"):
        unrepresented.append(
            _("%(task)s: a link to a task of another project (%(project)s).")
            % {"task": _task_label(task), "project": text(link, "CrossProjectName") or "?"}
        )
        return None
    try:
        predecessor = number(link, "PredecessorUID", -1)
        code = number(link, "Type", 1)
        lag_raw, lag_format = number(link, "LinkLag"), number(link, "LagFormat", 7)
    except ValueError as error:
        raise _refuse(task, _("a predecessor link cannot be read.")) from error
    if code not in LINK_TYPES:
        raise _refuse(task, _("the link type %(code)s is not one of MS Project's.") % {"code": code})
    if lag_format in (FORMAT_PERCENT, FORMAT_PERCENT + 1):
        lag, unit = Decimal(lag_raw), "%"
    else:
        lag, unit = (Decimal(lag_raw) / 10 / MINUTES_PER_DAY).quantize(Decimal("0.01")), "d"
    if lag_format in ELAPSED_FORMATS:
        unrepresented.append(_("%(task)s: an elapsed lag, imported as working days.") % {"task": _task_label(task)})
    if abs(lag) > MAX_LAG_DAYS:
        raise _refuse(task, _("a lag can be at most 10,000."))
    return DocLink(predecessor=predecessor, type=LINK_TYPES[code], lag=lag, unit=unit)


def _baseline(task: Element, element: Element) -> DocBaseline:
    try:
        raw_work = value(element, "Work")
        return DocBaseline(
            number=number(element, "Number"),
            start=day(element, "Start"),
            finish=day(element, "Finish"),
            duration_days=round(parse_days(value(element, "Duration") or "PT0H0M0S")),
            work_hours=round(parse_hours(raw_work)) if raw_work else None,
        )
    except ValueError as error:
        raise _refuse(task, _("a baseline cannot be read.")) from error


def _not_represented(element: Element, unrepresented: list[str]) -> None:
    label = _task_label(element)
    if flag(element, "Manual"):
        unrepresented.append(_("%(task)s: manually scheduled; imported as scheduled automatically.") % {"task": label})
    calendar = value(element, "CalendarUID")
    if calendar not in (None, "-1"):
        unrepresented.append(_("%(task)s: a calendar of its own; the plan's calendar applies.") % {"task": label})
    if (value(element, "DurationFormat") or "").isdigit() and int(
        value(element, "DurationFormat") or 0
    ) in ELAPSED_FORMATS:
        unrepresented.append(_("%(task)s: an elapsed duration, imported as working days.") % {"task": label})
    if value(element, "Deadline"):
        unrepresented.append(_("%(task)s: a deadline.") % {"task": label})
    if any(value(element, tag) not in (None, "0") for tag in ("FixedCost", "Cost")):
        unrepresented.append(_("%(task)s: costs.") % {"task": label})
    if list(children(element, "ExtendedAttribute")):
        unrepresented.append(_("%(task)s: values of custom fields.") % {"task": label})


def _task(element: Element, unrepresented: list[str]) -> DocTask:
    try:
        uid, level = number(element, "UID"), number(element, "OutlineLevel", 1)
        constraint = number(element, "ConstraintType")
        percent = number(element, "PercentComplete")
        constraint_day, actual_start, actual_finish = (
            day(element, "ConstraintDate"),
            day(element, "ActualStart"),
            day(element, "ActualFinish"),
        )
        work = value(element, "Work")
        effort = round(parse_hours(work)) if work else None
    except (ValueError, InvalidOperation) as error:
        raise _refuse(element, _("a number or date cannot be read.")) from error
    if constraint not in CONSTRAINT_TYPES:
        raise _refuse(element, _("the constraint %(code)s is not one of MS Project's.") % {"code": constraint})
    if constraint not in (0, 1) and constraint_day is None:
        raise _refuse(element, _("its constraint has no date."))
    if actual_start and actual_finish and actual_finish < actual_start:
        raise _refuse(element, _("its actual finish is before its actual start."))
    if not 0 <= percent <= 100:
        raise _refuse(element, _("per cent complete must be between 0 and 100."))
    _not_represented(element, unrepresented)
    links = [found for link in children(element, "PredecessorLink") if (found := _link(element, link, unrepresented))]
    name = text(element, "Name").strip()[:300]
    return DocTask(
        uid=uid,
        name=name or _("Task %(uid)s") % {"uid": uid},
        outline_level=level,
        wbs=text(element, "WBS"),
        summary=flag(element, "Summary"),
        milestone=flag(element, "Milestone"),
        duration_days=_whole_days(element, "Duration", unrepresented),
        start=moment(element, "Start"),
        finish=moment(element, "Finish"),
        constraint_type=CONSTRAINT_TYPES[constraint],
        constraint_date=constraint_day if constraint else None,
        percent_complete=percent,
        actual_start=actual_start,
        actual_finish=actual_finish,
        notes=text(element, "Notes").replace("\r\n", "\n").replace("\r", "\n"),
        effort_hours=effort,
        links=tuple(links),
        baselines=tuple(_baseline(element, item) for item in children(element, "Baseline")),
    )


def _tasks(project: Element, unrepresented: list[str]) -> list[DocTask]:
    elements = [
        element
        for element in children(project, "Tasks/Task")
        if not flag(element, "IsNull") and number(element, "OutlineLevel", 1) > 0  # level 0: the project summary
    ]
    if len(elements) > MAX_TASKS:
        raise ServiceError(
            _("The file has %(n)s tasks; at most %(max)s are accepted.") % {"n": len(elements), "max": MAX_TASKS}
        )
    tasks, previous = [], 0
    for element in elements:
        task = _task(element, unrepresented)
        if task.outline_level < 1 or task.outline_level > previous + 1:
            raise _refuse(
                element,
                _("its outline level %(level)s does not follow the task before it.") % {"level": task.outline_level},
            )
        previous = task.outline_level
        tasks.append(task)
    return tasks


def _check_links(tasks: list[DocTask], unrepresented: list[str]) -> list[DocTask]:
    """Each link names a task of the file, once; the links form no loop."""
    position = {task.uid: n for n, task in enumerate(tasks)}
    if len(position) != len(tasks):
        raise ServiceError(_("Two tasks of the file have the same UID."))
    successors: list[list[int]] = [[] for _task in tasks]
    checked = []
    for n, task in enumerate(tasks):
        seen: set[int] = set()
        links = []
        for link in task.links:
            if link.predecessor not in position:
                raise ServiceError(
                    _("Task %(task)s: its predecessor with UID %(uid)s is not in the file.")
                    % {"task": task.name, "uid": link.predecessor}
                )
            if link.predecessor == task.uid or link.predecessor in seen:
                unrepresented.append(_("%(task)s: a repeated or self link was left out.") % {"task": task.name})
                continue
            seen.add(link.predecessor)
            successors[position[link.predecessor]].append(n)
            links.append(link)
        checked.append(DocTask(**{**task.__dict__, "links": tuple(links)}))
    for group in loops(len(tasks), successors):
        names = [tasks[n].name for n in group]
        raise ServiceError(
            _("The dependencies form a loop: %(tasks)s. Nothing was imported.") % {"tasks": " → ".join(names)}
        )
    return checked


def _resources(project: Element, unrepresented: list[str]) -> list[DocResource]:
    found = []
    for element in children(project, "Resources/Resource"):
        name = text(element, "Name").strip()
        if flag(element, "IsNull") or not name:
            continue
        if number(element, "Type", 1) != 1:
            unrepresented.append(_("%(name)s: a material or cost resource.") % {"name": name})
            continue
        if any(value(element, tag) not in (None, "0") for tag in ("StandardRate", "OvertimeRate", "CostPerUse")):
            unrepresented.append(_("%(name)s: resource rates and costs.") % {"name": name})
        found.append(DocResource(uid=number(element, "UID"), name=name[:200]))
    return found


def _assignments(
    project: Element, tasks: list[DocTask], resources: list[DocResource], unrepresented: list[str]
) -> list[DocAssignment]:
    task_uids, names = {task.uid for task in tasks}, {resource.uid: resource.name for resource in resources}
    found: dict[tuple[int, int], DocAssignment] = {}
    for element in children(project, "Assignments/Assignment"):
        try:
            task, resource = number(element, "TaskUID"), number(element, "ResourceUID")
            units = Decimal(value(element, "Units") or "1")
        except (ValueError, InvalidOperation) as error:
            raise ServiceError(_("An assignment of the file cannot be read.")) from error
        if task not in task_uids or resource not in names:
            continue  # the null resource, or a resource left out above
        share = int((units * 100).to_integral_value(ROUND_HALF_UP))
        if not 1 <= share <= 100:
            unrepresented.append(
                _("%(name)s works %(share)s%% on a task; a share is between 1%% and 100%%, so it is %(kept)s%%.")
                % {"name": names[resource], "share": share, "kept": min(max(share, 1), 100)}
            )
        found[(task, resource)] = DocAssignment(task=task, resource=resource, units=min(max(share, 1), 100))
    return list(found.values())


def _project_level(project: Element, unrepresented: list[str]) -> None:
    fields = [
        text(item, "Alias") or text(item, "FieldName")
        for item in children(project, "ExtendedAttributes/ExtendedAttribute")
    ]
    if fields:
        unrepresented.append(
            _("Custom fields: %(names)s.") % {"names": join_names(name for name in fields if name) or "?"}
        )
    if list(children(project, "OutlineCodes/OutlineCode")):
        unrepresented.append(_("Outline codes."))


def read_mspdi(data: bytes) -> ReadFile:
    """The file's project; ServiceError naming the problem when it cannot be read."""
    project = parse_project(data)
    unrepresented: list[str] = []
    _project_level(project, unrepresented)
    calendar = read_calendar(project, unrepresented)
    tasks = _check_links(_tasks(project, unrepresented), unrepresented)
    resources = _resources(project, unrepresented)
    assignments = _assignments(project, tasks, resources, unrepresented)
    try:
        start = moment(project, "StartDate")
    except ValueError as error:
        raise ServiceError(_("The project's start date cannot be read.")) from error
    first = min((task.start for task in tasks if task.start), default=None)
    document = ProjectDocument(
        name=(text(project, "Title") or text(project, "Name")).strip(),
        start=start.date() if start else first.date() if first else timezone.localdate(),
        calendar=calendar,
        tasks=tuple(tasks),
        resources=tuple(resources),
        assignments=tuple(assignments),
    )
    return ReadFile(document=document, unrepresented=list(dict.fromkeys(unrepresented)))
