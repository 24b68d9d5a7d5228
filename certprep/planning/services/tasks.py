"""Changing the plan by hand: its start and operating time, a task (its predecessors included), a single
dependency, and the working calendar. Each write checks the version the person read (a stale one is refused
with the conflict message) and is recorded in the audit trail.

A task's predecessors belong to the task: adding, changing or removing one bumps the successor's version, so
a form or client holding an older copy of the task is told someone changed it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record, diff, snapshot
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.versioning import delete_versioned, save_versioned
from certprep.planning.choices import DATED_CONSTRAINTS, ConstraintType, LagUnit, LinkType, TaskOrigin
from certprep.planning.models import Assignment, Calendar, Dependency, Plan, Task
from certprep.planning.notation import MAX_LAG
from certprep.planning.scheduling.public_holidays import supported_countries
from certprep.planning.selectors.tasks import task_descendants

UNSET: Any = object()
MAX_DURATION = 5000
ORDER_STEP = 10  # as generation numbers its tasks, so a task added later fits between two
TASK_FIELDS = (
    "name",
    "duration_days",
    "optimistic_days",
    "pessimistic_days",
    "milestone",
    "percent_complete",
    "actual_start",
    "actual_finish",
    "constraint_type",
    "constraint_date",
    "notes",
)


@dataclass(frozen=True)
class PredecessorLink:
    """A predecessor as a person or client sets it on a task."""

    predecessor: Task
    type: str = LinkType.FS
    lag: Decimal = Decimal(0)
    unit: str = LagUnit.DAYS


def _check_links(task: Task, links: Sequence[PredecessorLink]) -> None:
    seen: set[int] = set()
    for link in links:
        if link.predecessor.plan_id != task.plan_id:
            raise ServiceError(_("A predecessor must be a task of the same plan."), field="predecessors")
        if link.predecessor.pk == task.pk:
            raise ServiceError(_("A task cannot be its own predecessor."), field="predecessors")
        if link.predecessor.pk in seen:
            raise ServiceError(_("A task depends on another only once."), field="predecessors")
        if link.type not in LinkType.values or link.unit not in LagUnit.values:
            raise ServiceError(_("Unknown link type or lag unit."), field="predecessors")
        if abs(link.lag) > MAX_LAG:
            raise ServiceError(_("A lag can be at most 10,000."), field="predecessors")
        seen.add(link.predecessor.pk)


def _links_text(links: Sequence[tuple[int, str, Decimal, str]]) -> list[str]:
    return sorted(f"{pk}{kind}{lag:+}{unit}" for pk, kind, lag, unit in links)


def _replace_links(task: Task, links: Sequence[PredecessorLink]) -> list[list[str]] | None:
    """Set the task's predecessors; the audit's [old, new] when they changed."""
    old = _links_text(list(task.predecessor_links.values_list("predecessor_id", "type", "lag", "lag_unit")))
    new = _links_text([(link.predecessor.pk, link.type, link.lag, link.unit) for link in links])
    if old == new:
        return None
    Dependency.objects.filter(successor=task).delete()
    Dependency.objects.bulk_create(
        Dependency(
            plan_id=task.plan_id,
            predecessor=link.predecessor,
            successor=task,
            type=link.type,
            lag=link.lag,
            lag_unit=link.unit,
        )
        for link in links
    )
    return [old, new]


def _check_task(task: Task) -> None:
    if not task.name.strip():
        raise ServiceError(_("A task needs a name."), field="name")
    if task.duration_days > MAX_DURATION:
        raise ServiceError(_("A task lasts at most 5,000 working days."), field="duration_days")
    if task.percent_complete > 100:
        raise ServiceError(_("Per cent complete is at most 100."), field="percent_complete")
    _check_estimate(task)
    if task.constraint_type not in ConstraintType.values:
        raise ServiceError(_("Unknown constraint."), field="constraint_type")
    if task.constraint_type in DATED_CONSTRAINTS and task.constraint_date is None:
        raise ServiceError(_("This constraint needs a date."), field="constraint_date")
    if task.actual_start and task.actual_finish and task.actual_finish < task.actual_start:
        raise ServiceError(_("The actual finish cannot be before the actual start."), field="actual_finish")


def _check_estimate(task: Task) -> None:
    """A three-point estimate brackets the most likely duration: optimistic <= duration <= pessimistic."""
    for name in ("optimistic_days", "pessimistic_days"):
        value = getattr(task, name)
        if value is not None and not 0 <= value <= MAX_DURATION:
            raise ServiceError(_("A task lasts at most 5,000 working days."), field=name)
    if task.optimistic_days is not None and task.optimistic_days > task.duration_days:
        raise ServiceError(
            _("The optimistic duration cannot be longer than the duration (the most likely one)."),
            field="optimistic_days",
        )
    if task.pessimistic_days is not None and task.pessimistic_days < task.duration_days:
        raise ServiceError(
            _("The pessimistic duration cannot be shorter than the duration (the most likely one)."),
            field="pessimistic_days",
        )


@transaction.atomic
def task_update(
    *,
    task: Task,
    actor: Actor,
    expected_version: int,
    name_zh: str | None = None,
    predecessors: Sequence[PredecessorLink] | None = None,
    **changes: Any,
) -> Task:
    """Change a task's fields (TASK_FIELDS; None leaves a field as it is, except the actual dates, the constraint
    date and the three-point estimate, which None clears), its Chinese name and its predecessors (replaced as a
    whole)."""
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"task_update() got unknown fields {sorted(unknown)}")
    clearable = {"actual_start", "actual_finish", "constraint_date", "optimistic_days", "pessimistic_days"}
    fields = [name for name, value in changes.items() if value is not None or name in clearable]
    before = snapshot(task, fields)
    for name in fields:
        setattr(task, name, changes[name] if name != "name" else changes[name].strip())
    if task.constraint_type == ConstraintType.ASAP and "constraint_type" in fields and task.constraint_date:
        task.constraint_date = None  # as soon as possible has no date
        fields = [*dict.fromkeys([*fields, "constraint_date"])]
    if name_zh is not None:
        texts = {**task.translations.get("zh-hans", {}), "name": name_zh.strip()}
        task.translations = {**task.translations, "zh-hans": {k: v for k, v in texts.items() if v}}
        fields.append("translations")
    _check_task(task)
    if predecessors is not None:
        _check_links(task, predecessors)
    save_versioned(task, expected_version=expected_version, fields=fields)
    audit_changes = {k: [before[k], v] for k, v in snapshot(task, list(before)).items() if before[k] != v}
    if predecessors is not None and (replaced := _replace_links(task, predecessors)):
        audit_changes["predecessors"] = replaced
    if audit_changes or name_zh is not None:
        audit_record(
            engagement=task.plan.engagement,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=task,
            changes=audit_changes,
        )
    return task


def place_in_outline(plan: Plan, parent: Task | None, after: Task | None) -> int:
    """The `order` of a task placed under `parent`, right after `after` (None: at the end). Only siblings are
    compared (the outline orders each summary task's children), so the ones after it move down when there is
    no room between two."""
    siblings = list(Task.objects.filter(plan=plan, parent=parent).order_by("order", "pk").only("pk", "order"))
    if after is None:
        return (siblings[-1].order + ORDER_STEP) if siblings else ORDER_STEP
    if after.parent_id != (parent.pk if parent else None):
        raise ServiceError(_("Choose a task under the same summary task to place it after."), field="after_id")
    index = next(n for n, sibling in enumerate(siblings) if sibling.pk == after.pk)
    later = siblings[index + 1 :]
    if later and later[0].order - after.order >= 2:
        return (after.order + later[0].order) // 2
    if later:
        Task.objects.filter(pk__in=[task.pk for task in later]).update(order=models.F("order") + ORDER_STEP)
    return after.order + ORDER_STEP // 2


@transaction.atomic
def task_add(
    *,
    plan: Plan,
    actor: Actor,
    name: str,
    duration_days: int,
    parent: Task | None = None,
    after: Task | None = None,
    milestone: bool = False,
    name_zh: str = "",
    predecessors: Sequence[PredecessorLink] = (),
) -> Task:
    """Add a task by hand under a summary task (None: at the top level), after one of its tasks (None: at the
    end). The WBS numbers follow from the place; regenerating never removes a task added by hand."""
    for field, other in (("parent_id", parent), ("after_id", after)):
        if other is not None and other.plan_id != plan.pk:
            raise ServiceError(_("No task with this id in this engagement's plan."), field=field)
    task = Task(
        plan=plan,
        parent=parent,
        name=name.strip(),
        duration_days=duration_days,
        milestone=milestone,
        origin=TaskOrigin.MANUAL,
        outline_level=(parent.outline_level + 1) if parent else 1,
        translations={"zh-hans": {"name": name_zh.strip()}} if name_zh.strip() else {},
    )
    _check_task(task)
    task.order = place_in_outline(plan, parent, after)
    task.save()
    _check_links(task, predecessors)
    _replace_links(task, predecessors)
    audit_record(
        engagement=plan.engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=task,
        values={"name": task.name, "parent": parent.name if parent else None, "duration_days": duration_days},
    )
    return task


@transaction.atomic
def task_delete(*, task: Task, actor: Actor, expected_version: int | None) -> dict[str, int]:
    """Delete a task with the tasks below it, their dependencies and assignments (the version read checked when
    given). A generated task deleted by hand is proposed again by the next regeneration, for the user to
    confirm. Returns how many of each went."""
    removed = [task.pk, *(child.pk for child in task_descendants(task))]
    links = Dependency.objects.filter(models.Q(predecessor_id__in=removed) | models.Q(successor_id__in=removed))
    successors = {pk for pk in links.values_list("successor_id", flat=True) if pk not in removed}
    counts = {
        "subtasks": len(removed) - 1,
        "dependencies": links.count(),
        "assignments": Assignment.objects.filter(task_id__in=removed).count(),
    }

    def record(stored: Task) -> None:
        audit_record(
            engagement=task.plan.engagement,
            actor=actor,
            action=AuditEntry.Action.DELETE,
            obj=stored,
            values={"name": stored.name, "duration_days": stored.duration_days, **counts},
        )

    delete_versioned(
        task,
        expected_version=expected_version,
        conflict=_("Someone else changed this task since you opened it; it was not deleted. Look at it again first."),
        record=record,
    )
    # Their predecessors changed: a form or client holding an older copy of them is told so.
    Task.objects.filter(pk__in=successors).update(version=models.F("version") + 1)
    return counts


@transaction.atomic
def dependency_add(*, successor: Task, actor: Actor, expected_version: int, link: PredecessorLink) -> Dependency:
    """Add one predecessor to a task (the successor's version checked and bumped)."""
    existing = list(successor.predecessor_links.select_related("predecessor"))
    _check_links(successor, [*(PredecessorLink(d.predecessor, d.type, d.lag, d.lag_unit) for d in existing), link])
    save_versioned(successor, expected_version=expected_version, fields=[])
    dependency = Dependency.objects.create(
        plan_id=successor.plan_id,
        predecessor=link.predecessor,
        successor=successor,
        type=link.type,
        lag=link.lag,
        lag_unit=link.unit,
    )
    audit_record(
        engagement=successor.plan.engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=dependency,
        values={"predecessor": link.predecessor.name, "successor": successor.name, "type": link.type},
    )
    return dependency


@transaction.atomic
def dependency_remove(*, dependency: Dependency, actor: Actor, expected_version: int | None = None) -> None:
    """Remove a predecessor from its task (the successor's version checked when given, and bumped)."""
    successor = dependency.successor
    if expected_version is None:
        expected_version = Task.objects.filter(pk=successor.pk).values_list("version", flat=True).first() or 0
    save_versioned(successor, expected_version=expected_version, fields=[])
    audit_record(
        engagement=successor.plan.engagement,
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=dependency,
        values={"predecessor": dependency.predecessor.name, "successor": successor.name, "type": dependency.type},
    )
    dependency.delete()


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    actor: Actor,
    expected_version: int,
    start_date: datetime.date | None = None,
    minimum_operating_months: int | None = None,
) -> Plan:
    """Change when the plan starts and how long the SMS operates before stage 1 (regenerate to resize the trial
    operation)."""
    fields: list[str] = []
    if start_date is not None:
        plan.start_date, fields = start_date, [*fields, "start_date"]
    if minimum_operating_months is not None:
        if not 1 <= minimum_operating_months <= 24:
            raise ServiceError(_("Between 1 and 24 months."), field="minimum_operating_months")
        plan.minimum_operating_months, fields = minimum_operating_months, [*fields, "minimum_operating_months"]
    return plan_fields_saved(plan, actor=actor, expected_version=expected_version, fields=fields)


def plan_fields_saved(plan: Plan, *, actor: Actor, expected_version: int, fields: list[str]) -> Plan:
    """Write the plan's `fields` (set on `plan` already) if it is still `expected_version`, recording in the
    audit trail those whose stored value changed."""
    before = snapshot(Plan.objects.get(pk=plan.pk), fields)
    save_versioned(plan, expected_version=expected_version, fields=fields)
    changes = diff(before, snapshot(plan, fields))
    if changes:
        audit_record(
            engagement=plan.engagement, actor=actor, action=AuditEntry.Action.UPDATE, obj=plan, changes=changes
        )
    return plan


def _check_country(country: str, region: str) -> None:
    """The country and region must be ones whose public holidays are known (or none at all)."""
    if not country:
        if region:
            raise ServiceError(_("Choose the country of this region."), field="country")
        return
    known = supported_countries()
    if country not in known:
        raise ServiceError(
            _("No public holidays are known for the country %(code)s.") % {"code": country}, field="country"
        )
    if region and region not in known[country]:
        raise ServiceError(
            _("%(region)s is not a region of %(code)s whose holidays are known.") % {"region": region, "code": country},
            field="region",
        )


def _iso_days(days: Sequence[datetime.date]) -> list[str]:
    return sorted({day.isoformat() for day in days})


@transaction.atomic
def calendar_update(
    *,
    calendar: Calendar,
    actor: Actor,
    expected_version: int,
    country: str | None = None,
    region: str | None = None,
    workweek: Sequence[int] | None = None,
    days_off: Sequence[datetime.date] | None = None,
    extra_working_days: Sequence[datetime.date] | None = None,
) -> Calendar:
    """Change the engagement's working calendar (created with the defaults first when it has none, version 1);
    the plan's dates follow at once."""
    if calendar.pk is None:
        stored, _created = Calendar.objects.get_or_create(engagement=calendar.engagement)
        calendar.pk, calendar.version = stored.pk, stored.version
    fields: list[str] = []
    if country is not None:
        calendar.country, fields = country.strip().upper(), [*fields, "country"]
    if region is not None:
        calendar.region, fields = region.strip().upper(), [*fields, "region"]
    _check_country(calendar.country, calendar.region)
    if workweek is not None:
        days = sorted(set(workweek))
        if not days or any(day not in range(7) for day in days):
            raise ServiceError(_("Choose at least one working weekday."), field="workweek")
        calendar.workweek, fields = days, [*fields, "workweek"]
    if days_off is not None:
        calendar.days_off, fields = _iso_days(days_off), [*fields, "days_off"]
    if extra_working_days is not None:
        calendar.extra_working_days, fields = _iso_days(extra_working_days), [*fields, "extra_working_days"]
    if set(calendar.days_off) & set(calendar.extra_working_days):
        raise ServiceError(_("A day cannot be both a day off and an extra working day."), field="days_off")
    before = snapshot(Calendar.objects.get(pk=calendar.pk), fields)
    save_versioned(calendar, expected_version=expected_version, fields=fields)
    changes = {k: [before[k], v] for k, v in snapshot(calendar, fields).items() if before[k] != v}
    if changes:
        audit_record(
            engagement=calendar.engagement, actor=actor, action=AuditEntry.Action.UPDATE, obj=calendar, changes=changes
        )
    return calendar
