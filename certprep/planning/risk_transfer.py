"""The schedule risk runs' share of the plan's section in the engagement file (certprep.planning.transfer): each
run with its iterations, seed, who ran it and when, and its inputs and results as stored.

A run names tasks by their ids; in the file a task of the section is named by its position among the
section's tasks (0, 1, ...), and a task the run saw but the plan no longer has by a negative number (-1,
-2, ... in the order the run's inputs list them), so the run still reads whole. Importing gives the positions
the new tasks' ids back. The inputs are checked as the engine will read them before anything is written."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.errors import ServiceError
from certprep.engagements.models import Membership
from certprep.planning.choices import ConstraintType, LagUnit, LinkType
from certprep.planning.models import Plan, RiskRun, Task
from certprep.planning.scheduling.montecarlo import MAX_ITERATIONS, MIN_ITERATIONS

MAX_RUNS = 200


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RiskTaskPart(_Part):
    key: int
    name: str = Field(max_length=300)
    duration: int = Field(ge=0, le=5000)
    parent: int | None = None
    constraint: ConstraintType
    constraint_date: datetime.date | None = None
    optimistic: int | None = Field(None, ge=0, le=5000)
    pessimistic: int | None = Field(None, ge=0, le=5000)


class RiskLinkPart(_Part):
    predecessor: int
    successor: int
    type: LinkType
    lag: int | float = Field(ge=-10_000, le=10_000)
    lag_unit: LagUnit


class RiskTargetPart(_Part):
    key: int
    kind: str = Field(max_length=20)
    batch: int = Field(ge=1, le=20)
    booked: datetime.date | None = None


class RiskCalendarPart(_Part):
    workweek: list[int] = Field(max_length=7)
    days_off: list[datetime.date] = Field(max_length=100_000)
    working_days: list[datetime.date] = Field(max_length=100_000)


class RiskInputsPart(_Part):
    version: int = 1
    start: datetime.date
    calendar: RiskCalendarPart
    tasks: list[RiskTaskPart] = Field(max_length=100_000)
    dependencies: list[RiskLinkPart] = Field(max_length=400_000)
    targets: list[RiskTargetPart] = Field(max_length=50)
    beyond_finish: list[int] = Field(default_factory=list, max_length=100_000)


class RiskRunPart(_Part):
    created_at: datetime.datetime
    created_by: str | None = Field(None, max_length=150)
    iterations: int = Field(ge=MIN_ITERATIONS, le=MAX_ITERATIONS)
    seed: int = Field(ge=0, le=2**31 - 1)
    inputs: RiskInputsPart
    results: dict[str, Any]


def _mapped(
    inputs: dict[str, Any], results: dict[str, Any], to: Callable[[Any], Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The run's inputs and results with every task reference passed through `to`."""
    inputs = {
        **inputs,
        "tasks": [{**t, "key": to(t["key"]), "parent": to(t["parent"])} for t in inputs["tasks"]],
        "dependencies": [
            {**d, "predecessor": to(d["predecessor"]), "successor": to(d["successor"])} for d in inputs["dependencies"]
        ],
        "targets": [{**t, "key": to(t["key"])} for t in inputs["targets"]],
        "beyond_finish": [to(key) for key in inputs.get("beyond_finish", [])],
    }
    results = {
        **results,
        "targets": [{**t, "key": to(t["key"])} for t in results.get("targets", [])],
        "project": {**results["project"], "key": to(results["project"].get("key"))} if "project" in results else {},
        "critical": [{**c, "key": to(c["key"])} for c in results.get("critical", [])],
        "conflicts": [{**c, "key": to(c["key"])} for c in results.get("conflicts", [])],
        "drawn": [to(key) for key in results.get("drawn", [])],
    }
    return inputs, results


def _file_keys(inputs: dict[str, Any], position: Mapping[int, int]) -> Callable[[Any], Any]:
    gone: dict[Any, int] = {}
    for task in inputs["tasks"]:
        if task["key"] not in position and task["key"] not in gone:
            gone[task["key"]] = -(len(gone) + 1)

    def to(key: Any) -> Any:
        if key is None:
            return None
        return position[key] if key in position else gone.get(key, -(len(gone) + 1))

    return to


def risk_runs_export(plan: Plan, position: Mapping[int, int]) -> list[RiskRunPart]:
    """The plan's runs, oldest first (`position`: each task's id -> its position in the section)."""
    parts = []
    for run in RiskRun.objects.filter(plan=plan).select_related("created_by").order_by("created_at", "pk"):
        inputs, results = _mapped(run.inputs, run.results, _file_keys(run.inputs, position))
        parts.append(
            RiskRunPart(
                created_at=run.created_at,
                created_by=run.created_by.get_username() if run.created_by else None,
                iterations=run.iterations,
                seed=run.seed,
                inputs=RiskInputsPart.model_validate(inputs),
                results=results,
            )
        )
    return parts


def risk_runs_check(parts: Sequence[RiskRunPart], *, tasks: int, refused: Callable[[str], ServiceError]) -> None:
    """Refuse runs naming a task the section does not have, before anything is written."""
    if len(parts) > MAX_RUNS:
        raise refused(_("more than %(n)s risk analysis runs.") % {"n": MAX_RUNS})
    for n, part in enumerate(parts, 1):
        keys = {task.key for task in part.inputs.tasks}
        if any(key >= tasks for key in keys) or len(keys) != len(part.inputs.tasks):
            raise refused(_("risk analysis run %(n)s names a task the section does not have.") % {"n": n})
        named = [t.key for t in part.inputs.targets] + [d.predecessor for d in part.inputs.dependencies]
        named += [d.successor for d in part.inputs.dependencies]
        named += [t.parent for t in part.inputs.tasks if t.parent is not None]
        if any(key not in keys for key in named):
            raise refused(_("risk analysis run %(n)s names a task its inputs do not list.") % {"n": n})
        results = part.results
        if not isinstance(results.get("project"), dict) or not isinstance(results.get("targets"), list):
            raise refused(_("risk analysis run %(n)s has no results.") % {"n": n})


def risk_runs_import(*, plan: Plan, parts: Sequence[RiskRunPart], tasks: Sequence[Task]) -> None:
    """Write the checked runs, their task references pointing at the tasks just created."""
    members = set(Membership.objects.filter(engagement_id=plan.engagement_id).values_list("user__username", flat=True))
    wanted = {part.created_by for part in parts if part.created_by in members}
    users = {user.get_username(): user for user in get_user_model().objects.filter(username__in=wanted)}

    def to(key: Any) -> Any:
        return None if key is None else tasks[key].pk if key >= 0 else key

    for part in parts:
        inputs, results = _mapped(part.inputs.model_dump(mode="json"), part.results, to)
        run = RiskRun.objects.create(
            plan=plan,
            created_by=users.get(part.created_by or ""),
            iterations=part.iterations,
            seed=part.seed,
            inputs=inputs,
            results=results,
        )
        RiskRun.objects.filter(pk=run.pk).update(created_at=part.created_at)  # auto_now_add set it to now
