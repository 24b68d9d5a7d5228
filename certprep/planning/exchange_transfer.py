"""The plan's imports in the engagement file (certprep.planning.transfer): each file imported into the plan (MS
Project XML, .mpp or Excel) with its name, when and by whom, how many tasks it had and what certprep could not
represent of it, so the list the exchange page shows travels with the plan. The importer is named by username
and found again among the new engagement's members (nobody when they are not one)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from pydantic import BaseModel, ConfigDict, Field

from certprep.core.schemas import Choice
from certprep.engagements.models import Membership
from certprep.planning.choices import ExchangeFormat
from certprep.planning.models import Plan, PlanImport

MAX_IMPORTS = 1000


class PlanImportPart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: Choice[ExchangeFormat]
    file_name: str = Field(max_length=255)
    imported_at: datetime.datetime
    imported_by: str | None = Field(None, max_length=150)
    task_count: int = Field(0, ge=0)
    unrepresented: list[str] = Field(default_factory=list, max_length=100_000)


def plan_imports_export(plan: Plan) -> list[PlanImportPart]:
    return [
        PlanImportPart(
            format=ExchangeFormat(item.format),
            file_name=item.file_name,
            imported_at=item.imported_at,
            imported_by=item.imported_by.get_username() if item.imported_by else None,
            task_count=item.task_count,
            unrepresented=list(item.unrepresented),
        )
        for item in PlanImport.objects.filter(plan=plan).select_related("imported_by").order_by("imported_at", "pk")
    ]


def plan_imports_import(*, plan: Plan, parts: Sequence[PlanImportPart]) -> None:
    members = set(Membership.objects.filter(engagement_id=plan.engagement_id).values_list("user__username", flat=True))
    wanted = {part.imported_by for part in parts if part.imported_by in members}
    users = {user.get_username(): user for user in get_user_model().objects.filter(username__in=wanted)}
    made = PlanImport.objects.bulk_create(
        PlanImport(
            plan=plan,
            format=part.format,
            file_name=part.file_name,
            imported_by=users.get(part.imported_by or ""),
            task_count=part.task_count,
            unrepresented=part.unrepresented,
        )
        for part in parts
    )
    for item, part in zip(made, parts, strict=True):  # auto_now_add set the time to now
        PlanImport.objects.filter(pk=item.pk).update(imported_at=part.imported_at)
