"""REST API v1: the readiness figures of an engagement for reports and BI tools — per assessment the overall
readiness with its coverage, by clause and by process, the documented information ready, and the stage 1
list with where each answer comes from. The same figures as the readiness page (selectors.dashboard)."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from certprep.core.api_errors import READ
from certprep.engagements.access import engagement_for
from certprep.gaps.rules import Summary
from certprep.gaps.selectors.dashboard import Column, dashboard

router = Router()


class ReadinessFigureOut(Schema):
    percent: float | None = Field(
        description="Weighted share of the targets reached over every requirement, in percent; a requirement not "
        "yet rated counts as not ready. null only when there is no requirement."
    )
    rated_percent: float | None = Field(description="The same share over the rated requirements only.")
    coverage: float = Field(description="Rated requirements in percent of all.")
    rated: int
    total: int
    below_target: int = Field(description="Rated requirements below their target.")


class ReadinessClauseOut(ReadinessFigureOut):
    ref_id: str
    name: str


class ReadinessProcessOut(ReadinessFigureOut):
    code: str
    name: str


class ReadinessAssessmentOut(Schema):
    id: int
    name: str
    assessed_on: datetime.date
    overall: ReadinessFigureOut
    by_clause: list[ReadinessClauseOut] = Field(description="Top-level clauses in reference order.")
    by_process: list[ReadinessProcessOut] = Field(description="The lens processes the assessment reaches.")
    documentation_ready: int = Field(description="Requirements whose documented information is approved or not needed.")
    documentation_checked: int = Field(description="Requirements whose documented information has a status.")


class Stage1Out(Schema):
    item: str = Field(description="scope, policy, plan, internal-audit, management-review or operating.")
    label: str
    state: bool | None = Field(description="true ready, false not ready, null unknown.")
    source: str = Field(description="Where the answer comes from, in words.")
    source_kind: str = Field(description="documents, rating, survey, settings, or empty when nothing says.")


class ReadinessOut(Schema):
    assessments: list[ReadinessAssessmentOut] = Field(description="Oldest first; the last is the latest.")
    stage1: list[Stage1Out]


def _figure(summary: Summary) -> dict[str, Any]:
    return {
        "percent": summary.percent,
        "rated_percent": summary.rated_percent,
        "coverage": summary.coverage,
        "rated": summary.rated,
        "total": summary.total,
        "below_target": summary.gaps,
    }


def _column(column: Column, clauses: list[Any], processes: list[Any]) -> dict[str, Any]:
    return {
        "id": column.assessment.pk,
        "name": column.assessment.name,
        "assessed_on": column.assessment.assessed_on,
        "overall": _figure(column.overall),
        "by_clause": [
            {"ref_id": n.ref_id, "name": n.name, **_figure(column.by_clause[n.ref_id])}
            for n in clauses
            if n.ref_id in column.by_clause
        ],
        "by_process": [
            {"code": p.code, "name": p.tr.name, **_figure(column.by_process[p.code])}
            for p in processes
            if p.code in column.by_process
        ],
        "documentation_ready": column.documentation_ready,
        "documentation_checked": column.documentation_checked,
    }


@router.get(
    "/{engagement_id}/gaps/readiness",
    response={200: ReadinessOut, **READ},
    summary="Readiness for certification: overall with coverage, by clause, by process, and the stage 1 list",
)
def readiness(request: HttpRequest, engagement_id: int) -> Any:
    engagement, _m = engagement_for(request.user, engagement_id)
    view = dashboard(engagement)
    return {
        "assessments": [_column(c, view.clauses, view.process_list) for c in view.columns],
        "stage1": [
            {"item": s.item, "label": s.label, "state": s.state, "source": s.source, "source_kind": s.kind}
            for s in view.stage1
        ],
    }
