"""The baselines' share of the plan's section in the engagement file: each baseline with its task entries, a task
referred to by its position in the section's tasks (null for a task deleted after the baseline was saved), and
who saved it by user name (matched to a member of the engagement on import, else left empty)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.errors import ServiceError
from certprep.engagements.models import Membership
from certprep.planning.models import Baseline, Plan, Task


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BaselineEntryPart(_Part):
    task: int | None = Field(None, ge=0, description="Position of the task in this section; null: deleted since.")
    wbs: str = Field("", max_length=60)
    name: str = Field("", max_length=300)
    start: datetime.date | None = None
    finish: datetime.date | None = None
    duration_days: int | None = Field(None, ge=0, le=5000)
    effort_hours: int | None = Field(None, ge=0)
    milestone: bool = False


class BaselinePart(_Part):
    number: int = Field(ge=0, le=10)
    name: str = Field("", max_length=120)
    saved_at: datetime.datetime
    saved_by: str | None = Field(None, max_length=150)
    tasks: list[BaselineEntryPart] = Field(default_factory=list, max_length=100_000)


ENTRY_FIELDS = ("wbs", "name", "start", "finish", "duration_days", "effort_hours", "milestone")


def _entry(entry: Mapping[str, Any], position: Mapping[int, int]) -> BaselineEntryPart:
    task = entry.get("task")
    values = {name: entry.get(name) for name in ENTRY_FIELDS if entry.get(name) is not None}
    return BaselineEntryPart.model_validate({**values, "task": position.get(task) if isinstance(task, int) else None})


def baseline_parts(plan: Plan, position: Mapping[int, int]) -> list[BaselinePart]:
    """The plan's baselines (`position`: each task's id -> its position in the section)."""
    return [
        BaselinePart(
            number=baseline.number,
            name=baseline.name,
            saved_at=baseline.saved_at,
            saved_by=baseline.saved_by.get_username() if baseline.saved_by else None,
            tasks=[_entry(entry, position) for entry in baseline.tasks],
        )
        for baseline in Baseline.objects.filter(plan=plan).select_related("saved_by").order_by("number")
    ]


def baselines_check(parts: Sequence[BaselinePart], *, tasks: int, refused: Callable[[str], ServiceError]) -> None:
    numbers = [part.number for part in parts]
    if len(set(numbers)) != len(numbers):
        raise refused(_("two baselines with the same number."))
    for part in parts:
        if any(entry.task is not None and entry.task >= tasks for entry in part.tasks):
            raise refused(_("baseline %(number)s names a task the section does not have.") % {"number": part.number})


def baselines_import(*, plan: Plan, parts: Sequence[BaselinePart], tasks: Sequence[Task]) -> None:
    """Write the checked baselines, their entries pointing at the tasks just created."""
    members = set(Membership.objects.filter(engagement_id=plan.engagement_id).values_list("user__username", flat=True))
    wanted = {part.saved_by for part in parts if part.saved_by in members}
    users = {user.get_username(): user for user in get_user_model().objects.filter(username__in=wanted)}
    Baseline.objects.bulk_create(
        Baseline(
            plan=plan,
            number=part.number,
            name=part.name,
            saved_at=part.saved_at,
            saved_by=users.get(part.saved_by or ""),
            tasks=[
                {
                    "task": tasks[entry.task].pk if entry.task is not None else None,
                    **entry.model_dump(mode="json", include=set(ENTRY_FIELDS)),
                }
                for entry in part.tasks
            ],
        )
        for part in parts
    )
