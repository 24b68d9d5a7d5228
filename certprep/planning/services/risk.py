"""Running the schedule risk analysis (issue 13 item 5) and keeping each run with what it ran on.

A run reads the plan as it is (tasks with their three-point estimates, dependencies, the resolved working
calendar and the stage 1 and stage 2 audits with their booked dates), stores those inputs as plain JSON,
runs the Monte Carlo engine (certprep.planning.scheduling.montecarlo) on the network rebuilt from them, and
stores the results beside. A stored run can so be run again from its own inputs and gives the same results
(tests/test_risk.py checks it). Runs are never edited: each is a new row, recorded in the audit trail.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from certprep.core.actors import Actor
from certprep.core.audit import audit_record
from certprep.core.errors import ServiceError
from certprep.core.models import AuditEntry
from certprep.planning.choices import AFTER_CERTIFICATION, AuditKind
from certprep.planning.models import AuditBooking, Plan, RiskRun, Task
from certprep.planning.scheduling import Constraint, Dependency, LagUnit, Link, Network, WorkingCalendar
from certprep.planning.scheduling import Task as EngineTask
from certprep.planning.scheduling.montecarlo import (
    MAX_ITERATIONS,
    MIN_ITERATIONS,
    Estimate,
    Outcome,
    RiskResult,
    Target,
    analyse,
    simulate,
)
from certprep.planning.selectors.plan import lag_value, plan_tasks
from certprep.planning.selectors.schedule import engagement_calendar

STAGES = (AuditKind.STAGE1, AuditKind.STAGE2)
MAX_SEED = 2**31 - 1
# Tasks x iterations a run may take in a request: 1,500 tasks x 10,000 iterations cost 0.8 s of CPU
# (bench/montecarlo.py), so this bounds a run to about 3 s of CPU whatever the plan's size.
MAX_WORK = 50_000_000
INPUTS_VERSION = 1


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _targets(plan: Plan, tasks: list[Task]) -> list[dict[str, Any]]:
    """The stage 1 and stage 2 audits with their booked dates. A booking's milestone is the target when
    dependencies lead to it; a milestone that only holds the booked date (no predecessor) says nothing about
    the work, so the template's task of the stage (the one the work leads to) stands for it then."""
    by_origin = {task.origin_key: task for task in tasks if task.origin_key}
    linked = {task.pk for task in tasks if task.predecessor_links.all()}
    found: list[dict[str, Any]] = []
    bookings = list(AuditBooking.objects.filter(plan=plan, kind__in=STAGES).order_by("kind", "batch"))
    for kind in STAGES:
        template = by_origin.get(f"task:{kind}")
        booked = [booking for booking in bookings if booking.kind == kind]
        for booking in booked:
            task_id = booking.task_id if booking.task_id in linked else (template.pk if template else None)
            if task_id is not None:
                found.append({"key": task_id, "kind": str(kind), "batch": booking.batch, "booked": _iso(booking.date)})
        if not booked and template is not None:
            found.append({"key": template.pk, "kind": str(kind), "batch": 1, "booked": None})
    return found


def _calendar_inputs(calendar: WorkingCalendar) -> dict[str, Any]:
    return {
        "workweek": sorted(calendar.workweek),
        "days_off": sorted(day.isoformat() for day in calendar.days_off),
        "working_days": sorted(day.isoformat() for day in calendar.working_days),
    }


def risk_inputs(plan: Plan) -> dict[str, Any]:
    """What a run runs on, as JSON: the plan's start, the resolved calendar, the tasks with their estimates,
    the dependencies and the targets (a fixed number of queries)."""
    tasks = list(plan_tasks(plan))
    calendar = engagement_calendar(plan)
    return {
        "version": INPUTS_VERSION,
        "start": plan.start_date.isoformat(),
        "calendar": _calendar_inputs(calendar),
        "tasks": [
            {
                "key": task.pk,
                "name": task.name,
                "duration": 0 if task.milestone else task.duration_days,
                "parent": task.parent_id,
                "constraint": task.constraint_type,
                "constraint_date": _iso(task.constraint_date),
                "optimistic": task.optimistic_days,
                "pessimistic": task.pessimistic_days,
            }
            for task in tasks
        ],
        "dependencies": [
            {
                "predecessor": link.predecessor_id,
                "successor": link.successor_id,
                "type": link.type,
                "lag": lag_value(link.lag),
                "lag_unit": link.lag_unit,
            }
            for task in tasks
            for link in task.predecessor_links.all()
        ],
        "targets": _targets(plan, tasks),
        "beyond_finish": sorted(task.pk for task in tasks if task.rule in AFTER_CERTIFICATION),
    }


def _day(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def network_of(inputs: dict[str, Any]) -> tuple[Network, dict[Any, Estimate], list[Target]]:
    """The engine's network, the estimates and the targets of stored inputs."""
    calendar = inputs["calendar"]
    network = Network(
        start=datetime.date.fromisoformat(inputs["start"]),
        beyond_finish=frozenset(inputs.get("beyond_finish", ())),
        calendar=WorkingCalendar(
            workweek=frozenset(calendar["workweek"]),
            days_off=frozenset(datetime.date.fromisoformat(day) for day in calendar["days_off"]),
            working_days=frozenset(datetime.date.fromisoformat(day) for day in calendar["working_days"]),
        ),
        tasks=[
            EngineTask(
                key=task["key"],
                name=task["name"],
                duration=task["duration"],
                parent=task["parent"],
                constraint=Constraint(task["constraint"]),
                constraint_date=_day(task["constraint_date"]),
            )
            for task in inputs["tasks"]
        ],
        dependencies=[
            Dependency(
                link["predecessor"], link["successor"], Link(link["type"]), link["lag"], LagUnit(link["lag_unit"])
            )
            for link in inputs["dependencies"]
        ],
    )
    estimates = {
        task["key"]: Estimate(task["optimistic"], task["pessimistic"])
        for task in inputs["tasks"]
        if task["optimistic"] is not None and task["pessimistic"] is not None
    }
    targets = [Target(target["key"], _day(target["booked"])) for target in inputs["targets"]]
    return network, estimates, targets


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "key": outcome.key,
        "name": outcome.name,
        "deterministic": _iso(outcome.deterministic.date()) if outcome.deterministic else None,
        "percentiles": {str(q): when.date().isoformat() for q, when in outcome.percentiles.items()},
        "booked": _iso(outcome.booked),
        "probability": outcome.probability,
        "histogram": [[b.first.isoformat(), b.last.isoformat(), b.count] for b in outcome.histogram],
        "curve": [[day.isoformat(), round(share, 6)] for day, share in outcome.curve],
    }


def results_json(inputs: dict[str, Any], result: RiskResult) -> dict[str, Any]:
    """The run's results as stored: each target with its kind and batch from the inputs."""
    outcomes = iter(result.targets)
    targets = []
    scheduled = {outcome.key for outcome in result.targets}
    for target in inputs["targets"]:
        if target["key"] in scheduled:
            targets.append({**_outcome_json(next(outcomes)), "kind": target["kind"], "batch": target["batch"]})
    return {
        "targets": targets,
        "project": _outcome_json(result.project),
        "critical": [{"key": c.key, "name": c.name, "index": round(c.index, 4)} for c in result.critical],
        "conflicts": [{"key": c.key, "name": c.name, "index": round(c.index, 4)} for c in result.conflicts],
        "drawn": list(result.drawn),
        "problems": [
            {
                "kind": str(problem.kind),
                "tasks": list(problem.tasks),
                "constraint_date": _iso(problem.constraint_date),
                "earliest": _iso(problem.earliest),
            }
            for problem in result.problems
        ],
    }


def risk_compute(inputs: dict[str, Any], *, iterations: int, seed: int) -> dict[str, Any]:
    """Run the engine on stored inputs; the same inputs, iterations and seed give the same results."""
    network, estimates, targets = network_of(inputs)
    simulation = simulate(network, estimates, iterations=iterations, seed=seed, keep=[t.key for t in targets])
    return results_json(inputs, analyse(simulation, targets))


@transaction.atomic
def risk_run(*, plan: Plan, actor: Actor, iterations: int, seed: int) -> RiskRun:
    """Run the analysis on the plan as it is now and keep the run with its inputs and results."""
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        raise ServiceError(
            _("Choose %(low)s to %(high)s iterations.") % {"low": MIN_ITERATIONS, "high": MAX_ITERATIONS},
            field="iterations",
        )
    if not 0 <= seed <= MAX_SEED:
        raise ServiceError(_("The seed is a whole number from 0 to %(high)s.") % {"high": MAX_SEED}, field="seed")
    inputs = risk_inputs(plan)
    tasks = max(len(inputs["tasks"]), 1)
    if tasks * iterations > MAX_WORK:
        raise ServiceError(
            _("A plan of %(tasks)s tasks runs at most %(n)s iterations.")
            % {"tasks": tasks, "n": max(MAX_WORK // tasks, 0)},
            field="iterations",
        )
    results = risk_compute(inputs, iterations=iterations, seed=seed)
    run = RiskRun.objects.create(
        plan=plan, created_by=actor, iterations=iterations, seed=seed, inputs=inputs, results=results
    )
    audit_record(
        engagement=plan.engagement,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=run,
        values={"iterations": iterations, "seed": seed, "tasks": len(inputs["tasks"])},
    )
    return run
