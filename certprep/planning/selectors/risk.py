"""The schedule risk page's reads: the runs kept for a plan, one run's results as the page shows them (the
percentile table, readiness by the booked dates, the tasks most often critical, the two charts of each
audit), and the tasks that still have no three-point estimate. A fixed number of queries whatever the
plan's size: a run's figures are read from its stored results."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from certprep.core.api_refs import path_ref
from certprep.planning.charts.risk_svg import Labels, Marker, histogram_svg, s_curve_svg
from certprep.planning.choices import AuditKind
from certprep.planning.models import Plan, RiskRun, Task
from certprep.planning.scheduling import Problem, ProblemKind
from certprep.planning.selectors.schedule import problem_text

EARLIER_RUNS = 20
UNESTIMATED_SHOWN = 50
PERCENTILES = ("50", "80", "95")


def risk_runs(plan: Plan) -> QuerySet[RiskRun]:
    """The plan's runs, newest first, without their (large) inputs and results."""
    return RiskRun.objects.filter(plan=plan).defer("inputs", "results").select_related("created_by")


def risk_run_in(plan: Plan, pk: int) -> RiskRun:
    """A run of the plan; 404 for a run of another plan or none."""
    run = path_ref(RiskRun.objects.filter(plan=plan).select_related("created_by"), pk)
    run.plan = plan
    return run


def unestimated_tasks(plan: Plan) -> QuerySet[Task]:
    """Tasks that take time and have no three-point estimate (summary tasks and milestones need none)."""
    return (
        Task.objects.filter(plan=plan, milestone=False, duration_days__gt=0, children__isnull=True)
        .filter(Q(optimistic_days__isnull=True) | Q(pessimistic_days__isnull=True))
        .order_by("order", "pk")
    )


def estimate_tasks(plan: Plan, limit: int) -> tuple[list[Task], int]:
    """The tasks that take time for the estimate table, those without an estimate first, at most `limit`, and
    how many there are in all."""
    tasks = Task.objects.filter(plan=plan, milestone=False, duration_days__gt=0, children__isnull=True)
    missing = Q(optimistic_days__isnull=True) | Q(pessimistic_days__isnull=True)
    ordered = tasks.annotate(has_estimate=~missing).order_by("has_estimate", "order", "pk")
    return list(ordered[:limit]), tasks.count()


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _iso_day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _show(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


@dataclass(frozen=True)
class TargetView:
    """An audit's row of the percentile table and its two charts."""

    label: str
    name: str
    deterministic: datetime.date | None
    percentiles: list[datetime.date | None]
    booked: datetime.date | None
    probability: float | None
    histogram: SafeString
    curve: SafeString

    @property
    def probability_percent(self) -> int | None:
        return None if self.probability is None else round(self.probability * 100)


@dataclass(frozen=True)
class RunView:
    run: RiskRun
    targets: list[TargetView]
    project: TargetView
    critical: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]
    problems: list[str]
    drawn: int
    tasks: int
    extra: dict[str, Any] = field(default_factory=dict)


def _label(kind: str, batch: int, batches: int) -> str:
    label = str(AuditKind(kind).label)
    if batches > 1:
        return _("%(audit)s, batch %(batch)s") % {"audit": label, "batch": batch}
    return label


def _charts(label: str, outcome: dict[str, Any]) -> tuple[SafeString, SafeString]:
    percentiles = outcome["percentiles"]
    markers = [Marker(f"P{q}", datetime.date.fromisoformat(percentiles[q])) for q in PERCENTILES if q in percentiles]
    if outcome.get("booked"):
        markers.append(Marker(_("Booked"), datetime.date.fromisoformat(outcome["booked"]), "booked"))
    summary = ", ".join(
        f"P{q} {_show(datetime.date.fromisoformat(percentiles[q]))}" for q in PERCENTILES if q in percentiles
    )
    histogram = histogram_svg(
        [(_iso_day(first), _iso_day(last), count) for first, last, count in outcome["histogram"]],
        markers,
        labels=Labels(
            title=_("%(target)s: finish dates over the iterations") % {"target": label},
            desc=summary,
            y_axis=_("Iterations"),
            x_axis=_("Finish date"),
        ),
        format_date=_show,
        no_data=_("No dates: see the problems above."),
    )
    curve = s_curve_svg(
        [(datetime.date.fromisoformat(day), share) for day, share in outcome["curve"]],
        markers,
        labels=Labels(
            title=_("%(target)s: chance of finishing by each date") % {"target": label},
            desc=summary,
            y_axis=_("Share of iterations finished"),
            x_axis=_("Finish date"),
        ),
        format_date=_show,
        no_data=_("No dates: see the problems above."),
    )
    return mark_safe(histogram), mark_safe(curve)  # noqa: S308 (built by risk_svg, every text escaped there)


def _target_view(label: str, outcome: dict[str, Any]) -> TargetView:
    histogram, curve = _charts(label, outcome)
    return TargetView(
        label=label,
        name=outcome["name"],
        deterministic=_date(outcome["deterministic"]),
        percentiles=[_date(outcome["percentiles"].get(q)) for q in PERCENTILES],
        booked=_date(outcome["booked"]),
        probability=outcome["probability"],
        histogram=histogram,
        curve=curve,
    )


def _problems(stored: Sequence[dict[str, Any]]) -> list[str]:
    return [
        problem_text(
            Problem(
                ProblemKind(item["kind"]),
                tuple(item["tasks"]),
                constraint_date=_date(item["constraint_date"]),
                earliest=_date(item["earliest"]),
            )
        )
        for item in stored
    ]


def run_view(run: RiskRun) -> RunView:
    """A run's stored results, ready for the page."""
    results = run.results
    batches = {kind: sum(1 for t in results["targets"] if t["kind"] == kind) for kind in AuditKind.values}
    targets = [_target_view(_label(t["kind"], t["batch"], batches.get(t["kind"], 1)), t) for t in results["targets"]]
    project = _target_view(_("Whole plan"), results["project"])
    return RunView(
        run=run,
        targets=targets,
        project=project,
        critical=[{**item, "percent": round(item["index"] * 100)} for item in results["critical"]],
        conflicts=[{**item, "percent": round(item["index"] * 100)} for item in results["conflicts"]],
        problems=_problems(results["problems"]),
        drawn=len(results["drawn"]),
        tasks=len(run.inputs.get("tasks", ())),
    )
