"""The plan the planning benchmarks measure: `count` tasks in stages (a summary task and the nine tasks under it),
the tasks under the summaries chained one after another, and people assigned to them at half their time. Each
benchmark gives the fields it needs on top (names with markup to escape, notes, effort, progress, keys) and the kind
of each link. Import it after `bench.harness.fresh_database()` has set Django up."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from certprep.engagements.models import Engagement
from certprep.people.models import Person
from certprep.planning.models import Assignment, Calendar, Dependency, Plan, Task

GROUP = 10  # a summary task and nine tasks under it
PEOPLE = 20


def _nothing(n: int) -> dict[str, Any]:
    return {}


def stage_name(n: int, suffix: str = "") -> str:
    """ "Stage 0", "Task 1" ... "Task 9", "Stage 10" ...: the summaries and the tasks under them."""
    return f"{'Stage' if n % GROUP == 0 else 'Task'} {n}{suffix}"


@dataclass(frozen=True)
class StagedPlan:
    plan: Plan
    tasks: list[Task]
    leaves: list[Task]  # the tasks under the summaries, in order
    people: list[Person]


def staged_plan(
    engagement: Engagement,
    count: int,
    *,
    start: datetime.date = datetime.date(2027, 1, 4),
    task: Callable[[int], dict[str, Any]] = _nothing,
    link: Callable[[int], dict[str, Any]] = _nothing,
    assign: bool = True,
) -> StagedPlan:
    """The plan, its Chinese calendar and, with `assign`, the engagement's first 20 people (made when it has none)
    assigned round the leaves. `task(n)` gives the n-th task's fields beyond its plan, order, outline level and parent
    (it may set its own order); `link(n)` the n-th link's type and lag (finish-to-start by default). Call it inside a
    transaction."""
    plan = Plan.objects.create(engagement=engagement, start_date=start)
    Calendar.objects.get_or_create(engagement=engagement, defaults={"country": "CN"})
    tasks = Task.objects.bulk_create(
        Task(**{"plan": plan, "order": n, "outline_level": 1 if n % GROUP == 0 else 2, **task(n)}) for n in range(count)
    )
    for n, made in enumerate(tasks):
        if n % GROUP:
            made.parent = tasks[n - n % GROUP]
    Task.objects.bulk_update(tasks, ["parent"])
    leaves = [made for n, made in enumerate(tasks) if n % GROUP]
    Dependency.objects.bulk_create(
        Dependency(plan=plan, predecessor=before, successor=after, **link(n))
        for n, (before, after) in enumerate(zip(leaves, leaves[1:], strict=False))
    )
    people: list[Person] = []
    if assign:
        people = list(
            Person.objects.filter(engagement=engagement).order_by("pk")[:PEOPLE]
        ) or Person.objects.bulk_create(Person(engagement=engagement, name=f"Person {n}") for n in range(PEOPLE))
        Assignment.objects.bulk_create(
            Assignment(task=made, person=people[n % len(people)], share=50) for n, made in enumerate(leaves)
        )
    return StagedPlan(plan=plan, tasks=tasks, leaves=leaves, people=people)


def start_to_start_every_third(n: int) -> dict[str, Any]:
    """Every third link start-to-start with two days' lag, the others finish-to-start."""
    return {"type": "SS", "lag": 2} if n % 3 == 2 else {}
