"""Generating an engagement's plan from the template and what certprep knows, and regenerating it with the
changes the user confirmed (certprep.planning.regeneration says what is proposed)."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.core.versioning import save_versioned
from certprep.engagements.models import Engagement
from certprep.people.models import Person
from certprep.planning.choices import TaskOrigin
from certprep.planning.models import Assignment, Calendar, Dependency, Plan, Task
from certprep.planning.regeneration import Change, ChangeKind, snapshot
from certprep.planning.rules import ProposedTask, generate
from certprep.planning.selectors.facts import plan_facts
from certprep.planning.selectors.plan import regeneration
from certprep.planning.template import load_template

ORDER_STEP = 10  # generated tasks are numbered in steps, so tasks added by hand keep their place between them


def _next_monday(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)


def _values(proposal: ProposedTask) -> dict[str, Any]:
    return {
        "name": proposal.name,
        "translations": {"zh-hans": {"name": proposal.name_zh}} if proposal.name_zh else {},
        "duration_days": proposal.duration,
        "milestone": proposal.milestone,
        "rule": proposal.rule,
        "reason": dict(proposal.reason),
        "generated": snapshot(proposal),
        "process_code": proposal.process_code,
        "topic_id": proposal.topic_id,
    }


def _outline_levels(plan: Plan) -> None:
    tasks = list(Task.objects.filter(plan=plan).only("pk", "parent_id", "outline_level"))
    parent = {task.pk: task.parent_id for task in tasks}
    for task in tasks:
        level, up, seen = 1, parent[task.pk], set()
        while up is not None and up not in seen:
            seen.add(up)
            level, up = level + 1, parent.get(up)
        task.outline_level = level
    Task.objects.bulk_update(tasks, ["outline_level"])


def _link_and_assign(plan: Plan, proposals: Sequence[ProposedTask], tasks: dict[str, Task]) -> None:
    """The proposals' dependencies and assignees, for the tasks given (their earlier ones replaced)."""
    people = set(Person.objects.filter(engagement=plan.engagement).values_list("pk", flat=True))
    targets = [tasks[p.key] for p in proposals if p.key in tasks]
    Dependency.objects.filter(successor__in=targets).delete()
    links: list[Dependency] = []
    assignments: list[Assignment] = []
    for proposal in proposals:
        task = tasks.get(proposal.key)
        if task is None:
            continue
        for link in proposal.predecessors:
            if link.predecessor in tasks:
                links.append(
                    Dependency(
                        plan=plan, predecessor=tasks[link.predecessor], successor=task, type=link.type, lag=link.lag
                    )
                )
        assignments.extend(Assignment(task=task, person_id=pk) for pk in proposal.assignees if pk in people)
    Dependency.objects.bulk_create(links)
    Assignment.objects.bulk_create(assignments, ignore_conflicts=True)


def _create(plan: Plan, proposals: Sequence[ProposedTask], tasks: dict[str, Task], order: dict[str, int]) -> None:
    for proposal in proposals:  # a parent comes before its children
        task = Task.objects.create(
            plan=plan,
            parent=tasks.get(proposal.parent) if proposal.parent else None,
            order=order[proposal.key],
            origin=TaskOrigin.GENERATED,
            origin_key=proposal.key,
            **_values(proposal),
        )
        tasks[proposal.key] = task


@transaction.atomic
def plan_generate(*, engagement: Engagement, actor: Actor, start_date: datetime.date | None = None) -> Plan:
    """The engagement's plan from the template and its facts (its working calendar too, when it has none)."""
    plan, _created = Plan.objects.get_or_create(
        engagement=engagement, defaults={"start_date": start_date or _next_monday(timezone.localdate())}
    )
    if Task.objects.filter(plan=plan).exists():
        raise ServiceError(_("The plan has tasks already: regenerate it to see what would change."))
    Calendar.objects.get_or_create(engagement=engagement)
    plan.engagement = engagement
    proposals = generate(load_template(), plan_facts(engagement))
    tasks: dict[str, Task] = {}
    _create(plan, proposals, tasks, {p.key: n * ORDER_STEP for n, p in enumerate(proposals, 1)})
    _link_and_assign(plan, proposals, tasks)
    _outline_levels(plan)
    plan.template_version = load_template().version
    plan.generated_at = timezone.now()
    plan.save(update_fields=["template_version", "generated_at", "updated_at"])
    audit_record(
        engagement=engagement, actor=actor, action=AuditEntry.Action.CREATE, obj=plan, values={"tasks": len(tasks)}
    )
    return plan


@transaction.atomic
def plan_regenerate(*, plan: Plan, actor: Actor, accepted: Collection[str], expected_version: int) -> list[Change]:
    """Apply the changes of a regeneration whose ids (`Change.id`) the user ticked; returns those applied.

    The plan's version guards the proposal the user saw: a plan changed since is refused (409)."""
    changes = [change for change in regeneration(plan) if change.id in set(accepted)]
    save_versioned(plan, expected_version=expected_version, fields=["generated_at"])
    proposals = {p.key: p for p in generate(load_template(), plan_facts(plan.engagement))}
    order = {key: n * ORDER_STEP for n, key in enumerate(proposals, 1)}
    tasks = {task.origin_key: task for task in Task.objects.filter(plan=plan).exclude(origin_key="")}
    added = [proposals[c.key] for c in changes if c.kind == ChangeKind.ADDED]
    _create(plan, added, tasks, order)
    relinked = list(added)
    for change in changes:
        if change.kind == ChangeKind.CHANGED:
            relinked.extend(_apply_change(tasks[change.key], proposals[change.key], change, tasks, order))
        elif change.kind == ChangeKind.REMOVED:
            _remove(tasks.pop(change.key))
    _link_and_assign(plan, relinked, tasks)
    _outline_levels(plan)
    plan.template_version = load_template().version
    plan.generated_at = timezone.now()
    plan.save(update_fields=["template_version", "generated_at"])
    audit_record(
        engagement=plan.engagement,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=plan,
        changes={"regenerated": [None, [change.id for change in changes]]},
    )
    return changes


def _apply_change(
    task: Task, proposal: ProposedTask, change: Change, tasks: dict[str, Task], order: dict[str, int]
) -> list[ProposedTask]:
    """Set the fields the rules now give differently (only those); the predecessors are replaced when they
    are among them (returned for relinking)."""
    new = snapshot(proposal)
    generated = dict(task.generated)
    for name in change.fields:
        generated[name] = new[name]
        if name == "name":
            task.name = proposal.name
        elif name == "name_zh":
            task.translations = {**task.translations, "zh-hans": {"name": proposal.name_zh}}
        elif name == "duration":
            task.duration_days = proposal.duration
        elif name == "milestone":
            task.milestone = proposal.milestone
        elif name == "parent":
            task.parent = tasks.get(proposal.parent) if proposal.parent else None
    task.generated, task.rule, task.reason = generated, proposal.rule, dict(proposal.reason)
    task.order = order[proposal.key]
    fields = ["name", "translations", "duration_days", "milestone", "parent", "generated", "rule", "reason", "order"]
    save_versioned(task, expected_version=task.version, fields=fields)
    return [proposal] if "predecessors" in change.fields else []


def _remove(task: Task) -> None:
    """Delete a generated task; tasks below it (added by hand, or kept by the user) move up a level."""
    Task.objects.filter(parent=task).update(parent=task.parent)
    task.delete()
