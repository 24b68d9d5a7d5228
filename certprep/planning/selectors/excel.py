"""The plan as the Excel workbook carries it (certprep.planning.exchange.excel): its tasks in outline order with
their schedule, predecessors by ID and resources, and the people on the plan with their work."""

from __future__ import annotations

from collections.abc import Hashable

from certprep.planning.choices import LagUnit, LinkType
from certprep.planning.exchange.excel import SheetResource, SheetTask, workbook
from certprep.planning.models import Plan
from certprep.planning.notation import LinkSpec
from certprep.planning.selectors.page import ordered_tasks
from certprep.planning.selectors.resources import plan_work
from certprep.planning.selectors.schedule import plan_schedule

ZH = "zh-hans"


def plan_sheets(plan: Plan) -> tuple[list[SheetTask], list[SheetResource]]:
    """The rows of both sheets (a fixed number of queries)."""
    scheduled = plan_schedule(plan)
    by_key = {row.task.pk: row.scheduled for row in scheduled.rows}
    ordered = ordered_tasks(sorted((row.task for row in scheduled.rows), key=lambda task: (task.order, task.pk)))
    in_rows = [task for task, _code in ordered]
    row_of = {task.pk: n for n, task in enumerate(in_rows, 1)}
    tasks = []
    for number, (task, code) in enumerate(ordered, 1):
        item = by_key.get(task.pk)
        tasks.append(
            SheetTask(
                number=number,
                level=code.count(".") + 1,
                name=task.name,
                name_zh=(task.translations.get(ZH) or {}).get("name", ""),
                duration_days=task.duration_days,
                wbs=code,
                start=item.start.date() if item else None,
                finish=item.finish.date() if item else None,
                predecessors=tuple(
                    LinkSpec(row_of[link.predecessor_id], LinkType(link.type), link.lag, LagUnit(link.lag_unit))
                    for link in task.predecessor_links.all()
                    if link.predecessor_id in row_of
                ),
                milestone=task.milestone,
                constraint_type=task.constraint_type,
                constraint_date=task.constraint_date,
                percent_complete=task.percent_complete,
                actual_start=task.actual_start,
                actual_finish=task.actual_finish,
                resources=tuple((a.person.name, a.share) for a in task.assignments.all()),
                notes=task.notes,
                optimistic_days=task.optimistic_days,
                pessimistic_days=task.pessimistic_days,
            )
        )
    work = plan_work(plan, scheduled)
    totals: dict[Hashable, float] = {person.person: person.total_hours for person in work.load.people}
    assigned: dict[str, list[int]] = {}
    names: dict[str, Hashable] = {}
    for task in in_rows:
        for assignment in task.assignments.all():
            assigned.setdefault(assignment.person.name, []).append(assignment.share)
            names[assignment.person.name] = assignment.person_id
    resources = [
        SheetResource(name, len(shares), max(shares), totals.get(names[name], 0.0))
        for name, shares in sorted(assigned.items(), key=lambda item: item[0].casefold())
    ]
    return tasks, resources


def plan_workbook(plan: Plan) -> bytes:
    return workbook(*plan_sheets(plan))
