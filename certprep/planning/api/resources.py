"""The resources view: each person's load per week from their assignments, and the over-allocated weeks."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from certprep.core.api_errors import READ
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE
from certprep.planning.selectors.resources import PersonRow, plan_resources

router = Router()
OVER_HELP = "The load is more than the working time the person has that week (8 hours per working day): over 100 %."


class TaskLoadOut(Schema):
    task_id: int
    name: str
    hours: float


class WeekLoadOut(Schema):
    week: datetime.date = Field(description="The week's Monday.")
    hours: float = Field(description="Share of time x working hours of the person's tasks in the week.")
    capacity_hours: float = Field(description="8 hours per working day of the working calendar in the week.")
    percent: int | None = Field(description="The load in per cent of the working time (null: no working day).")
    over_allocated: bool = Field(description=OVER_HELP)
    tasks: list[TaskLoadOut]


class PersonLoadOut(Schema):
    person_id: int
    name: str
    total_hours: float
    weeks: list[WeekLoadOut] = Field(description="The weeks in which the person has work, in order.")


class ResourcesOut(Schema):
    weeks: list[datetime.date] = Field(description="Every week from the first to the last with work (Mondays).")
    people: list[PersonLoadOut]


def _person(row: PersonRow) -> dict[str, Any]:
    return {
        "person_id": row.person.pk,
        "name": row.person.name,
        "total_hours": row.total_hours,
        "weeks": [
            {
                "week": week.week,
                "hours": week.cell.hours,
                "capacity_hours": week.cell.capacity_hours,
                "percent": week.cell.percent,
                "over_allocated": week.cell.over_allocated,
                "tasks": [
                    {"task_id": part.task.pk, "name": part.task.name, "hours": part.hours} for part in week.parts
                ],
            }
            for week in row.weeks
            if week.cell is not None
        ],
    }


@router.get(
    BASE + "/resources",
    response={200: ResourcesOut, **READ},
    summary="Each person's load per week and the over-allocated weeks",
)
def resources_get(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    found = plan_resources(plan)
    return {"weeks": list(found.weeks), "people": [_person(row) for row in found.people]}
