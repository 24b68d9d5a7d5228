"""The Gantt chart's data: each task as the chart draws it (scheduled dates, baseline dates, progress, critical,
milestone, summary, outline) and the links between them, in outline order."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from certprep.core.api_errors import READ
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE
from certprep.planning.charts.gantt import Zoom, scale_of
from certprep.planning.selectors.gantt import gantt_view

router = Router()


class GanttRowOut(Schema):
    id: int
    wbs: str
    name: str = Field(description="In the caller's language when the task has a translation.")
    level: int = Field(description="Outline level, 1 for a stage.")
    parent_id: int | None
    summary: bool
    milestone: bool
    critical: bool
    start: datetime.date | None = Field(description="First working day, as scheduled.")
    finish: datetime.date | None = Field(description="Last working day, as scheduled.")
    baseline_start: datetime.date | None = Field(description="As the baseline asked for saved it.")
    baseline_finish: datetime.date | None
    percent_complete: int
    duration_days: float
    version: int


class GanttLinkOut(Schema):
    predecessor_id: int
    successor_id: int
    type: Literal["FS", "SS", "FF", "SF"]


class GanttOut(Schema):
    first: datetime.date = Field(description="The first day the chart shows at this zoom.")
    last: datetime.date = Field(description="The last day the chart shows at this zoom.")
    zoom: Literal["day", "week", "month"]
    baseline: int | None = Field(description="The baseline's number whose dates are given, null when none is saved.")
    rows: list[GanttRowOut]
    links: list[GanttLinkOut]


class GanttQuery(Schema):
    zoom: Literal["day", "week", "month"] = "week"
    baseline: int = Field(0, ge=0, le=10, description="Which baseline to compare with (MS Project's 0 to 10).")


@router.get(
    BASE + "/gantt",
    response={200: GanttOut, **READ},
    summary="The Gantt chart's rows and links, scheduled, with a baseline's dates",
)
def gantt_data(request: HttpRequest, engagement_id: int, params: Query[GanttQuery]) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    view = gantt_view(plan, zoom=Zoom(params.zoom), baseline_number=params.baseline)
    scale = scale_of(view.chart)
    return {
        "first": scale.first,
        "last": scale.last,
        "zoom": params.zoom,
        "baseline": view.baseline.number if view.baseline else None,
        "rows": [
            {
                "id": row.key,
                "parent_id": row.parent,
                **{
                    name: getattr(row, name)
                    for name in (
                        "wbs",
                        "name",
                        "level",
                        "summary",
                        "milestone",
                        "critical",
                        "start",
                        "finish",
                        "baseline_start",
                        "baseline_finish",
                        "percent_complete",
                        "duration_days",
                        "version",
                    )
                },
            }
            for row in view.chart.rows
        ],
        "links": [
            {"predecessor_id": link.predecessor, "successor_id": link.successor, "type": link.type}
            for link in view.chart.links
        ],
    }
