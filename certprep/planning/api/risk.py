"""The plan's schedule risk runs: listed, run (editors), and read with their results and the inputs they ran
on. A run is never changed: running again adds one."""

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from certprep.core.actors import SignedInRequest
from certprep.core.api_errors import READ, WRITE
from certprep.core.schemas import InputSchema
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.api.common import BASE
from certprep.planning.models import RiskRun
from certprep.planning.risk_forms import random_seed
from certprep.planning.scheduling.montecarlo import DEFAULT_ITERATIONS, MAX_ITERATIONS, MIN_ITERATIONS
from certprep.planning.selectors.risk import risk_run_in, risk_runs
from certprep.planning.services.risk import MAX_SEED, risk_run

router = Router()


class RiskRunIn(InputSchema):
    iterations: int = Field(DEFAULT_ITERATIONS, ge=MIN_ITERATIONS, le=MAX_ITERATIONS)
    seed: int | None = Field(
        None, ge=0, le=MAX_SEED, description="The same seed on the same inputs gives the same run; random if left out."
    )


class RiskRunSummaryOut(Schema):
    id: int
    created_at: datetime.datetime
    created_by: str | None
    iterations: int
    seed: int


class BinOut(Schema):
    first: datetime.date
    last: datetime.date
    count: int = Field(description="Iterations whose date falls from `first` to `last` (working days).")


class CurvePointOut(Schema):
    date: datetime.date
    share: float = Field(description="Share of iterations (0 to 1) finished by the end of this working day.")


class OutcomeOut(Schema):
    task_id: int | None = Field(description="The audit's task; null for the whole plan.")
    name: str
    kind: str | None = Field(None, description="stage1 or stage2; null for the whole plan.")
    batch: int | None = None
    deterministic: datetime.date | None = Field(description="The finish in the plan's schedule.")
    p50: datetime.date | None
    p80: datetime.date | None
    p95: datetime.date | None
    booked: datetime.date | None
    probability: float | None = Field(
        description="Share of iterations in which the audit can start on its booked date; null when not booked."
    )
    histogram: list[BinOut]
    curve: list[CurvePointOut]


class CriticalOut(Schema):
    task_id: int
    name: str
    index: float = Field(description="Share of iterations (0 to 1).")


class ProblemOut(Schema):
    kind: str
    tasks: list[str]


class RiskRunOut(RiskRunSummaryOut):
    targets: list[OutcomeOut] = Field(description="The stage 1 and stage 2 audits.")
    project: OutcomeOut = Field(description="The whole plan's finish.")
    critical: list[CriticalOut] = Field(description="The ten tasks most often critical (criticality index).")
    conflicts: list[CriticalOut] = Field(description="Tasks whose constraint held them before their links allow.")
    estimated_task_ids: list[int] = Field(description="Tasks whose durations were drawn from their estimates.")
    problems: list[ProblemOut]
    inputs: dict[str, Any] = Field(
        description="What the run ran on: start, resolved working calendar, tasks with their estimates, "
        "dependencies and the audits with their booked dates."
    )


def summary_out(run: RiskRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "created_at": run.created_at,
        "created_by": run.created_by.get_username() if run.created_by else None,
        "iterations": run.iterations,
        "seed": run.seed,
    }


def _outcome(stored: dict[str, Any]) -> dict[str, Any]:
    percentiles = stored["percentiles"]
    return {
        "task_id": stored["key"],
        "name": stored["name"],
        "kind": stored.get("kind"),
        "batch": stored.get("batch"),
        "deterministic": stored["deterministic"],
        "p50": percentiles.get("50"),
        "p80": percentiles.get("80"),
        "p95": percentiles.get("95"),
        "booked": stored["booked"],
        "probability": stored["probability"],
        "histogram": [{"first": first, "last": last, "count": count} for first, last, count in stored["histogram"]],
        "curve": [{"date": day, "share": share} for day, share in stored["curve"]],
    }


def run_out(run: RiskRun) -> dict[str, Any]:
    results = run.results
    return {
        **summary_out(run),
        "targets": [_outcome(target) for target in results["targets"]],
        "project": _outcome(results["project"]),
        "critical": [{"task_id": c["key"], "name": c["name"], "index": c["index"]} for c in results["critical"]],
        "conflicts": [{"task_id": c["key"], "name": c["name"], "index": c["index"]} for c in results["conflicts"]],
        "estimated_task_ids": results["drawn"],
        "problems": [{"kind": p["kind"], "tasks": p["tasks"]} for p in results["problems"]],
        "inputs": run.inputs,
    }


@router.get(BASE + "/risk-runs", response={200: list[RiskRunSummaryOut], **READ}, summary="The plan's risk runs")
def risk_run_list(request: HttpRequest, engagement_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return [summary_out(run) for run in risk_runs(plan)]


@router.post(
    BASE + "/risk-runs",
    response={201: RiskRunOut, **WRITE},
    summary="Run the schedule risk analysis on the plan as it is now (editors)",
)
def risk_run_create(request: SignedInRequest, engagement_id: int, payload: RiskRunIn) -> Any:
    plan, _m = plan_for(request.user, engagement_id, role=Role.EDITOR)
    seed = random_seed() if payload.seed is None else payload.seed
    run = risk_run(plan=plan, actor=request.user, iterations=payload.iterations, seed=seed)
    return Status(201, run_out(run))


@router.get(
    BASE + "/risk-runs/{run_id}",
    response={200: RiskRunOut, **READ},
    summary="A risk run: percentiles, readiness by the booked dates, critical tasks, histogram, curve, inputs",
)
def risk_run_read(request: HttpRequest, engagement_id: int, run_id: int) -> Any:
    plan, _m = plan_for(request.user, engagement_id)
    return run_out(risk_run_in(plan, run_id))
