"""The schedule risk page: the latest run (or an earlier one opened from the list) with its percentile
table, readiness by the booked audit dates, the tasks most often critical and the two charts per audit; the
tasks without an estimate; and, for editors, the form that runs the analysis again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from certprep.core.actors import SignedInRequest
from certprep.core.feedback import run_form
from certprep.engagements.access import page_role
from certprep.engagements.choices import Role
from certprep.planning.access import plan_for
from certprep.planning.models import Plan
from certprep.planning.risk_forms import MAX_ESTIMATE_ROWS, EstimatesForm, RiskRunForm, random_seed
from certprep.planning.selectors.risk import (
    EARLIER_RUNS,
    UNESTIMATED_SHOWN,
    estimate_tasks,
    risk_run_in,
    risk_runs,
    run_view,
    unestimated_tasks,
)
from certprep.planning.services.risk import risk_run
from certprep.planning.services.risk_estimates import estimates_save
from certprep.planning.views.common import context


def _page(
    request: SignedInRequest, plan: Plan, membership: object, form: RiskRunForm, run_id: int | None
) -> HttpResponse:
    runs = list(risk_runs(plan)[:EARLIER_RUNS])
    shown = risk_run_in(plan, run_id) if run_id is not None else (risk_run_in(plan, runs[0].pk) if runs else None)
    missing = unestimated_tasks(plan)
    return render(
        request,
        "planning/risk.html",
        context(
            plan.engagement,
            membership,
            "risk",
            form=form,
            runs=runs,
            view=run_view(shown) if shown else None,
            unestimated=list(missing[:UNESTIMATED_SHOWN]),
            unestimated_count=missing.count(),
        ),
    )


@login_required
def risk(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    role = page_role(request)
    plan, membership = plan_for(request.user, engagement_id, role=role)
    form = RiskRunForm(request.POST or None, initial={"seed": random_seed()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        run, _conflict = run_form(
            form, lambda: risk_run(plan=plan, actor=request.user, iterations=data["iterations"], seed=data["seed"])
        )
        if run is not None:
            messages.success(request, _("Risk analysis run: %(n)s iterations.") % {"n": run.iterations})
            return redirect("planning:risk_run", engagement_id, run.pk)
    return _page(request, plan, membership, form, None)


@login_required
def risk_run_page(request: SignedInRequest, engagement_id: int, run_id: int) -> HttpResponse:
    plan, membership = plan_for(request.user, engagement_id)
    shown = risk_run_in(plan, run_id)
    form = RiskRunForm(initial={"seed": random_seed(), "iterations": shown.iterations})
    return _page(request, plan, membership, form, shown.pk)


@login_required
def risk_estimates(request: SignedInRequest, engagement_id: int) -> HttpResponse:
    """The estimate table (editors): optimistic and pessimistic durations of many tasks, saved all at once."""
    plan, membership = plan_for(request.user, engagement_id, role=Role.EDITOR)
    tasks, total = estimate_tasks(plan, MAX_ESTIMATE_ROWS)
    form = EstimatesForm(request.POST or None, tasks=tasks)
    conflict = False
    if request.method == "POST" and form.is_valid():
        saved, conflict = run_form(form, lambda: estimates_save(plan=plan, actor=request.user, changes=form.changes()))
        if saved is not None:
            messages.success(request, _("Estimates saved: %(n)s tasks changed.") % {"n": saved})
            return redirect("planning:risk", engagement_id)
    return render(
        request,
        "planning/risk_estimates.html",
        context(plan.engagement, membership, "risk", form=form, conflict=conflict, total=total),
    )
