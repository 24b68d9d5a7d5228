"""What the exchange page shows and sends: the plan as a project document for MS Project (its tasks in outline
order with their schedule, links, baselines and people, and the working calendar with its exceptions), and the
plan's recent imports with what each could not represent."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certprep.planning.exchange.document import (
    DocAssignment,
    DocBaseline,
    DocCalendar,
    DocLink,
    DocResource,
    DocTask,
    ProjectDocument,
)
from certprep.planning.models import Baseline, Calendar, Plan, PlanImport, Task
from certprep.planning.scheduling import WorkingCalendar
from certprep.planning.scheduling.public_holidays import country_days
from certprep.planning.selectors.page import ordered_tasks
from certprep.planning.selectors.schedule import SECONDS_PER_DAY, YEARS_AHEAD, plan_schedule, working_calendar

RECENT_IMPORTS = 10
HOLIDAY_LANGUAGES = {"zh-hans": "zh_CN"}  # the page's language as `holidays` names it; English otherwise


def recent_imports(plan: Plan | None) -> list[PlanImport]:
    """The plan's last imports, newest first, with who imported them (one query)."""
    if plan is None:
        return []
    return list(PlanImport.objects.filter(plan=plan).select_related("imported_by")[:RECENT_IMPORTS])


def document_calendar(calendar: Calendar | None, start: datetime.date) -> DocCalendar:
    """The engagement's working calendar as the file carries it: the working weekdays, and each day that differs
    from them (public holidays by their names, make-up working days, the engagement's own days) for the years
    the plan is scheduled in."""
    working: WorkingCalendar = working_calendar(calendar, start)
    names: dict[datetime.date, str] = {}
    if calendar is not None and calendar.country:
        years = range(start.year, start.year + YEARS_AHEAD + 1)
        language = HOLIDAY_LANGUAGES.get(get_language() or "", "en_US")
        country = country_days(calendar.country, years=years, subdivision=calendar.region or None, language=language)
        names = dict(country.holidays)
    own_off = set(calendar.days_off) if calendar else set()
    days_off = tuple(
        (day, names.get(day) or (_("own day off") if day.isoformat() in own_off else _("Day off")))
        for day in sorted(working.days_off)
        if day.weekday() in working.workweek
    )
    working_days = tuple(
        (day, _("Extra working day")) for day in sorted(working.working_days) if day.weekday() not in working.workweek
    )
    return DocCalendar(workweek=frozenset(working.workweek), days_off=days_off, working_days=working_days)


def _baselines(plan: Plan) -> dict[int, list[DocBaseline]]:
    found: dict[int, list[DocBaseline]] = defaultdict(list)
    for baseline in Baseline.objects.filter(plan=plan).order_by("number"):
        for entry in baseline.tasks:
            if not isinstance(entry, dict) or not isinstance(entry.get("task"), int):
                continue
            start, finish = entry.get("start"), entry.get("finish")
            found[entry["task"]].append(
                DocBaseline(
                    number=baseline.number,
                    start=datetime.date.fromisoformat(str(start)[:10]) if start else None,
                    finish=datetime.date.fromisoformat(str(finish)[:10]) if finish else None,
                    duration_days=int(entry.get("duration_days") or 0),
                    work_hours=entry.get("effort_hours"),
                )
            )
    return found


def _assignments(task: Task) -> list[DocAssignment]:
    """The task's people with their share; the task's effort split among them by their shares."""
    people = list(task.assignments.all())
    total = sum(assignment.share for assignment in people)
    return [
        DocAssignment(
            task=task.pk,
            resource=assignment.person_id,
            units=assignment.share,
            work_hours=round(task.effort_hours * assignment.share / total) if task.effort_hours and total else None,
        )
        for assignment in people
    ]


def plan_document(plan: Plan) -> ProjectDocument:
    """The plan as MS Project sees it (a fixed number of queries): tasks keyed by their ids (UID), numbered in
    outline order (ID), scheduled, with their predecessors, baselines and people."""
    scheduled = plan_schedule(plan)
    by_pk = {row.task.pk: row for row in scheduled.rows}
    ordered = ordered_tasks(sorted((row.task for row in scheduled.rows), key=lambda task: (task.order, task.pk)))
    baselines = _baselines(plan)
    tasks, assignments, resources = [], [], {}
    for task, code in ordered:
        item = by_pk[task.pk].scheduled
        summary = bool(item and item.summary)
        tasks.append(
            DocTask(
                uid=task.pk,
                name=task.name,
                outline_level=code.count(".") + 1,
                wbs=code,
                summary=summary,
                milestone=task.milestone and not summary,
                duration_days=round(item.duration_seconds / SECONDS_PER_DAY)
                if summary and item
                else task.duration_days,
                start=item.start if item else None,
                finish=item.finish if item else None,
                constraint_type=task.constraint_type,
                constraint_date=task.constraint_date,
                percent_complete=task.percent_complete,
                actual_start=task.actual_start,
                actual_finish=task.actual_finish,
                notes=task.notes,
                effort_hours=task.effort_hours,
                links=tuple(
                    DocLink(link.predecessor_id, link.type, Decimal(link.lag), link.lag_unit)
                    for link in task.predecessor_links.all()
                ),
                baselines=tuple(baselines.get(task.pk, ())),
            )
        )
        assignments.extend(_assignments(task))
        for assignment in task.assignments.all():
            resources[assignment.person_id] = DocResource(assignment.person_id, assignment.person.name)
    result = scheduled.result
    return ProjectDocument(
        name=str(plan.engagement.name),
        start=plan.start_date,
        finish=result.finish,
        calendar=document_calendar(Calendar.objects.filter(engagement_id=plan.engagement_id).first(), plan.start_date),
        tasks=tuple(tasks),
        resources=tuple(sorted(resources.values(), key=lambda resource: (resource.name, resource.uid))),
        assignments=tuple(assignments),
    )
